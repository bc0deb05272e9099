/**
 * The epoch benchmark (`steepest bench mlp`, `npm run bench:mlp`): the handbook MLP (784-128-ReLU-10,
 * CrossEntropy, Adam lr 1e-3) on Fashion-MNIST in IDX files (the package's bundled 6k/1k slice, or
 * a folder with the full set), inputs standardized per feature on the training set, shuffled each
 * epoch: seconds per epoch and test accuracy after `epochs` epochs, per batch size. Ours runs twice
 * through the documented API, the handbook loop (DataLoader, forward, loss, zeroGrad, backward,
 * step) and train.fit, and the faster is reported. With a torch Python, PyTorch
 * (bench/mlp/torch_mlp.py, 1 and 2 threads with OMP_WAIT_POLICY=PASSIVE, the faster taken) runs
 * the same model on the same files in the same run; other references (the repository's
 * TensorFlow.js run) plug in through `others`. Per batch size the order is ours-loop, torch 1
 * thread, ours-fit, torch 2 threads, the others, so background load hits both sides. s/epoch is
 * the median over the epochs run.
 */
import { join } from 'node:path';
import { packageRoot } from '../backend/host.js';
// The public API, as a user's program imports it (which also installs the Tensor methods).
import { data, manualSeed, nn, numThreads, optim, train } from '../index.js';
import { benchScript, referenceEnv, runJson, type TorchPython } from './python.js';
import { median } from './stats.js';

/** The bundled Fashion-MNIST slice (6,000 training and 1,000 test images), shipped in the package. */
export const BUNDLED_FASHION_MNIST = join(packageRoot, 'examples', 'data', 'fashion-mnist');

export interface MlpRun {
  epochSeconds: number[];
  testAccuracy: number;
}

/** Another implementation timed per batch size (null: skipped). */
export interface MlpReference {
  name: string;
  epochs: number;
  run(batch: number, dataDir: string): MlpRun | null;
}

export interface MlpOptions {
  /** A folder with the four Fashion-MNIST IDX files (.gz); default the bundled slice. */
  data?: string;
  epochs?: number;
  batches?: number[];
  torch?: TorchPython | null;
  others?: MlpReference[];
  log?: (line: string) => void;
}

export interface MlpRow {
  batch: number;
  /** The faster of ours: 'loop' or 'fit'. */
  via: 'loop' | 'fit';
  oursS: number; oursAcc: number;
  loopS: number; loopAcc: number; loopEpochs: number[];
  fitS: number; fitAcc: number; fitEpochs: number[];
  torchS?: number; torchThreads?: number; torchAcc?: number;
  torch1S?: number; torch1Acc?: number; torch1Epochs?: number[]; torch2S?: number; torch2Acc?: number; torch2Epochs?: number[];
  /** ours / the faster PyTorch, and the accuracy difference in points. */
  ratio?: number; accDiffPoints?: number;
  others: Record<string, { s: number; acc: number; epochs: number[] } | null>;
}

export interface MlpResult {
  bench: 'mlp';
  data: string;
  trainSize: number;
  testSize: number;
  epochs: number;
  threads: number;
  torch: string | null;
  others: Record<string, { epochs: number }>;
  date: string;
  rows: MlpRow[];
}

export async function benchMlp(o: MlpOptions = {}): Promise<MlpResult> {
  const dataDir = o.data ?? BUNDLED_FASHION_MNIST;
  const epochs = o.epochs ?? 5;
  const batches = o.batches ?? [32, 128, 256];
  const log = o.log ?? (() => {});
  const { train: trainSet, test: testSet } = await data.loadFashionMnist(dataDir);
  const scaler = new data.Standardize().fit(trainSet.images);
  scaler.transform(trainSet.images, trainSet.images);
  scaler.transform(testSet.images, testSet.images);

  const makeModel = (batch: number) => {
    manualSeed(0);
    const model = nn.sequential(nn.linear(784, 128), nn.relu(), nn.linear(128, 10));
    const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
    const loader = new data.DataLoader(new data.TensorDataset(trainSet.images, trainSet.labels), { batchSize: batch, shuffle: true });
    return { model, optimizer, loader };
  };
  const testAccuracy = async (model: nn.Module) =>
    (await train.evaluate(model, [testSet.images, testSet.labels], { metrics: ['accuracy'], batchSize: 10000 })).accuracy as number;

  /** The handbook loop, as examples/handbook_loop.ts writes it. */
  const oursLoop = async (batch: number): Promise<MlpRun> => {
    const { model, optimizer, loader } = makeModel(batch);
    const lossFn = new nn.CrossEntropyLoss();
    const epochSeconds: number[] = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      const t0 = performance.now();
      for (const [x, y] of loader) {
        const loss = lossFn.forward(model.forward(x), y);
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
      }
      epochSeconds.push((performance.now() - t0) / 1e3);
    }
    return { epochSeconds, testAccuracy: await testAccuracy(model) };
  };
  /** train.fit with default options over the same loader; epoch seconds from History. */
  const oursFit = async (batch: number): Promise<MlpRun> => {
    const { model, optimizer, loader } = makeModel(batch);
    const history = await train.fit(model, { data: loader, epochs, optimizer, loss: 'crossEntropy' });
    return { epochSeconds: history.epochs.map((e) => e.seconds as number), testAccuracy: await testAccuracy(model) };
  };
  let torchVersion: string | null = null;
  const torchRun = (python: string, batch: number, threads: number) => {
    const r = runJson<MlpRun & { torch: string }>(python, [benchScript('mlp/torch_mlp.py'), '--threads', String(threads), '--batch', String(batch),
      '--epochs', String(epochs), '--data', dataDir], referenceEnv(threads, { OMP_WAIT_POLICY: 'PASSIVE' }), `bench mlp: torch_mlp.py (threads ${threads}, batch ${batch})`);
    torchVersion = r.torch;
    return r;
  };

  const rows: MlpRow[] = [];
  for (const batch of batches) {
    const loop = await oursLoop(batch);
    const t1 = o.torch ? torchRun(o.torch.python, batch, 1) : null;
    const fitRun = await oursFit(batch);
    const t2 = o.torch ? torchRun(o.torch.python, batch, 2) : null;
    const others: MlpRow['others'] = {};
    for (const ref of o.others ?? []) {
      const r = ref.run(batch, dataDir);
      others[ref.name] = r && { s: median(r.epochSeconds), acc: r.testAccuracy, epochs: r.epochSeconds };
    }
    const loopS = median(loop.epochSeconds), fitS = median(fitRun.epochSeconds);
    const best = loopS <= fitS ? { via: 'loop' as const, s: loopS, run: loop } : { via: 'fit' as const, s: fitS, run: fitRun };
    const row: MlpRow = {
      batch, via: best.via, oursS: best.s, oursAcc: best.run.testAccuracy,
      loopS, loopAcc: loop.testAccuracy, loopEpochs: loop.epochSeconds, fitS, fitAcc: fitRun.testAccuracy, fitEpochs: fitRun.epochSeconds, others,
    };
    if (t1 && t2) {
      const t1S = median(t1.epochSeconds), t2S = median(t2.epochSeconds);
      const torch = t1S <= t2S ? { threads: 1, s: t1S, run: t1 } : { threads: 2, s: t2S, run: t2 };
      Object.assign(row, {
        torchS: torch.s, torchThreads: torch.threads, torchAcc: torch.run.testAccuracy,
        torch1S: t1S, torch1Acc: t1.testAccuracy, torch1Epochs: t1.epochSeconds, torch2S: t2S, torch2Acc: t2.testAccuracy, torch2Epochs: t2.epochSeconds,
        ratio: best.s / torch.s, accDiffPoints: (best.run.testAccuracy - torch.run.testAccuracy) * 100,
      });
    }
    rows.push(row);
    log(`  batch ${batch}: loop ${loopS.toFixed(3)} s/epoch, fit ${fitS.toFixed(3)}${row.torchS !== undefined ? `, torch ${row.torchS.toFixed(3)} (${row.torchThreads}t)` : ''}`);
  }
  return {
    bench: 'mlp', data: dataDir, trainSize: trainSet.labels.shape[0], testSize: testSet.labels.shape[0], epochs, threads: numThreads(),
    torch: torchVersion, others: Object.fromEntries((o.others ?? []).map((r) => [r.name, { epochs: r.epochs }])), date: new Date().toISOString(), rows,
  };
}

export function formatMlp(r: MlpResult): string {
  const t = r.torch !== null;
  const names = Object.keys(r.others);
  const pct = (a: number | null | undefined) => (a === null || a === undefined ? '—' : (a * 100).toFixed(2));
  const lines = [
    `Handbook MLP on Fashion-MNIST (${r.trainSize} train / ${r.testSize} test images from ${r.data}); s/epoch = median of ${r.epochs} epochs, ` +
      `ours on ${r.threads} threads${t ? `, torch ${r.torch}` : ''}${names.map((n) => `, ${n} ${r.others[n].epochs} epoch(s)`).join('')}`,
    `accuracy = test accuracy after the epochs run\n`,
    `| batch | ours s/epoch (via) |${t ? ' torch s/epoch (threads) |' : ''}${names.map((n) => ` ${n} s/epoch |`).join('')}${t ? ' ours/torch |' : ''} ours acc % |` +
      `${t ? ' torch acc % |' : ''}${names.map((n) => ` ${n} acc % |`).join('')}`,
    `|---:|---:|${t ? '---:|' : ''}${names.map(() => '---:|').join('')}${t ? '---:|' : ''}---:|${t ? '---:|' : ''}${names.map(() => '---:|').join('')}`,
  ];
  for (const x of r.rows) {
    const other = (n: string, k: 's' | 'acc') => (x.others[n] ? (k === 's' ? x.others[n]!.s.toFixed(2) : pct(x.others[n]!.acc)) : '—');
    lines.push(`| ${x.batch} | ${x.oursS.toFixed(3)} (${x.via}) |${t ? ` ${x.torchS!.toFixed(3)} (${x.torchThreads}t) |` : ''}` +
      `${names.map((n) => ` ${other(n, 's')} |`).join('')}${t ? ` ${x.ratio!.toFixed(2)} |` : ''} ${pct(x.oursAcc)} |${t ? ` ${pct(x.torchAcc)} |` : ''}` +
      `${names.map((n) => ` ${other(n, 'acc')} |`).join('')}`);
  }
  if (t) {
    const ok = r.rows.every((x) => Math.abs(x.accDiffPoints!) <= 0.5);
    lines.push(`\naccuracy within 0.5 points of torch at every batch: ${ok ? 'yes' : 'NO'} ` +
      `(diffs ${r.rows.map((x) => `${x.batch}: ${x.accDiffPoints! >= 0 ? '+' : ''}${x.accDiffPoints!.toFixed(2)}`).join(', ')})`);
  }
  return lines.join('\n') + '\n';
}
