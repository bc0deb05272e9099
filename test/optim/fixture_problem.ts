/**
 * The fixed problem of test/fixtures/optim/trajectories.json (bench/reference/optim_fixtures.py):
 * loss = sum(h/2 * (p - c)^2) over w [3, 5] and b [7], gradient h * (p - c) evaluated in
 * float64 from the float32 parameters and rounded to float32, as the fixture script does.
 */
import { readFileSync } from 'node:fs';
import { optim, tensor, type Tensor } from '../../src/index.js';

export interface TrajectoryCase {
  name: string;
  optimizer: 'SGD' | 'Adam' | 'AdamW' | 'RMSprop' | 'Adagrad';
  /** One entry: a single group [w, b]; two: groups [w] and [b]. */
  groups: Record<string, unknown>[];
  global: { clipGradNorm?: number; clipGradValue?: number };
  steps: number[];
  params: number[][];
}

export interface TrajectoryFixture {
  shapes: { w: number[]; b: number[] };
  init: { w: number[]; b: number[] };
  target: { w: number[]; b: number[] };
  curvature: { w: number[]; b: number[] };
  cases: TrajectoryCase[];
}

export const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/optim/trajectories.json', import.meta.url), 'utf8'),
) as TrajectoryFixture;

/** Fresh leaf parameters w and b at the fixture's initial values. */
export function makeParams(): { w: Tensor; b: Tensor } {
  return {
    w: tensor(Float32Array.from(fixture.init.w), fixture.shapes.w).requiresGrad_(),
    b: tensor(Float32Array.from(fixture.init.b), fixture.shapes.b).requiresGrad_(),
  };
}

/** Writes the problem's gradient at the current parameter values into each `.grad`. */
export function feedGradient(params: { w: Tensor; b: Tensor }): void {
  for (const key of ['w', 'b'] as const) {
    const p = params[key];
    const values = p.toFloat32Array();
    const g = new Float32Array(values.length);
    const c = fixture.target[key];
    const h = fixture.curvature[key];
    for (let i = 0; i < values.length; i++) g[i] = Math.fround(h[i] * (values[i] - c[i]));
    p.grad!.buffer.write(g, p.grad!.offset);
  }
}

const CLASSES = {
  SGD: optim.SGD, Adam: optim.Adam, AdamW: optim.AdamW, RMSprop: optim.RMSprop, Adagrad: optim.Adagrad,
} as const;

/** The case's optimizer over fresh parameters: one group [w, b], or two groups [w] and [b]. */
export function makeOptimizer(c: TrajectoryCase, extra: Record<string, unknown> = {}) {
  const params = makeParams();
  const Cls = CLASSES[c.optimizer] as unknown as new (p: unknown, o: unknown) => optim.Optimizer<optim.BaseHyper>;
  const opt = c.groups.length === 2
    ? new Cls([{ params: [params.w], ...c.groups[0] }, { params: [params.b], ...c.groups[1] }], { ...c.global, ...extra })
    : new Cls([params.w, params.b], { ...c.groups[0], ...c.global, ...extra });
  return { params, opt };
}

/** Parameters flattened as the fixture records them: w then b. */
export function flatParams(params: { w: Tensor; b: Tensor }): Float32Array {
  const w = params.w.toFloat32Array();
  const out = new Float32Array(w.length + params.b.size);
  out.set(w);
  out.set(params.b.toFloat32Array(), w.length);
  return out;
}

/** max_i |a_i - b_i| / max(|b_i|, floor). */
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-3): number {
  let err = 0;
  for (let i = 0; i < b.length; i++) err = Math.max(err, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), floor));
  return err;
}
