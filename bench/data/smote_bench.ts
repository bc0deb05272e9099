/**
 * SMOTE workload of the bench: 20,000 x 50 float32, two classes at 10:1 (18,182 / 1,818), the
 * minority shifted so the classes overlap partly. Generated with steepest's seeded RNG.
 */
import { writeFileSync } from 'node:fs';
import { randn } from '../../src/ops/creation.js';
import { tensor } from '../../src/ops/creation.js';
import { Generator } from '../../src/random.js';
import { SMOTE } from '../../src/data/smote.js';
import type { Tensor } from '../../src/tensor.js';

export const SMOTE_N = 20_000;
export const SMOTE_D = 50;
export const SMOTE_MINORITY = 1_818;

/** The workload: x [20000, 50], y (0 majority, 1 minority). */
export function smoteWorkload(): { x: Tensor; y: Int32Array } {
  const g = new Generator(42);
  const x = randn([SMOTE_N, SMOTE_D], { generator: g });
  const xs = x.toFloat32Array();
  const y = new Int32Array(SMOTE_N);
  for (let i = SMOTE_N - SMOTE_MINORITY; i < SMOTE_N; i++) {
    y[i] = 1;
    for (let j = 0; j < SMOTE_D; j++) xs[i * SMOTE_D + j] += 0.75;
  }
  return { x: tensor(xs, [SMOTE_N, SMOTE_D]), y };
}

/** Writes the workload as raw float32 / int32 files for the Python side. */
export function writeWorkload(prefix: string, x: Tensor, y: Int32Array): void {
  writeFileSync(`${prefix}.x`, x.toFloat32Array());
  writeFileSync(`${prefix}.y`, y);
}

/** Seconds per fitResample (after a warm-up) and the class counts of the result. */
export function smoteSeconds(x: Tensor, y: Int32Array, reps: number): { seconds: number[]; counts: Record<string, number> } {
  const run = () => new SMOTE({ kNeighbors: 5, seed: 0 }).fitResample(x, y);
  run();
  const seconds: number[] = [];
  let counts: Record<string, number> = {};
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    const res = run();
    seconds.push((performance.now() - t0) / 1000);
    counts = {};
    for (const c of res.y.toArray()) counts[String(c)] = (counts[String(c)] ?? 0) + 1;
    res.x.dispose();
    res.y.dispose();
  }
  return { seconds, counts };
}
