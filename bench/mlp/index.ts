/**
 * bench/mlp: the handbook MLP (784-128-ReLU-10, CrossEntropy, Adam lr 1e-3) on full
 * Fashion-MNIST (60k train / 10k test) at batch 32, 128 and 256: seconds per epoch and test
 * accuracy after MLP_EPOCHS (default 5) epochs, side by side in the same run with
 *   - PyTorch (bench/mlp/torch_mlp.py, /usr/bin/python3), 1 and 2 threads, the faster taken;
 *   - TensorFlow.js with the wasm backend (bench/mlp/tfjs_mlp.cjs), TFJS_EPOCHS (default 1)
 *     epochs only because it is an order of magnitude slower; loaded from TFJS_DIR (default
 *     /tmp/tfjs-ref, see tfjs_mlp.cjs for the install line) and skipped with a note if absent.
 * The measuring code is src/bench/mlp.ts, shared with `npx steepest bench mlp` (which runs on
 * the bundled slice by default); this file adds TensorFlow.js and writes bench/results/mlp.json.
 *   npm run bench:mlp      (MLP_EPOCHS=2 MLP_BATCHES=32,256 TFJS_EPOCHS=0 to shorten;
 *                           MLP_DATA=folder for other IDX files)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { benchMlp, formatMlp, type MlpReference } from '../../src/bench/mlp.js';
import { writeResult } from '../write_result.js';

const TFJS_EPOCHS = Number(process.env.TFJS_EPOCHS ?? 1);
const TFJS_DIR = process.env.TFJS_DIR ?? '/tmp/tfjs-ref';

const tfjs: MlpReference = {
  name: 'tfjs-wasm',
  epochs: TFJS_EPOCHS,
  run(batch, dataDir) {
    if (TFJS_EPOCHS < 1 || !existsSync(join(TFJS_DIR, 'node_modules/@tensorflow/tfjs-backend-wasm'))) return null;
    const r = spawnSync(process.execPath, [join(import.meta.dirname, 'tfjs_mlp.cjs'), '--batch', String(batch), '--epochs', String(TFJS_EPOCHS), '--data', dataDir],
      { env: { ...process.env, TFJS_DIR }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tfjs_mlp.cjs failed (batch ${batch}): ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').at(-1) as string);
  },
};

const result = await benchMlp({
  data: process.env.MLP_DATA ?? '/usr/share/datasets/fashion-mnist',
  epochs: Number(process.env.MLP_EPOCHS ?? 5),
  batches: (process.env.MLP_BATCHES ?? '32,128,256').split(',').map(Number),
  torch: { python: '/usr/bin/python3', torch: '' },
  others: [tfjs],
  log: (line) => process.stderr.write(`${line}\n`),
});
console.log(formatMlp(result));
writeResult('mlp', result);
