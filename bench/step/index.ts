/**
 * bench/step: one training step (zeroGrad, forward, CrossEntropy, backward, Adam step) of the
 * handbook MLP 784-128-ReLU-10 at batch 1, 32 and 256: our µs per step, the N-API crossings per
 * step (counted in a separate untimed process) and PyTorch's µs per step for the same model in
 * the same run (/usr/bin/python3, 1 and 2 threads, fastest taken), with the ratio ours / PyTorch.
 * The measuring code is src/bench/step.ts, shared with `npx steepest bench step`.
 * Writes bench/results/step.json.
 *   npm run bench:step            (STEP_ROUNDS=5 STEP_STEPS=300 to change the effort)
 */
import { benchStep, formatStep } from '../../src/bench/step.js';
import { writeResult } from '../write_result.js';

const result = benchStep({
  rounds: Number(process.env.STEP_ROUNDS ?? 5),
  steps: Number(process.env.STEP_STEPS ?? 300),
  torch: { python: '/usr/bin/python3', torch: '' },
  log: (line) => process.stderr.write(`${line}\n`),
});
console.log(formatStep(result));
writeResult('step', result);
