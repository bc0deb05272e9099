/**
 * The handbook's optimizer formulas, checked literally: a float64 JavaScript transcription of
 * each formula against the fused native step (float32), 100 steps on the fixture problem.
 */
import { describe, expect, it } from 'vitest';
import { optim } from '../../src/index.js';
import { feedGradient, fixture, flatParams, makeParams, maxRelativeError } from './fixture_problem.js';
import { onEachDevice } from '../helpers/devices.js';

onEachDevice(() => {

const f = Math.fround;

function literal(update: (w: number[], g: number[], t: number) => void): number[] {
  const w = [...fixture.init.w, ...fixture.init.b].map(f);
  const c = [...fixture.target.w, ...fixture.target.b];
  const h = [...fixture.curvature.w, ...fixture.curvature.b];
  for (let t = 1; t <= 100; t++) {
    const g = w.map((v, i) => f(h[i] * (f(v) - c[i])));
    update(w, g, t);
  }
  return w;
}

function ours(make: (ps: ReturnType<typeof makeParams>) => optim.Optimizer<optim.BaseHyper>): Float32Array {
  const params = makeParams();
  const opt = make(params);
  for (let t = 1; t <= 100; t++) {
    feedGradient(params);
    opt.step();
  }
  opt.dispose();
  return flatParams(params);
}

describe("the handbook's optimizer formulas", () => {
  it('SGD with momentum: v = beta * v + (1 - beta) * gradient; W = W - learning_rate * v', () => {
    const lr = 0.2;
    const beta = 0.9;
    const v = new Array(22).fill(0);
    const expected = literal((w, g) => {
      for (let i = 0; i < w.length; i++) {
        v[i] = beta * v[i] + (1 - beta) * g[i];
        w[i] = w[i] - lr * v[i];
      }
    });
    const got = ours((p) => new optim.SGD([p.w, p.b], { lr, momentum: beta, emaMomentum: true }));
    expect(maxRelativeError(got, expected, 1e-2)).toBeLessThan(1e-5);
  });

  it('RMSprop: v = beta * v + (1 - beta) * gradient^2; W = W - (learning_rate / sqrt(v + eps)) * gradient', () => {
    const lr = 0.01;
    const beta = 0.9;
    const eps = 1e-3;
    const v = new Array(22).fill(0);
    const expected = literal((w, g) => {
      for (let i = 0; i < w.length; i++) {
        v[i] = beta * v[i] + (1 - beta) * g[i] ** 2;
        w[i] = w[i] - (lr / Math.sqrt(v[i] + eps)) * g[i];
      }
    });
    const got = ours((p) => new optim.RMSprop([p.w, p.b], { lr, alpha: beta, eps, epsInsideSqrt: true }));
    expect(maxRelativeError(got, expected, 1e-2)).toBeLessThan(1e-5);
  });

  it('Adam: m_hat = m / (1 - beta1^t), v_hat = v / (1 - beta2^t); W = W - lr * m_hat / (sqrt(v_hat) + eps)', () => {
    const lr = 0.01;
    const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
    const m = new Array(22).fill(0);
    const v = new Array(22).fill(0);
    const expected = literal((w, g, t) => {
      for (let i = 0; i < w.length; i++) {
        m[i] = beta1 * m[i] + (1 - beta1) * g[i];
        v[i] = beta2 * v[i] + (1 - beta2) * g[i] ** 2;
        const mHat = m[i] / (1 - beta1 ** t);
        const vHat = v[i] / (1 - beta2 ** t);
        w[i] = w[i] - (lr * mHat) / (Math.sqrt(vHat) + eps);
      }
    });
    // The handbook's default parameters are the optimizer's defaults.
    const got = ours((p) => new optim.Adam([p.w, p.b], { lr }));
    expect(maxRelativeError(got, expected, 1e-2)).toBeLessThan(1e-5);
  });
});
});
