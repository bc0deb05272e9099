/**
 * bench/mlp: the handbook MLP (784-128-ReLU-10, CrossEntropy, Adam lr 1e-3) on full
 * Fashion-MNIST (60k train / 10k test), inputs standardized per feature on the training set,
 * shuffled each epoch, at batch 32, 128 and 256: seconds per epoch and test accuracy after
 * MLP_EPOCHS (default 5) epochs, side by side in the same run with
 *   - PyTorch (bench/mlp/torch_mlp.py, /usr/bin/python3), 1 and 2 threads with
 *     OMP_WAIT_POLICY=PASSIVE, the faster taken;
 *   - TensorFlow.js with the wasm backend (bench/mlp/tfjs_mlp.cjs), TFJS_EPOCHS (default 1)
 *     epochs only because it is an order of magnitude slower; loaded from TFJS_DIR (default
 *     /tmp/tfjs-ref, see tfjs_mlp.cjs for the install line) and skipped with a note if absent.
 * Ours runs twice per batch size through the documented API: the handbook loop (DataLoader,
 * forward, loss, zeroGrad, backward, step) and train.fit (same loader semantics, default
 * options, monitor on); the faster is reported, and both are in the JSON.
 *
 * Per batch size the order is ours-loop, torch 1 thread, ours-fit, torch 2 threads, tfjs, so
 * background load hits both sides. s/epoch is the median over the epochs run.
 *   npm run bench:mlp      (MLP_EPOCHS=2 MLP_BATCHES=32,256 TFJS_EPOCHS=0 to shorten)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { data, manualSeed, nn, numThreads, optim, train, type Tensor } from '../../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const DATA = process.env.MLP_DATA ?? '/usr/share/datasets/fashion-mnist';
const EPOCHS = Number(process.env.MLP_EPOCHS ?? 5);
const BATCHES = (process.env.MLP_BATCHES ?? '32,128,256').split(',').map(Number);
const TFJS_EPOCHS = Number(process.env.TFJS_EPOCHS ?? 1);
const TFJS_DIR = process.env.TFJS_DIR ?? '/tmp/tfjs-ref';

interface Run {
  epochSeconds: number[];
  testAccuracy: number;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

const { train: trainSet, test: testSet } = await data.loadFashionMnist(DATA);
const scaler = new data.Standardize().fit(trainSet.images);
scaler.transform(trainSet.images, trainSet.images);
scaler.transform(testSet.images, testSet.images);
const xTrain: Tensor = trainSet.images;
const yTrain: Tensor = trainSet.labels;

function makeModel(batch: number) {
  manualSeed(0);
  const model = nn.sequential(nn.linear(784, 128), nn.relu(), nn.linear(128, 10));
  const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
  const loader = new data.DataLoader(new data.TensorDataset(xTrain, yTrain), { batchSize: batch, shuffle: true });
  return { model, optimizer, loader };
}

async function testAccuracy(model: nn.Module): Promise<number> {
  const logs = await train.evaluate(model, [testSet.images, testSet.labels], { metrics: ['accuracy'], batchSize: 10000 });
  return logs.accuracy as number;
}

/** The handbook loop, as examples/handbook_loop.ts writes it. */
async function oursLoop(batch: number): Promise<Run> {
  const { model, optimizer, loader } = makeModel(batch);
  const lossFn = new nn.CrossEntropyLoss();
  const epochSeconds: number[] = [];
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
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
}

/** train.fit with default options over the same loader; epoch seconds from History. */
async function oursFit(batch: number): Promise<Run> {
  const { model, optimizer, loader } = makeModel(batch);
  const history = await train.fit(model, { data: loader, epochs: EPOCHS, optimizer, loss: 'crossEntropy' });
  const epochSeconds = history.epochs.map((e) => e.seconds as number);
  return { epochSeconds, testAccuracy: await testAccuracy(model) };
}

function torchRun(batch: number, threads: number): Run & { torch: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: String(threads), OMP_WAIT_POLICY: 'PASSIVE',
    OPENBLAS_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const r = spawnSync('/usr/bin/python3', [join(here, 'torch_mlp.py'), '--threads', String(threads), '--batch', String(batch),
    '--epochs', String(EPOCHS), '--data', DATA], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`torch_mlp.py failed (threads ${threads}, batch ${batch}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) as string);
}

function tfjsRun(batch: number): (Run & { tfjs: string; wasm: unknown }) | null {
  if (TFJS_EPOCHS < 1 || !existsSync(join(TFJS_DIR, 'node_modules/@tensorflow/tfjs-backend-wasm'))) return null;
  const r = spawnSync(process.execPath, [join(here, 'tfjs_mlp.cjs'), '--batch', String(batch), '--epochs', String(TFJS_EPOCHS), '--data', DATA],
    { env: { ...process.env, TFJS_DIR }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tfjs_mlp.cjs failed (batch ${batch}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) as string);
}

const rows = [];
let torchVersion = '';
let tfjsInfo: unknown = null;
for (const batch of BATCHES) {
  const loop = await oursLoop(batch);
  const t1 = torchRun(batch, 1);
  const fitRun = await oursFit(batch);
  const t2 = torchRun(batch, 2);
  const tf = tfjsRun(batch);
  torchVersion = t1.torch;
  if (tf) tfjsInfo = { tfjs: tf.tfjs, wasm: tf.wasm, epochs: TFJS_EPOCHS };
  const loopS = median(loop.epochSeconds);
  const fitS = median(fitRun.epochSeconds);
  const best = loopS <= fitS ? { via: 'loop', s: loopS, run: loop } : { via: 'fit', s: fitS, run: fitRun };
  const t1S = median(t1.epochSeconds);
  const t2S = median(t2.epochSeconds);
  const torch = t1S <= t2S ? { threads: 1, s: t1S, run: t1 } : { threads: 2, s: t2S, run: t2 };
  const row = {
    batch, via: best.via, oursS: best.s, oursAcc: best.run.testAccuracy,
    loopS, loopAcc: loop.testAccuracy, loopEpochs: loop.epochSeconds, fitS, fitAcc: fitRun.testAccuracy, fitEpochs: fitRun.epochSeconds,
    torchS: torch.s, torchThreads: torch.threads, torchAcc: torch.run.testAccuracy,
    torch1S: t1S, torch1Acc: t1.testAccuracy, torch1Epochs: t1.epochSeconds, torch2S: t2S, torch2Acc: t2.testAccuracy, torch2Epochs: t2.epochSeconds,
    tfjsS: tf ? median(tf.epochSeconds) : null, tfjsAcc: tf ? tf.testAccuracy : null, tfjsEpochs: tf?.epochSeconds ?? null,
    ratio: best.s / torch.s, accDiffPoints: (best.run.testAccuracy - torch.run.testAccuracy) * 100,
  };
  rows.push(row);
  console.log(`batch ${batch}: loop ${loopS.toFixed(3)} s/epoch (acc ${loop.testAccuracy.toFixed(4)}), fit ${fitS.toFixed(3)} (acc ${fitRun.testAccuracy.toFixed(4)}), ` +
    `torch 1t ${t1S.toFixed(3)} (acc ${t1.testAccuracy.toFixed(4)}), 2t ${t2S.toFixed(3)} (acc ${t2.testAccuracy.toFixed(4)})` +
    (tf ? `, tfjs ${row.tfjsS!.toFixed(2)} (acc ${tf.testAccuracy.toFixed(4)} after ${TFJS_EPOCHS} epoch)` : ', tfjs skipped'));
}

const target = (b: number) => (b <= 32 ? 0.5 : b >= 256 ? 0.8 : null);
const pct = (a: number | null) => (a === null ? '—' : (a * 100).toFixed(2));
console.log(`\nHandbook MLP on Fashion-MNIST, s/epoch = median of ${EPOCHS} epochs (tfjs: ${TFJS_EPOCHS} epoch), ours on ${numThreads()} threads, torch ${torchVersion}`);
console.log(`accuracy = test accuracy after ${EPOCHS} epochs (tfjs: after ${TFJS_EPOCHS} epoch)\n`);
console.log('| batch | ours s/epoch (via) | torch s/epoch (threads) | tfjs-wasm s/epoch | ours/torch | target | ours acc % | torch acc % | tfjs acc % |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const t = target(r.batch);
  const verdict = t === null ? '—' : `≤ ${t} ${r.ratio <= t ? 'met' : 'MISSED'}`;
  console.log(`| ${r.batch} | ${r.oursS.toFixed(3)} (${r.via}) | ${r.torchS.toFixed(3)} (${r.torchThreads}t) | ${r.tfjsS === null ? '—' : r.tfjsS.toFixed(2)} | ` +
    `${r.ratio.toFixed(2)} | ${verdict} | ${pct(r.oursAcc)} | ${pct(r.torchAcc)} | ${pct(r.tfjsAcc)} |`);
}
const accOk = rows.every((r) => Math.abs(r.accDiffPoints) <= 0.5);
console.log(`\naccuracy within 0.5 points of torch at every batch: ${accOk ? 'yes' : 'NO'} ` +
  `(diffs ${rows.map((r) => `${r.batch}: ${r.accDiffPoints >= 0 ? '+' : ''}${r.accDiffPoints.toFixed(2)}`).join(', ')})`);

const out = join(here, '../results/mlp.json');
mkdirSync(dirname(out), { recursive: true });
const body = JSON.stringify({ bench: 'mlp', epochs: EPOCHS, tfjsEpochs: TFJS_EPOCHS, threads: numThreads(), torch: torchVersion, tfjs: tfjsInfo,
  date: new Date().toISOString(), rows }, null, 1);
writeFileSync(`${out}.tmp`, body);
renameSync(`${out}.tmp`, out);
console.log(`[saved ${out}]`);
