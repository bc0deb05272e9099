/**
 * Limited-memory BFGS (Nocedal & Wright, "Numerical Optimization", Algorithm 7.4, two-loop
 * recursion) with an Armijo backtracking line search, for the GP's two small smooth problems:
 * its hyperparameters (d + 2 variables) and the acquisition polish (d variables in the unit
 * cube). Box bounds are handled by projecting each trial point onto the box and dropping the
 * curvature pairs that the projection made unusable: a projected quasi-Newton method, simpler
 * than L-BFGS-B and enough for a few dozen variables with a good start.
 */

/** f(x), writing its gradient into `grad`. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  /** Iterations at most (default 50). */
  maxIter?: number;
  /** Curvature pairs kept (default 8). */
  memory?: number;
  /** Stop when the projected gradient's largest component is below this (default 1e-6). */
  gradTol?: number;
  /** Stop when f improves by less than this relative amount (default 1e-9). */
  fTol?: number;
  lower?: Float64Array;
  upper?: Float64Array;
}

export interface LbfgsResult {
  x: Float64Array;
  f: number;
  iterations: number;
}

function project(x: Float64Array, lower?: Float64Array, upper?: Float64Array): void {
  if (!lower || !upper) return;
  for (let i = 0; i < x.length; i++) x[i] = Math.min(upper[i], Math.max(lower[i], x[i]));
}

/** True when x_i sits on a bound and the gradient pushes it outward. */
function atBound(x: Float64Array, g: Float64Array, i: number, lower?: Float64Array, upper?: Float64Array): boolean {
  return Boolean((lower && x[i] <= lower[i] && g[i] > 0) || (upper && x[i] >= upper[i] && g[i] < 0));
}

/**
 * dir = -H g over the free variables (two-loop recursion), with H0 = gamma I scaled by the
 * newest pair (N&W eq. 7.20), or a unit steepest-descent step when no pair is stored.
 */
function twoLoop(g: Float64Array, s: Float64Array[], y: Float64Array[], rho: number[], alpha: Float64Array, dir: Float64Array, active: Uint8Array): void {
  const n = g.length;
  for (let i = 0; i < n; i++) dir[i] = active[i] ? 0 : g[i];
  for (let k = s.length - 1; k >= 0; k--) {
    alpha[k] = rho[k] * dot(s[k], dir);
    for (let i = 0; i < n; i++) dir[i] -= alpha[k] * y[k][i];
  }
  const last = s.length - 1;
  const gamma = last >= 0 ? dot(s[last], y[last]) / dot(y[last], y[last]) : 1 / Math.max(1, Math.sqrt(dot(dir, dir)));
  for (let i = 0; i < n; i++) dir[i] *= gamma;
  for (let k = 0; k < s.length; k++) {
    const beta = rho[k] * dot(y[k], dir);
    for (let i = 0; i < n; i++) dir[i] += s[k][i] * (alpha[k] - beta);
  }
  for (let i = 0; i < n; i++) dir[i] = active[i] ? 0 : -dir[i];
}

/** Largest |component| of the gradient that the bounds do not block. */
function projectedGradNorm(x: Float64Array, g: Float64Array, lower?: Float64Array, upper?: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) if (!atBound(x, g, i, lower, upper)) m = Math.max(m, Math.abs(g[i]));
  return m;
}

const dot = (a: Float64Array, b: Float64Array) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i] * b[i]; return s; };

/** Minimizes f from x0 (not modified). A non-finite f at a trial point counts as a failed step. */
export function lbfgs(f: Objective, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const { maxIter = 50, memory = 8, gradTol = 1e-6, fTol = 1e-9, lower, upper } = options;
  const n = x0.length;
  const x = Float64Array.from(x0);
  project(x, lower, upper);
  const g = new Float64Array(n);
  let fx = f(x, g);
  if (!Number.isFinite(fx)) return { x, f: fx, iterations: 0 };
  const s: Float64Array[] = [], y: Float64Array[] = [], rho: number[] = [];
  const dir = new Float64Array(n), xNew = new Float64Array(n), gNew = new Float64Array(n);
  const alpha = new Float64Array(memory);
  const active = new Uint8Array(n);
  let iter = 0;
  for (; iter < maxIter; iter++) {
    if (projectedGradNorm(x, g, lower, upper) < gradTol) break;
    // Variables held at a bound by the gradient are frozen for this step (an active set):
    // the quasi-Newton direction is computed for the free ones only.
    for (let i = 0; i < n; i++) active[i] = atBound(x, g, i, lower, upper) ? 1 : 0;
    let accepted = false, fNew = NaN;
    for (let attempt = 0; attempt < 2 && !accepted; attempt++) {
      if (attempt === 1) s.length = y.length = rho.length = 0; // retry from steepest descent
      twoLoop(g, s, y, rho, alpha, dir, active);
      let descent = 0;
      for (let i = 0; i < n; i++) descent += dir[i] * g[i];
      if (!(descent < 0)) { s.length = y.length = rho.length = 0; twoLoop(g, s, y, rho, alpha, dir, active); }
      // Backtracking on the projected path x(t) = P(x + t dir), Armijo on the actual step.
      let t = 1;
      for (let ls = 0; ls < 40; ls++, t *= 0.5) {
        for (let i = 0; i < n; i++) xNew[i] = x[i] + t * dir[i];
        project(xNew, lower, upper);
        let decrease = 0;
        for (let i = 0; i < n; i++) decrease += g[i] * (xNew[i] - x[i]);
        if (!(decrease < 0)) break;
        fNew = f(xNew, gNew);
        if (Number.isFinite(fNew) && fNew <= fx + 1e-4 * decrease) { accepted = true; break; }
      }
    }
    if (!accepted) break;
    const sk = new Float64Array(n), yk = new Float64Array(n);
    for (let i = 0; i < n; i++) { sk[i] = xNew[i] - x[i]; yk[i] = gNew[i] - g[i]; }
    const sy = dot(sk, yk);
    if (sy > 1e-12 * Math.sqrt(dot(sk, sk) * dot(yk, yk))) {
      if (s.length === memory) { s.shift(); y.shift(); rho.shift(); }
      s.push(sk); y.push(yk); rho.push(1 / sy);
    }
    const improvement = fx - fNew;
    x.set(xNew); g.set(gNew); fx = fNew;
    if (improvement <= fTol * Math.max(1, Math.abs(fx))) { iter++; break; }
  }
  return { x, f: fx, iterations: iter };
}
