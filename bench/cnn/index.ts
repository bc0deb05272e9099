/**
 * bench:cnn — the LeNet-5-style CNN of examples/cnn.ts (two 5x5 convolutions, 16 and 32
 * channels, with ReLU and 2x2 max pooling, two Linear layers) on Fashion-MNIST, batch 64, Adam 1e-3, inputs standardized
 * per pixel, side by side in the same run with PyTorch 1.13 (bench/cnn/torch_ref.py):
 *   1. ms per training step (forward, backward, Adam) on a fixed batch, PyTorch at 1 and 2
 *      threads (OMP_WAIT_POLICY=PASSIVE), the faster taken;
 *   2. seconds per epoch (median) and test accuracy after CNN_EPOCHS (default 5) epochs on the
 *      full set (/usr/share/datasets/fashion-mnist, `apt-get install dataset-fashion-mnist`), or
 *      the bundled 6k/1k slice when it is missing; PyTorch at its faster thread count.
 * Prints a table, writes bench/results/cnn.json.      npm run bench:cnn
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { data, manualSeed, memoryStats, nn, numThreads, optim, randn, tensor, train } from '../../src/index.js';
import { leNet } from '../../examples/cnn.js';

const here = dirname(fileURLToPath(import.meta.url));
const FULL = '/usr/share/datasets/fashion-mnist';
const DATA = process.env.CNN_DATA ?? (existsSync(FULL) ? FULL : join(here, '..', '..', 'examples', 'data', 'fashion-mnist'));
const EPOCHS = Number(process.env.CNN_EPOCHS ?? 5);
const STEPS = Number(process.env.CNN_STEPS ?? 100);
const PYTHON = '/usr/bin/python3';
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

function torch(args: string[]): Record<string, unknown> | null {
  const r = spawnSync(PYTHON, [join(here, 'torch_ref.py'), ...args], { encoding: 'utf8', env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' }, maxBuffer: 1 << 24 });
  if (r.status !== 0) {
    console.log(`  PyTorch reference failed or is missing (${(r.stderr || r.error?.message || '').trim().split('\n').at(-1)}); its columns stay empty`);
    return null;
  }
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

/** ms per training step on a fixed batch of 64, after 10 warm-up steps; and native allocations per step. */
function ourSteps(): { msPerStep: number; allocationsPerStep: number } {
  manualSeed(0);
  const model = leNet();
  const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
  const loss = new nn.CrossEntropyLoss();
  const x = randn([64, 784]);
  const y = tensor(Int32Array.from({ length: 64 }, (_, i) => i % 10), [64], { dtype: 'int32' });
  const step = () => {
    const l = loss.forward(model.forward(x), y);
    optimizer.zeroGrad();
    l.backward();
    optimizer.step();
    l.dispose();
  };
  for (let i = 0; i < 10; i++) step();
  const before = memoryStats().allocations;
  const t = performance.now();
  for (let i = 0; i < STEPS; i++) step();
  return { msPerStep: (performance.now() - t) / STEPS, allocationsPerStep: (memoryStats().allocations - before) / STEPS };
}

async function ourEpochs(): Promise<{ secondsPerEpoch: number[]; testAccuracy: number }> {
  manualSeed(0);
  const { train: trainSet, test } = await data.loadFashionMnist(DATA);
  const scaler = new data.Standardize().fit(trainSet.images);
  const [xTrain, xTest] = [scaler.transform(trainSet.images), scaler.transform(test.images)];
  const model = leNet();
  const history = await train.fit(model, {
    data: new data.DataLoader(new data.TensorDataset(xTrain, trainSet.labels), { batchSize: 64, shuffle: true, seed: 0 }),
    epochs: EPOCHS,
    optimizer: new optim.Adam(model.parameters(), { lr: 1e-3 }),
    loss: new nn.CrossEntropyLoss(),
    log: () => {},
    monitor: false,
  });
  const { accuracy } = await train.evaluate(model, [xTest, test.labels], { metrics: ['accuracy'] });
  return { secondsPerEpoch: history.epochs.map((e) => e.seconds ?? NaN), testAccuracy: accuracy };
}

async function main() {
  console.log(`bench:cnn — LeNet-5 style, batch 64, ${DATA === FULL ? 'full Fashion-MNIST' : `data from ${DATA}`}, ${numThreads()} threads`);
  const ours = ourSteps();
  const torchSteps = [1, 2].map((t) => ({ threads: t, result: torch(['steps', String(t), String(STEPS)]) }));
  const ours2 = ourSteps(); // again after PyTorch, so background load hits both sides
  const oursMs = Math.min(ours.msPerStep, ours2.msPerStep);
  const torchBest = torchSteps.filter((s) => s.result).sort((a, b) => (a.result!.msPerStep as number) - (b.result!.msPerStep as number))[0];
  const torchMs = torchBest ? (torchBest.result!.msPerStep as number) : null;
  console.log(`  step: steepest ${oursMs.toFixed(2)} ms (${ours.allocationsPerStep} native allocations/step), PyTorch ${torchSteps.map((s) => `${s.threads}t ${s.result ? (s.result.msPerStep as number).toFixed(2) : '-'}`).join(', ')} ms`);

  const epochs = await ourEpochs();
  console.log(`  steepest: s/epoch ${epochs.secondsPerEpoch.map((s) => s.toFixed(2)).join(' ')}, test accuracy ${(100 * epochs.testAccuracy).toFixed(2)} %`);
  const torchEpochs = torchBest ? torch([DATA, String(EPOCHS), String(torchBest.threads)]) : null;
  if (torchEpochs) console.log(`  PyTorch (${torchBest!.threads} threads): s/epoch ${(torchEpochs.secondsPerEpoch as number[]).map((s) => s.toFixed(2)).join(' ')}, test accuracy ${(100 * (torchEpochs.testAccuracy as number)).toFixed(2)} %`);

  const oursEpoch = median(epochs.secondsPerEpoch);
  const torchEpoch = torchEpochs ? median(torchEpochs.secondsPerEpoch as number[]) : null;
  const ratio = (a: number, b: number | null) => (b ? `${(a / b).toFixed(2)}x` : '-');
  console.log('\n| measure | steepest | PyTorch 1.13 | steepest / PyTorch |\n|---|---:|---:|---:|');
  console.log(`| ms per step (batch 64) | ${oursMs.toFixed(2)} | ${torchMs?.toFixed(2) ?? '-'} | ${ratio(oursMs, torchMs)} |`);
  console.log(`| s per epoch (median of ${EPOCHS}) | ${oursEpoch.toFixed(2)} | ${torchEpoch?.toFixed(2) ?? '-'} | ${ratio(oursEpoch, torchEpoch)} |`);
  console.log(`| test accuracy after ${EPOCHS} epochs | ${(100 * epochs.testAccuracy).toFixed(2)} % | ${torchEpochs ? `${(100 * (torchEpochs.testAccuracy as number)).toFixed(2)} %` : '-'} | |`);

  const path = join(here, '..', 'results', 'cnn.json');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, JSON.stringify({ date: new Date().toISOString(), data: DATA, epochs: EPOCHS, threads: numThreads(),
    steepest: { steps: [ours, ours2], ...epochs }, pytorch: { steps: torchSteps, epochs: torchEpochs } }, null, 2) + '\n');
  renameSync(`${path}.tmp`, path);
  console.log(`\nwrote ${path}`);
}

await main();
