// The GP sampler's numerics, each against an independent float64 computation: the native
// Cholesky and solves, the marginal-likelihood gradient against central differences, the
// posterior against a dense solve, log EI against its definition, and L-BFGS on Rosenbrock.
import { describe, expect, it } from 'vitest';
import { maximizeLogEI } from '../../src/tune/gp/acquisition.js';
import { GaussianProcess, priors } from '../../src/tune/gp/gaussian_process.js';
import { lbfgs } from '../../src/tune/gp/lbfgs.js';
import { cholesky, choleskyInverse, triangularSolve } from '../../src/tune/gp/linalg.js';
import { logExpectedImprovement, logH, normalCdf, normalPdf } from '../../src/tune/gp/log_ei.js';
import { matern52 } from '../../src/tune/gp/matern52.js';

/** A seeded uniform stream (mulberry32), independent of the code under test. */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random SPD matrix B B^T + n I. */
function spd(n: number, rand: () => number): Float64Array {
  const b = Float64Array.from({ length: n * n }, () => rand() - 0.5);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = i === j ? n : 0;
    for (let k = 0; k < n; k++) s += b[i * n + k] * b[j * n + k];
    a[i * n + j] = s;
  }
  return a;
}

const matmul = (a: Float64Array, b: Float64Array, n: number, m: number, bT = false) => {
  const out = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += a[i * n + k] * (bT ? b[j * n + k] : b[k * m + j]);
    out[i * m + j] = s;
  }
  return out;
};
const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>) => { let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i])); return m; };

describe('native float64 linear algebra', () => {
  it('cholesky: L L^T = A, L lower triangular; solves and the inverse agree with products', () => {
    const rand = uniform(1);
    for (const n of [1, 2, 7, 33, 120]) {
      const a = spd(n, rand);
      const l = Float64Array.from(a);
      expect(cholesky(l, n)).toBe(true);
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(l[i * n + j]).toBe(0);
      expect(maxAbs(matmul(l, l, n, n, true), a)).toBeLessThan(1e-10 * n);
      // L X = B and L^T X = B, for 3 right-hand sides.
      const b = Float64Array.from({ length: n * 3 }, () => rand());
      const x = Float64Array.from(b);
      triangularSolve(l, n, x, 3, false);
      expect(maxAbs(matmul(l, x, n, 3), b)).toBeLessThan(1e-10);
      const lt = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) lt[i * n + j] = l[j * n + i];
      const y = Float64Array.from(b);
      triangularSolve(l, n, y, 3, true);
      expect(maxAbs(matmul(lt, y, n, 3), b)).toBeLessThan(1e-10);
      const inv = choleskyInverse(l, n);
      const eye = Float64Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? 1 : 0));
      expect(maxAbs(matmul(a, inv, n, n), eye)).toBeLessThan(1e-10);
    }
  });

  it('cholesky refuses a matrix that is not positive definite, and checks its arguments', () => {
    expect(cholesky(Float64Array.of(1, 2, 2, 1), 2)).toBe(false);
    expect(cholesky(Float64Array.of(NaN), 1)).toBe(false);
    expect(() => cholesky(new Float64Array(3), 2)).toThrow(/choleskyF64: a holds 3 elements, expected 4/);
    expect(() => cholesky(new Float32Array(4) as unknown as Float64Array, 2)).toThrow(/choleskyF64: a must be a Float64Array/);
  });
});

/** n points in [0,1]^d and a smooth target. */
function data(n: number, d: number, seed: number) {
  const rand = uniform(seed);
  const x = Float64Array.from({ length: n * d }, () => rand());
  const y = new Float64Array(n);
  for (let a = 0; a < n; a++) {
    let v = 0;
    for (let i = 0; i < d; i++) v += Math.sin(3 * x[a * d + i] * (i + 1));
    y[a] = v;
  }
  const mean = y.reduce((s, v) => s + v, 0) / n;
  const std = Math.sqrt(y.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
  for (let a = 0; a < n; a++) y[a] = (y[a] - mean) / std;
  return { x, y };
}

describe('GaussianProcess', () => {
  it('the fitted hyperparameters are a stationary point of the MAP objective (central differences)', () => {
    const { x, y } = data(25, 3, 2);
    const gp = GaussianProcess.fit(x, y, 25, 3);
    // The objective, recomputed independently with a dense JS Cholesky.
    const objective = (theta: Float64Array) => {
      const d = 3, n = 25, p = priors(d);
      const inv = theta.slice(0, d).map((t) => Math.exp(-2 * t));
      const s = Math.exp(theta[d]), noise = Math.exp(theta[d + 1]);
      const k = new Float64Array(n * n);
      for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) {
        let r2 = 0;
        for (let i = 0; i < d; i++) r2 += (x[a * d + i] - x[b * d + i]) ** 2 * inv[i];
        k[a * n + b] = matern52(Math.sqrt(r2), s) + (a === b ? noise : 0);
      }
      const l = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
        let sum = k[i * n + j];
        for (let q = 0; q < j; q++) sum -= l[i * n + q] * l[j * n + q];
        l[i * n + j] = i === j ? Math.sqrt(sum) : sum / l[j * n + j];
      }
      const z = new Float64Array(n);
      for (let i = 0; i < n; i++) { let sum = y[i]; for (let q = 0; q < i; q++) sum -= l[i * n + q] * z[q]; z[i] = sum / l[i * n + i]; }
      let f = 0.5 * n * Math.log(2 * Math.PI);
      for (let i = 0; i < n; i++) f += 0.5 * z[i] * z[i] + Math.log(l[i * n + i]);
      const prior = (t: number, q: { mean: number; variance: number }) => (t - q.mean) ** 2 / (2 * q.variance);
      for (let i = 0; i < d; i++) f += prior(theta[i], p.lengthscale);
      return f + prior(theta[d], p.scale) + prior(theta[d + 1], p.noise);
    };
    const p = priors(3);
    const bounds = [p.lengthscale, p.lengthscale, p.lengthscale, p.scale, p.noise];
    const f0 = objective(gp.theta);
    for (let j = 0; j < 5; j++) {
      const h = 1e-4;
      const up = Float64Array.from(gp.theta); up[j] += h;
      const down = Float64Array.from(gp.theta); down[j] -= h;
      const atBound = gp.theta[j] - bounds[j].lower < 1e-6 || bounds[j].upper - gp.theta[j] < 1e-6;
      const g = (objective(up) - objective(down)) / (2 * h);
      if (!atBound) expect(Math.abs(g), `d/dtheta_${j}`).toBeLessThan(2e-3 * Math.max(1, Math.abs(f0)));
    }
  });

  it('the posterior equals the dense formula mean = k*^T K^-1 y, var = k** - k*^T K^-1 k*', () => {
    const { x, y } = data(15, 2, 3);
    const gp = GaussianProcess.fit(x, y, 15, 2);
    const invL2 = [0, 1].map((i) => Math.exp(-2 * gp.theta[i]));
    const kern = (p: ArrayLike<number>, q: ArrayLike<number>) => matern52(Math.sqrt((p[0] - q[0]) ** 2 * invL2[0] + (p[1] - q[1]) ** 2 * invL2[1]), gp.scale);
    const n = 15;
    const k = new Float64Array(n * n);
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) k[a * n + b] = kern(x.subarray(2 * a), x.subarray(2 * b)) + (a === b ? gp.noise : 0);
    const l = Float64Array.from(k);
    cholesky(l, n);
    const kInv = choleskyInverse(l, n);
    const points = Float64Array.of(0.1, 0.9, 0.5, 0.5, x[0], x[1]);
    const { mean, variance } = gp.posterior(points, 3);
    const gMean = new Float64Array(2), gVar = new Float64Array(2);
    for (let c = 0; c < 3; c++) {
      const ks = Array.from({ length: n }, (_, a) => kern(x.subarray(2 * a), points.subarray(2 * c)));
      let m = 0, q = 0;
      for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) { m += ks[a] * kInv[a * n + b] * y[b]; q += ks[a] * kInv[a * n + b] * ks[b]; }
      expect(mean[c]).toBeCloseTo(m, 9);
      expect(variance[c]).toBeCloseTo(Math.max(gp.scale - q, 1e-12 * gp.scale), 9);
      const one = gp.posteriorWithGradient(points.slice(2 * c, 2 * c + 2), gMean, gVar);
      expect(one.mean).toBeCloseTo(m, 9);
      expect(one.variance).toBeCloseTo(variance[c], 9);
    }
  });

  it('posterior gradients match central differences', () => {
    const { x, y } = data(20, 3, 4);
    const gp = GaussianProcess.fit(x, y, 20, 3);
    const point = Float64Array.of(0.3, 0.6, 0.45);
    const gMean = new Float64Array(3), gVar = new Float64Array(3), scratch = new Float64Array(3);
    gp.posteriorWithGradient(point, gMean, gVar);
    for (let i = 0; i < 3; i++) {
      const h = 1e-6;
      const up = Float64Array.from(point); up[i] += h;
      const down = Float64Array.from(point); down[i] -= h;
      const a = gp.posteriorWithGradient(up, scratch, scratch), b = gp.posteriorWithGradient(down, scratch, scratch);
      expect(gMean[i]).toBeCloseTo((a.mean - b.mean) / (2 * h), 5);
      expect(gVar[i]).toBeCloseTo((a.variance - b.variance) / (2 * h), 5);
    }
  });
});

describe('log expected improvement', () => {
  it('equals log(sigma (phi(z) + z Phi(z))) where that is representable, and is smooth past z = -8', () => {
    for (const z of [-7.5, -5, -2, -0.5, 0, 0.7, 3]) {
      const direct = Math.log(normalPdf(z) + z * normalCdf(z));
      expect(logH(z).value).toBeCloseTo(direct, 4);
    }
    // Continuity across the switch to the asymptotic series, and a finite value far out.
    expect(Math.abs(logH(-8 - 1e-9).value - logH(-8 + 1e-9).value)).toBeLessThan(1e-4);
    expect(Math.abs(logH(-8 - 1e-9).slope - logH(-8 + 1e-9).slope)).toBeLessThan(1e-3);
    expect(Number.isFinite(logH(-40).value)).toBe(true);
    expect(logH(-40).value).toBeLessThan(logH(-39).value);
  });

  it('its derivatives in mean and variance match central differences', () => {
    for (const [mu, v] of [[0.3, 0.2], [2, 0.01], [-1, 1.5], [5, 0.04]]) {
      const e = logExpectedImprovement(mu, v, 0);
      const h = 1e-6;
      expect(e.dMean).toBeCloseTo((logExpectedImprovement(mu + h, v, 0).value - logExpectedImprovement(mu - h, v, 0).value) / (2 * h), 4);
      expect(e.dVariance).toBeCloseTo((logExpectedImprovement(mu, v + h, 0).value - logExpectedImprovement(mu, v - h, 0).value) / (2 * h), 3);
    }
  });
});

describe('lbfgs', () => {
  const rosenbrock = (x: Float64Array, g: Float64Array) => {
    let f = 0;
    g.fill(0);
    for (let i = 0; i + 1 < x.length; i++) {
      const a = x[i + 1] - x[i] * x[i], b = 1 - x[i];
      f += 100 * a * a + b * b;
      g[i] += -400 * a * x[i] - 2 * b;
      g[i + 1] += 200 * a;
    }
    return f;
  };
  it('finds the minimum of Rosenbrock in 2 and 10 dimensions', () => {
    for (const n of [2, 10]) {
      const r = lbfgs(rosenbrock, new Float64Array(n).fill(-1.2), { maxIter: 2000, gradTol: 1e-8, fTol: 0 });
      expect(r.f).toBeLessThan(1e-8);
      for (const v of r.x) expect(v).toBeCloseTo(1, 3);
    }
  });
  it('stays inside box bounds and stops on the active bound', () => {
    const r = lbfgs(rosenbrock, Float64Array.of(0.2, 0.2), { lower: Float64Array.of(0, 0), upper: Float64Array.of(0.5, 0.5), maxIter: 500, fTol: 0 });
    expect(r.x[0]).toBeCloseTo(0.5, 6);
    expect(r.x[1]).toBeCloseTo(0.25, 3);
  });
});

describe('maximizeLogEI', () => {
  it('proposes a point in the cube with at least the best candidate\'s score, next to the unexplored optimum', () => {
    // 1-D: f(x) = (x - 0.8)^2 observed on the left half only; EI must push right of 0.5.
    const xs = Float64Array.of(0.05, 0.15, 0.25, 0.35, 0.45, 0.5);
    const ys = xs.map((v) => (v - 0.8) ** 2);
    const mean = ys.reduce((s, v) => s + v, 0) / ys.length;
    const std = Math.sqrt(ys.reduce((s, v) => s + (v - mean) ** 2, 0) / ys.length);
    const y = ys.map((v) => (v - mean) / std);
    const gp = GaussianProcess.fit(xs, y, xs.length, 1);
    const rand = uniform(5);
    const candidates = Float64Array.from({ length: 64 }, () => rand());
    const { x, value } = maximizeLogEI(gp, { candidates, best: Math.min(...y) });
    const cand = gp.posterior(candidates, 64);
    let bestCandidate = -Infinity;
    for (let c = 0; c < 64; c++) bestCandidate = Math.max(bestCandidate, logExpectedImprovement(cand.mean[c], cand.variance[c], Math.min(...y)).value);
    expect(value).toBeGreaterThanOrEqual(bestCandidate);
    expect(x[0]).toBeGreaterThan(0.5);
    expect(x[0]).toBeLessThanOrEqual(1);
  });
});
