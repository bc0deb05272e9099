/**
 * bench/checkpoint/save_gap: the longest event-loop gap during `fit` of the handbook MLP
 * 784-128-ReLU-10 with Adam on the bundled Fashion-MNIST slice (6,000 images, batch 32), with
 * a ModelCheckpoint every epoch and without one (issue 13, point 7: a save must not block the
 * loop for more than about one batch).
 *
 * Two views of the same thing: perf_hooks.monitorEventLoopDelay's max (the lateness of a
 * 1 ms-resolution timer), and the longest interval between two runs of a 1 ms setInterval.
 *   npx tsx bench/checkpoint/save_gap.ts          (GAP_EPOCHS=n, GAP_ROUNDS=n to change the effort)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { data, manualSeed, nn, optim, train } from '../../src/index.js';

const EPOCHS = Number(process.env.GAP_EPOCHS ?? 3);
const ROUNDS = Number(process.env.GAP_ROUNDS ?? 3);

const { train: set } = await data.loadFashionMnist('examples/data/fashion-mnist');
const scaler = new data.Standardize().fit(set.images);
const x = scaler.transform(set.images);
const dir = mkdtempSync(join(tmpdir(), 'steepest-gap-'));

async function measure(withCheckpoint: boolean): Promise<{ histogramMs: number; intervalMs: number; seconds: number }> {
  manualSeed(0);
  const model = nn.sequential(nn.linear(784, 128), nn.relu(), nn.linear(128, 10));
  const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
  const callbacks = withCheckpoint ? [new train.ModelCheckpoint(join(dir, 'ckpt.safetensors'))] : [];
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  histogram.enable();
  const start = performance.now();
  await train.fit(model, { data: [x, set.labels], epochs: EPOCHS, batchSize: 32, optimizer, loss: 'crossEntropy', callbacks, monitor: false });
  const seconds = (performance.now() - start) / 1000;
  histogram.disable();
  clearInterval(timer);
  return { histogramMs: histogram.max / 1e6, intervalMs: longest, seconds };
}

const rows: string[] = [];
for (let r = 0; r < ROUNDS; r++) {
  for (const withCheckpoint of [false, true]) {
    const m = await measure(withCheckpoint);
    rows.push(`${withCheckpoint ? 'ModelCheckpoint every epoch' : 'no checkpoint              '}  max loop delay ${m.histogramMs.toFixed(1)} ms, longest interval gap ${m.intervalMs.toFixed(1)} ms, fit ${m.seconds.toFixed(2)} s`);
    console.log(rows.at(-1));
  }
}
rmSync(dir, { recursive: true, force: true });
