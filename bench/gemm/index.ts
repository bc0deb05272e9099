/**
 * `npm run bench:gemm`: GFLOP/s of steepest's native GEMM against OpenBLAS, side by side in the
 * same run, at 1 thread and at all threads, for squares 64..2048 and the MLP training shapes;
 * plus the machine's measured fp32 FMA peak and our fraction of it. The measuring code is
 * src/bench/gemm.ts, shared with `npx steepest bench gemm` (which compares with PyTorch instead);
 * this file adds the OpenBLAS side and writes bench/results/gemm.json.
 *
 * OpenBLAS is timed by a small C harness (openblas_harness.c) compiled here with `cc` against
 * the system libopenblas and driven over a pipe; its thread count is set per measurement with
 * openblas_set_num_threads. Rounds pair our samples with OpenBLAS's (see src/bench/gemm.ts for
 * the pairing and the rule that adds rounds while the ratio's 90 % interval is wide).
 *
 * Environment: GEMM_BENCH_ROUNDS (minimum rounds, default 11), GEMM_BENCH_MAX_ROUNDS (default
 * 33), GEMM_BENCH_PRECISION (default 0.2), GEMM_BENCH_SAMPLE_S (seconds per sample, default
 * 0.1), GEMM_BENCH_FILTER (substring of the shape names to run).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchGemm, formatGemm, gemmShapes } from '../../src/bench/gemm.js';
import { LineChild, referenceEnv } from '../../src/bench/python.js';
import { writeResult } from '../write_result.js';

const dir = mkdtempSync(join(tmpdir(), 'steepest-gemm-bench-'));
const binary = join(dir, 'openblas_harness');
execFileSync('cc', ['-O2', '-o', binary, join(import.meta.dirname, 'openblas_harness.c'), '-lopenblas', '-lpthread'], { stdio: 'inherit' });
const blas = new LineChild(binary, [], referenceEnv(), 'bench:gemm: openblas_harness');
try {
  const filter = process.env.GEMM_BENCH_FILTER ?? '';
  const result = await benchGemm({
    shapes: gemmShapes().filter((s) => s.name.includes(filter)),
    minRounds: Number(process.env.GEMM_BENCH_ROUNDS ?? 11),
    maxRounds: Number(process.env.GEMM_BENCH_MAX_ROUNDS ?? 33),
    precision: Number(process.env.GEMM_BENCH_PRECISION ?? 0.2),
    sampleSeconds: Number(process.env.GEMM_BENCH_SAMPLE_S ?? 0.1),
    reference: { name: 'OpenBLAS', ask: (command) => blas.ask(command) },
    log: (line) => process.stderr.write(`${line}\n`),
  });
  console.log(formatGemm(result));
  writeResult('gemm', result);
} finally {
  blas.close();
  rmSync(dir, { recursive: true, force: true });
}
