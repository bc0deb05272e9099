/**
 * bench:optim — fused optimizer step throughput against the machine's copy bandwidth and
 * PyTorch's Adam, in the same run: src/bench/optim.ts (shared with `npx steepest bench optim`)
 * on n = 1e5, 1e6, 1e7 parameters, 7 interleaved samples of ~0.15 s each, PyTorch 1.13 from
 * /usr/bin/python3 (bench/optim/torch_adam.py). Writes bench/results/optim.json.
 *
 *   npm run bench:optim            (STEEPEST_BENCH_REPS=N for more samples)
 */
import { benchOptim, formatOptim } from '../../src/bench/optim.js';
import { writeResult } from '../write_result.js';

const result = await benchOptim({
  reps: Number(process.env.STEEPEST_BENCH_REPS ?? 7),
  torch: { python: '/usr/bin/python3', torch: '' },
  log: (line) => process.stderr.write(`${line}\n`),
});
console.log(formatOptim(result));
writeResult('optim', result);
