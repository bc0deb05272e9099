/**
 * A second Backend, for tests only: every kernel in plain float64 TypeScript loops, written from
 * the formulas (native/common/*.h state them), sharing no code with the addon. Running the ops,
 * autograd, loss and optimizer tests on it as well as on 'cpu' proves the seam: nothing above
 * src/backend reaches the CPU except through the backend of its tensors' device.
 *
 * Each kernel computes in float64 and rounds once when it stores its float32 result (a
 * correctly rounded float32 op), so agreement with the CPU within float32 tolerances is
 * agreement with the exact math, and optimizer trajectories stay comparable with PyTorch's
 * float32 fixtures. Slow on purpose and never shipped (it lives under test/). The RNG is the library's counter-based stream
 * (src/random.ts's splitmix64), so seeded draws equal the CPU's.
 *
 * Data kernels the parametrized tests do not reach (kNN, SMOTE, samplers, column statistics)
 * throw 'ref: <kernel> is not implemented'.
 */
import type {
  Backend, BinaryName, DeviceBuffer, DType, Layout, OptimKind, PointwiseLossName, ReductionName, UnaryName,
} from '../../src/backend/backend.js';
import { backendFor, registerBackend, devices } from '../../src/backend/registry.js';
import { cudaStatus } from '../../src/backend/host.js';
import { stepLayout } from '../../src/backend/step_layout.js';
import { splitmix64 } from '../../src/random.js';
import {
  adaptiveAvgPoolRef, avgPoolRef, convBackwardRef, convForwardRef, maxPoolRef, outSize, type Conv, type Pool,
} from '../native/conv_reference.js';
import { tensorKernels } from './reference_tensor_kernels.js';
import { gatesOf, layerBackward, layerForward, type LayerShape } from './recurrent_reference.js';

export class RefBuffer implements DeviceBuffer {
  data: Float32Array | Int32Array | null;
  constructor(readonly dtype: DType, readonly length: number) {
    this.data = dtype === 'int32' ? new Int32Array(length) : new Float32Array(length);
  }
  get disposed(): boolean {
    return this.data === null;
  }
  dispose(): void {
    this.data = null;
  }
  get values(): Float32Array | Int32Array {
    if (!this.data) throw new Error('ref: tensor was disposed');
    return this.data;
  }
  private range(op: string, offset: number, count: number): void {
    if (!(offset >= 0 && count >= 0 && offset + count <= this.length)) {
      throw new RangeError(`ref: ${op}: [${offset}, +${count}) is outside a buffer of ${this.length}`);
    }
  }
  read(offset: number, count: number): Float32Array | Int32Array {
    this.range('read', offset, count);
    const v = this.values.subarray(offset, offset + count);
    return this.dtype === 'int32' ? Int32Array.from(v) : Float32Array.from(v);
  }
  write(data: Float32Array | Int32Array, offset: number): void {
    this.range('write', offset, data.length);
    this.values.set(data, offset);
  }
  copyFrom(source: DeviceBuffer, sourceOffset: number, destinationOffset: number, count: number): void {
    if (!(source instanceof RefBuffer)) throw new TypeError("ref: copyFrom: the source is not a 'ref' buffer");
    source.range('copyFrom', sourceOffset, count);
    this.range('copyFrom', destinationOffset, count);
    this.values.set(source.values.subarray(sourceOffset, sourceOffset + count), destinationOffset);
  }
}

const V = (b: DeviceBuffer): Float32Array | Int32Array => {
  if (!(b instanceof RefBuffer)) throw new TypeError("ref: a buffer of another device reached the 'ref' backend");
  return b.values;
};
const O = (b: DeviceBuffer | null) => (b ? V(b) : null);
const f32 = Math.fround;

// The counter-based stream of native/common/rng.h, in float64 where the CPU rounds once.
const uniform01 = (seed: number, i: number) => Number(splitmix64(BigInt(seed), BigInt(i)) >> 40n) / 16777216;
const uniformOpen01 = (seed: number, i: number) => (Number(splitmix64(BigInt(seed), BigInt(i)) >> 11n) + 1) / 9007199254740992;
function normal01(seed: number, i: number): number {
  const pair = Math.floor(i / 2);
  const r = Math.sqrt(-2 * Math.log(uniformOpen01(seed, 2 * pair)));
  const theta = 2 * Math.PI * uniformOpen01(seed, 2 * pair + 1);
  return i % 2 ? r * Math.sin(theta) : r * Math.cos(theta);
}

const sign = (x: number) => (x > 0 ? 1 : x < 0 ? -1 : 0);
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
function erf(x: number): number {
  // Abramowitz-Stegun 7.1.26 is 1.5e-7 off; a series / continued fraction pair is exact enough.
  const ax = Math.abs(x);
  if (ax < 3) {
    let sum = x, term = x;
    for (let n = 1; n < 60; n++) {
      term *= -x * x / n;
      sum += term / (2 * n + 1);
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  let cf = 0;
  for (let n = 60; n >= 1; n--) cf = (n / 2) / (ax + cf);
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + cf);
  return sign(x) * (1 - erfc);
}
const Phi = (x: number) => 0.5 * (1 + erf(x / Math.SQRT2));

const BINARY: Record<BinaryName, (a: number, b: number) => number> = {
  add: (a, b) => a + b, sub: (a, b) => a - b, mul: (a, b) => a * b, div: (a, b) => a / b,
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
};

const UNARY: Record<UnaryName, (x: number, p1: number, p2: number) => number> = {
  neg: (x) => -x, exp: Math.exp, log: Math.log, sqrt: Math.sqrt, abs: Math.abs, sign,
  clamp: (x, lo, hi) => (Number.isNaN(x) ? x : Math.min(Math.max(x, lo), hi)),
  relu: (x) => (x > 0 ? x : 0), leakyRelu: (x, s) => (x > 0 ? x : s * x), sigmoid, tanh: Math.tanh,
  gelu: (x) => x * Phi(x), square: (x) => x * x,
};

const UNARY_GRAD: Record<UnaryName, (x: number, p1: number, p2: number) => number> = {
  neg: () => -1, exp: Math.exp, log: (x) => 1 / x, sqrt: (x) => 0.5 / Math.sqrt(x), abs: sign, sign: () => 0,
  clamp: (x, lo, hi) => (x >= lo && x <= hi ? 1 : 0),
  relu: (x) => (x > 0 ? 1 : 0), leakyRelu: (x, s) => (x > 0 ? 1 : s),
  sigmoid: (x) => sigmoid(x) * (1 - sigmoid(x)), tanh: (x) => 1 - Math.tanh(x) ** 2,
  gelu: (x) => Phi(x) + x * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI), square: (x) => 2 * x,
};

/** Element (r, c) of an operand read with `layout` over a [rows, cols] output. */
const at = (layout: Layout, r: number, c: number, cols: number) =>
  layout === 'full' ? r * cols + c : layout === 'row' ? c : layout === 'column' ? r : 0;

function reduceWith(reduction: ReductionName, losses: number[], denom: number, out: Float32Array | Int32Array, outOff: number): void {
  if (reduction === 'none') losses.forEach((l, i) => (out[outOff + i] = l));
  else {
    const total = losses.reduce((a, b) => a + b, 0);
    out[outOff] = reduction === 'mean' ? total / denom : total;
  }
}

const notImplemented = (kernel: string) => () => {
  throw new Error(`ref: ${kernel} is not implemented`);
};

/** One fused optimizer step in float64: the order of native/cpu/optim.cc, the rules of native/common/optim/<rule>.h. */
function optimStep(kind: OptimKind, param: DeviceBuffer, grad: DeviceBuffer, s0: DeviceBuffer | null,
  s1: DeviceBuffer | null, s2: DeviceBuffer | null, length: number, table: Float64Array): boolean {
  const L = stepLayout;
  const p = V(param), g = V(grad), st = [O(s0), O(s1), O(s2)];
  const clip = table[L.header.clipValue], clipNorm = table[L.header.clipNorm];
  const clipped = (v: number) => Math.min(Math.max(v, -clip), clip);
  table[L.header.gradNorm] = -1;
  table[L.header.nonFiniteIndex] = -1;
  let scale = 1;
  if (clipNorm > 0 || table[L.header.checkFinite]) {
    let sumsq = 0;
    for (let i = 0; i < length; i++) sumsq += clipped(g[i]) ** 2;
    if (clipNorm > 0) table[L.header.gradNorm] = Math.sqrt(sumsq);
    const bad = g.subarray(0, length).findIndex((v) => !Number.isFinite(v));
    if (bad >= 0 && table[L.header.checkFinite]) {
      table[L.header.nonFiniteIndex] = bad;
      table[L.header.applied] = 0;
      return false;
    }
    if (clipNorm > 0) scale = Math.min(1, clipNorm / (Math.sqrt(sumsq) + 1e-6));
  }
  const groups = (table.length - L.headerSize) / L.rowSize;
  for (let k = 0; k < groups; k++) {
    const r = (name: keyof typeof L.row) => table[L.headerSize + k * L.rowSize + L.row[name]];
    const [offset, count] = [r('offset'), r('count')];
    const s = r('maximize') ? -scale : scale;
    for (let i = offset; i < offset + count; i++) {
      let w = p[i];
      const gi = clipped(g[i]) * s + r('l1') * sign(w) + r('weightDecay') * w;
      w *= r('decayFactor');
      if (kind === 'sgd') {
        let update = gi;
        if (r('momentum') !== 0) {
          const b = r('firstStep') ? gi : r('momentum') * st[0]![i] + (1 - r('dampening')) * gi;
          st[0]![i] = b;
          update = r('nesterov') ? gi + r('momentum') * b : b;
        }
        w -= r('lr') * update;
      } else if (kind === 'rmsprop') {
        const sq = (st[0]![i] = r('alpha') * st[0]![i] + (1 - r('alpha')) * gi * gi);
        let v = sq;
        if (r('centered')) {
          const ga = (st[2]![i] = r('alpha') * st[2]![i] + (1 - r('alpha')) * gi);
          v = sq - ga * ga;
        }
        const avg = Math.sqrt(v + r('epsIn')) + r('eps');
        if (r('momentum') > 0) w -= r('lr') * (st[1]![i] = r('momentum') * st[1]![i] + gi / avg);
        else w -= (r('lr') * gi) / avg;
      } else if (kind === 'adam') {
        const m = (st[0]![i] = r('beta1') * st[0]![i] + (1 - r('beta1')) * gi);
        let v = (st[1]![i] = r('beta2') * st[1]![i] + (1 - r('beta2')) * gi * gi);
        if (r('amsgrad')) v = st[2]![i] = Math.max(st[2]![i], v);
        w -= (r('stepSize') * m) / (Math.sqrt(v) / r('bc2Sqrt') + r('eps'));
      } else {
        const sum = (st[0]![i] += gi * gi);
        w -= (r('clr') * gi) / (Math.sqrt(sum) + r('eps'));
      }
      if (r('proximal')) w = Math.abs(w) > r('l1Shrink') ? sign(w) * (Math.abs(w) - r('l1Shrink')) : 0;
      p[i] = w;
    }
  }
  table[L.header.applied] = 1;
  return true;
}

export const referenceBackend: Backend = {
  device: 'ref',
  allocate: (dtype, length) => new RefBuffer(dtype, length),
  fill: (out, o, n, value) => void V(out).fill(value, o, o + n),

  binary(op, a, aOff, aL, b, bOff, bL, out, oOff, rows, cols) {
    const [x, y, z, f] = [V(a), V(b), V(out), BINARY[op]];
    const res = new Float64Array(rows * cols); // out may alias an operand (in-place accumulation)
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) res[r * cols + c] = f(x[aOff + at(aL, r, c, cols)], y[bOff + at(bL, r, c, cols)]);
    }
    z.set(res, oOff);
  },
  binaryScalar(op, a, aOff, s, first, out, oOff, n) {
    const [x, z, f] = [V(a), V(out), BINARY[op]];
    for (let i = 0; i < n; i++) z[oOff + i] = first ? f(s, x[aOff + i]) : f(x[aOff + i], s);
  },
  unary(op, x, xOff, out, oOff, n, p1, p2) {
    const [v, z, f] = [V(x), V(out), UNARY[op]];
    for (let i = 0; i < n; i++) z[oOff + i] = f(v[xOff + i], p1, p2);
  },
  unaryBackward(op, x, xOff, g, gOff, gi, giOff, n, p1, p2) {
    const [v, gv, z, f] = [V(x), V(g), V(gi), UNARY_GRAD[op]];
    for (let i = 0; i < n; i++) z[giOff + i] = gv[gOff + i] * f(v[xOff + i], p1, p2);
  },

  reduce(op, a, aOff, outer, n, inner, out, oOff) {
    const [x, z] = [V(a), V(out)];
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        let acc = op === 'max' ? -Infinity : op === 'min' ? Infinity : 0;
        for (let k = 0; k < n; k++) {
          const v = x[aOff + (o * n + k) * inner + j];
          acc = op === 'max' ? (Number.isNaN(v) || v > acc ? v : acc) : op === 'min' ? (Number.isNaN(v) || v < acc ? v : acc) : acc + v;
        }
        z[oOff + o * inner + j] = op === 'mean' ? acc / n : acc;
      }
    }
  },
  argmax(a, aOff, outer, n, inner, out, oOff) {
    const [x, z] = [V(a), V(out)];
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        let best = 0;
        // The first NaN wins, as torch.argmax.
        for (let k = 1; k < n && !Number.isNaN(x[aOff + (o * n + best) * inner + j]); k++) {
          const v = x[aOff + (o * n + k) * inner + j];
          if (Number.isNaN(v) || v > x[aOff + (o * n + best) * inner + j]) best = k;
        }
        z[oOff + o * inner + j] = best;
      }
    }
  },
  transpose(a, aOff, rows, cols, out, oOff) {
    const [x, z] = [V(a), V(out)];
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) z[oOff + c * rows + r] = x[aOff + r * cols + c];
  },
  gatherRows(src, sOff, rowLength, srcRows, index, iOff, count, out, oOff) {
    const [x, idx, z] = [V(src), V(index), V(out)];
    for (let i = 0; i < count; i++) {
      const row = idx[iOff + i];
      if (!(row >= 0 && row < srcRows)) throw new RangeError(`gatherRows: index ${row} at position ${i} is out of range for ${srcRows} rows`);
      z.set(x.subarray(sOff + row * rowLength, sOff + (row + 1) * rowLength), oOff + i * rowLength);
    }
  },
  firstNonFinite: (a, aOff, n) => V(a).subarray(aOff, aOff + n).findIndex((v) => !Number.isFinite(v)),

  randomUniform(out, oOff, n, seed, start, low, high) {
    const z = V(out);
    for (let i = 0; i < n; i++) z[oOff + i] = f32(low + (high - low) * uniform01(seed, start + i));
  },
  randomNormal(out, oOff, n, seed, start, mean, std) {
    const z = V(out);
    for (let i = 0; i < n; i++) z[oOff + i] = mean + std * f32(normal01(seed, start + i));
  },
  dropout(x, xOff, out, oOff, n, p, seed, start) {
    const [v, z] = [V(x), V(out)];
    for (let i = 0; i < n; i++) z[oOff + i] = uniform01(seed, start + i) >= p ? v[xOff + i] / (1 - p) : 0;
  },

  gemm(tA, tB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc, bias, biasOff, relu) {
    const [a, b, c, bv] = [V(A), V(B), V(C), O(bias)];
    const res = new Float64Array(M * N);
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += a[aOff + (tA ? k * lda + i : i * lda + k)] * b[bOff + (tB ? j * ldb + k : k * ldb + j)];
        let v = alpha * s + (beta !== 0 ? beta * c[cOff + i * ldc + j] : 0);
        if (bv) v += bv[biasOff + j];
        res[i * N + j] = relu && !(v > 0) ? 0 : v;
      }
    }
    for (let i = 0; i < M; i++) c.set(res.subarray(i * N, (i + 1) * N), cOff + i * ldc);
  },
  linearBackward(g, gOff, y, yOff, relu, x, xOff, W, wOff, M, N, K, dx, dxOff, dW, dwOff, dwBeta, db, dbOff, dbBeta) {
    const [gv, yv, xv, wv] = [V(g), O(y), V(x), V(W)];
    const gz = Float64Array.from({ length: M * N }, (_, i) => (relu && !(yv![yOff + i] > 0) ? 0 : gv[gOff + i]));
    if (dx) {
      const z = V(dx);
      for (let i = 0; i < M; i++) {
        for (let k = 0; k < K; k++) {
          let s = 0;
          for (let j = 0; j < N; j++) s += gz[i * N + j] * wv[wOff + j * K + k];
          z[dxOff + i * K + k] = s;
        }
      }
    }
    if (dW) {
      const z = V(dW);
      for (let j = 0; j < N; j++) {
        for (let k = 0; k < K; k++) {
          let s = 0;
          for (let i = 0; i < M; i++) s += gz[i * N + j] * xv[xOff + i * K + k];
          z[dwOff + j * K + k] = s + (dwBeta ? dwBeta * z[dwOff + j * K + k] : 0);
        }
      }
    }
    if (db) {
      const z = V(db);
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let i = 0; i < M; i++) s += gz[i * N + j];
        z[dbOff + j] = s + (dbBeta ? dbBeta * z[dbOff + j] : 0);
      }
    }
  },

  softmax(x, xOff, y, yOff, rows, cols, log) {
    const [v, z] = [V(x), V(y)];
    for (let r = 0; r < rows; r++) {
      let m = -Infinity;
      for (let c = 0; c < cols; c++) m = Math.max(m, v[xOff + r * cols + c]);
      let s = 0;
      for (let c = 0; c < cols; c++) s += Math.exp(v[xOff + r * cols + c] - m);
      for (let c = 0; c < cols; c++) {
        const d = v[xOff + r * cols + c] - m;
        z[yOff + r * cols + c] = log ? d - Math.log(s) : Math.exp(d) / s;
      }
    }
  },
  softmaxBackward(y, yOff, g, gOff, dx, dxOff, rows, cols, log) {
    const [yv, gv, z] = [V(y), V(g), V(dx)];
    for (let r = 0; r < rows; r++) {
      let dot = 0;
      for (let c = 0; c < cols; c++) dot += log ? gv[gOff + r * cols + c] : gv[gOff + r * cols + c] * yv[yOff + r * cols + c];
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c;
        z[dxOff + i] = log ? gv[gOff + i] - Math.exp(yv[yOff + i]) * dot : yv[yOff + i] * (gv[gOff + i] - dot);
      }
    }
  },
  batchNormForward(x, xOff, N, C, L, gamma, gOff, beta, bOff, rm, rmOff, rv, rvOff, training, momentum, eps, y, yOff,
    sm, smOff, si, siOff) {
    const [xv, yv, gm, bt, rmv, rvv, smv, siv] = [V(x), V(y), O(gamma), O(beta), O(rm), O(rv), V(sm), V(si)];
    const M = N * L;
    const idx = (n: number, c: number, l: number) => (n * C + c) * L + l;
    for (let c = 0; c < C; c++) {
      let mean: number, invstd: number;
      if (training) {
        let s = 0, ss = 0;
        for (let n = 0; n < N; n++) for (let l = 0; l < L; l++) s += xv[xOff + idx(n, c, l)];
        mean = s / M;
        for (let n = 0; n < N; n++) for (let l = 0; l < L; l++) ss += (xv[xOff + idx(n, c, l)] - mean) ** 2;
        invstd = 1 / Math.sqrt(ss / M + eps);
        if (rmv) rmv[rmOff + c] = (1 - momentum) * rmv[rmOff + c] + momentum * mean;
        if (rvv) rvv[rvOff + c] = (1 - momentum) * rvv[rvOff + c] + momentum * (M > 1 ? ss / (M - 1) : ss / M);
      } else {
        mean = rmv![rmOff + c];
        invstd = 1 / Math.sqrt(rvv![rvOff + c] + eps);
      }
      smv[smOff + c] = mean;
      siv[siOff + c] = invstd;
      const w = gm ? gm[gOff + c] : 1, b = bt ? bt[bOff + c] : 0;
      for (let n = 0; n < N; n++) for (let l = 0; l < L; l++) yv[yOff + idx(n, c, l)] = (xv[xOff + idx(n, c, l)] - mean) * invstd * w + b;
    }
  },
  batchNormBackward(x, xOff, g, gOff, N, C, L, gamma, gmOff, sm, smOff, si, siOff, training, dx, dxOff, dg, dgOff, db, dbOff) {
    const [xv, gv, gm, smv, siv] = [V(x), V(g), O(gamma), V(sm), V(si)];
    const M = N * L;
    const idx = (n: number, c: number, l: number) => (n * C + c) * L + l;
    for (let c = 0; c < C; c++) {
      const [mean, invstd] = [smv[smOff + c], siv[siOff + c]];
      let sg = 0, sgx = 0;
      for (let n = 0; n < N; n++) {
        for (let l = 0; l < L; l++) {
          const i = idx(n, c, l);
          sg += gv[gOff + i];
          sgx += gv[gOff + i] * (xv[xOff + i] - mean) * invstd;
        }
      }
      if (dg) V(dg)[dgOff + c] = sgx;
      if (db) V(db)[dbOff + c] = sg;
      if (dx) {
        const z = V(dx);
        const k = (gm ? gm[gmOff + c] : 1) * invstd;
        for (let n = 0; n < N; n++) {
          for (let l = 0; l < L; l++) {
            const i = idx(n, c, l);
            const xhat = (xv[xOff + i] - mean) * invstd;
            z[dxOff + i] = training ? k * (gv[gOff + i] - sg / M - xhat * sgx / M) : k * gv[gOff + i];
          }
        }
      }
    }
  },

  classLoss(z, zOff, labels, labOff, weight, wOff, N, C, ignoreIndex, smoothing, logProb, reduction, out, outOff, grad, gOff) {
    const [zv, lab, wv, o, gr] = [V(z), V(labels), O(weight), V(out), O(grad)];
    const w = (c: number) => (wv ? wv[wOff + c] : 1);
    let W = 0;
    for (let c = 0; c < C; c++) W += w(c);
    const losses: number[] = [];
    const rowGrads: Float64Array[] = [];
    let denom = 0;
    const op = logProb ? 'nllLoss' : 'crossEntropy';
    for (let i = 0; i < N; i++) {
      const y = lab[labOff + i];
      if (y !== ignoreIndex && !(y >= 0 && y < C)) {
        const orIgnore = ignoreIndex < 0 || ignoreIndex >= C ? ` or ignoreIndex ${ignoreIndex}` : '';
        throw new RangeError(`${op}: target label ${y} at position ${i} is out of range for ${C} classes (expected 0..${C - 1}${orIgnore})`);
      }
    }
    for (let i = 0; i < N; i++) {
      const y = lab[labOff + i];
      const row = zv.subarray(zOff + i * C, zOff + (i + 1) * C);
      const gRow = new Float64Array(C);
      rowGrads.push(gRow);
      if (y === ignoreIndex) {
        losses.push(0);
        continue;
      }
      const m = logProb ? 0 : Math.max(...row);
      let e = 0;
      for (let c = 0; c < C; c++) e += Math.exp(row[c] - m);
      const lse = logProb ? 0 : m + Math.log(e);
      const logp = (c: number) => row[c] - lse;
      let smooth = 0;
      for (let c = 0; c < C; c++) smooth -= w(c) * logp(c);
      losses.push((1 - smoothing) * w(y) * -logp(y) + (smoothing / C) * smooth);
      denom += w(y);
      for (let c = 0; c < C; c++) {
        gRow[c] = logProb
          ? -(1 - smoothing) * w(y) * (c === y ? 1 : 0) - (smoothing / C) * w(c)
          : (1 - smoothing) * w(y) * (Math.exp(logp(c)) - (c === y ? 1 : 0)) + (smoothing / C) * (W * Math.exp(logp(c)) - w(c));
      }
    }
    reduceWith(reduction, losses, denom, o, outOff);
    if (gr) {
      const scale = reduction === 'mean' ? 1 / denom : 1;
      rowGrads.forEach((row, i) => row.forEach((v, c) => (gr[gOff + i * C + c] = v * scale)));
    }
  },
  pointwiseLoss(op: PointwiseLossName, x, xOff, t, tOff, posWeight, pwOff, n, cols, param, reduction, out, outOff, grad, gOff) {
    const [xv, tv, pw, o, gr] = [V(x), V(t), O(posWeight), V(out), O(grad)];
    const losses: number[] = [];
    const scale = reduction === 'mean' ? 1 / n : 1;
    for (let i = 0; i < n; i++) {
      const [a, b] = [xv[xOff + i], tv[tOff + i]];
      const d = a - b;
      let loss: number, dl: number;
      if (op === 'mse') [loss, dl] = [d * d, 2 * d];
      else if (op === 'l1') [loss, dl] = [Math.abs(d), sign(d)];
      else if (op === 'huber') {
        [loss, dl] = Math.abs(d) < param ? [0.5 * d * d, d] : [param * (Math.abs(d) - 0.5 * param), param * sign(d)];
      } else {
        const p = pw ? pw[pwOff + (i % cols)] : 1;
        const logSig = -Math.log1p(Math.exp(-Math.abs(a))) + Math.min(a, 0);
        const logOneMinusSig = logSig - a;
        loss = -(p * b * logSig + (1 - b) * logOneMinusSig);
        dl = sigmoid(a) * (p * b + 1 - b) - p * b;
      }
      losses.push(loss);
      if (gr) gr[gOff + i] = dl * scale;
    }
    reduceWith(reduction, losses, n, o, outOff);
  },

  optimStep,

  gatherBatch(x, xOff, rowLength, rows, y, yOff, index, iOff, count, scale, scOff, shift, shOff, xOut, xoOff, yOut, yoOff) {
    const [xv, yv, idx, sc, sh, xo, yo] = [V(x), O(y), V(index), O(scale), O(shift), V(xOut), O(yOut)];
    for (let i = 0; i < count; i++) {
      const r = idx[iOff + i];
      if (!(r >= 0 && r < rows)) throw new RangeError(`gatherBatch: index ${r} at position ${i} is out of range for ${rows} rows`);
      for (let c = 0; c < rowLength; c++) {
        const v = xv[xOff + r * rowLength + c];
        xo[xoOff + i * rowLength + c] = sc ? v * sc[scOff + c] + sh![shOff + c] : v;
      }
      if (yv && yo) yo[yoOff + i] = yv[yOff + r];
    }
  },
  oneHot(labels, lOff, n, classes, out, oOff) {
    const [l, z] = [V(labels), V(out)];
    for (let i = 0; i < n; i++) {
      const c = l[lOff + i];
      if (!(c >= 0 && c < classes)) throw new RangeError(`oneHot: label ${c} at position ${i} is out of range for ${classes} classes`);
    }
    z.fill(0, oOff, oOff + n * classes);
    for (let i = 0; i < n; i++) z[oOff + i * classes + l[lOff + i]] = 1;
  },
  columnStats: notImplemented('columnStats'),
  knn: notImplemented('knn'),
  smoteInterpolate: notImplemented('smoteInterpolate'),
  randperm: notImplemented('randperm'),
  randomIndex: notImplemented('randomIndex'),
  weightedIndex: notImplemented('weightedIndex'),

  // Convolution and pooling: the float64 definitions of test/native/conv_reference.ts.
  conv2dForward(x, xOff, w, wOff, b, bOff, y, yOff, g, relu = false) {
    const c = convOf(g);
    const out = convForwardRef(c, read64(x, xOff, c.N * c.C * c.H * c.W), read64(w, wOff, weightSize(c)), b ? read64(b, bOff, c.OC) : null);
    store(y, yOff, relu ? out.map((v) => Math.max(v, 0)) : out);
  },
  conv2dBackward(x, xOff, w, wOff, dy, dyOff, dx, dxOff, dW, dwOff, db, dbOff, g, accumulate) {
    const c = convOf(g);
    const grads = convBackwardRef(c, read64(x, xOff, c.N * c.C * c.H * c.W), read64(w, wOff, weightSize(c)),
      read64(dy, dyOff, c.N * c.OC * outSize(c.H, c.KH, c.sh, c.ph, c.dh) * outSize(c.W, c.KW, c.sw, c.pw, c.dw)));
    if (dx) store(dx, dxOff, grads.dx);
    if (dW) store(dW, dwOff, accumulate ? grads.dW.map((v, i) => v + V(dW)[dwOff + i]) : grads.dW);
    if (db) store(db, dbOff, accumulate ? grads.db.map((v, i) => v + V(db)[dbOff + i]) : grads.db);
  },
  convTranspose2dForward(x, xOff, w, wOff, b, bOff, y, yOff, g) {
    const c = convOf(g);
    const [OH, OW] = [outSize(c.H, c.KH, c.sh, c.ph, c.dh), outSize(c.W, c.KW, c.sw, c.pw, c.dw)];
    const { dx } = convBackwardRef(c, new Float64Array(c.N * c.C * c.H * c.W), read64(w, wOff, weightSize(c)), read64(x, xOff, c.N * c.OC * OH * OW));
    if (b) {
      const bias = read64(b, bOff, c.C);
      for (let i = 0; i < dx.length; i++) dx[i] += bias[Math.floor(i / (c.H * c.W)) % c.C];
    }
    store(y, yOff, dx);
  },
  maxPool2dForward(x, xOff, y, yOff, indices, iOff, g) {
    const p = poolOf(g);
    const r = maxPoolRef(p, read64(x, xOff, p.N * p.C * p.H * p.W));
    store(y, yOff, r.y);
    V(indices).set(r.idx, iOff);
  },
  maxPool2dBackward(dy, dyOff, indices, iOff, dx, dxOff, g) {
    const p = poolOf(g);
    const out = outSize(p.H, p.KH, p.sh, p.ph, p.dh) * outSize(p.W, p.KW, p.sw, p.pw, p.dw);
    const [grad, idx] = [read64(dy, dyOff, p.N * p.C * out), V(indices)];
    const z = new Float64Array(p.N * p.C * p.H * p.W);
    for (let o = 0; o < grad.length; o++) z[Math.floor(o / out) * p.H * p.W + idx[iOff + o]] += grad[o];
    store(dx, dxOff, z);
  },
  avgPool2dForward(x, xOff, y, yOff, g, include) {
    const p = poolOf(g);
    store(y, yOff, avgPoolRef(p, read64(x, xOff, p.N * p.C * p.H * p.W), include).y);
  },
  avgPool2dBackward(dy, dyOff, dx, dxOff, g, include) {
    const p = poolOf(g);
    const out = outSize(p.H, p.KH, p.sh, p.ph, 1) * outSize(p.W, p.KW, p.sw, p.pw, 1);
    store(dx, dxOff, avgPoolRef(p, new Float64Array(p.N * p.C * p.H * p.W), include, read64(dy, dyOff, p.N * p.C * out)).dx);
  },
  adaptiveAvgPool2dForward(x, xOff, y, yOff, g) {
    const [N, C, H, W, OH, OW] = g;
    store(y, yOff, adaptiveAvgPoolRef(N, C, H, W, OH, OW, read64(x, xOff, N * C * H * W)).y);
  },
  adaptiveAvgPool2dBackward(dy, dyOff, dx, dxOff, g) {
    const [N, C, H, W, OH, OW] = g;
    store(dx, dxOff, adaptiveAvgPoolRef(N, C, H, W, OH, OW, new Float64Array(N * C * H * W), read64(dy, dyOff, N * C * OH * OW)).dx);
  },
  ...tensorKernels(V, BINARY, (...args) => referenceBackend.gemm(...args)),
  // LSTM / GRU layer-directions: test/helpers/recurrent_reference.ts, with the CPU's workspace layout.
  recurrentForward(cell, x, xOff, wIh, wIhOff, wHh, wHhOff, bIh, bIhOff, bHh, bHhOff, h0, h0Off, c0, c0Off, y, yOff, hN, hNOff,
    cN, cNOff, ws, wsOff, shape) {
    const s = layerShape(cell, shape);
    const [GH, BH, R] = [gatesOf(cell) * s.H, s.B * s.H, s.T * s.B];
    const r = layerForward(s, read64(x, xOff, R * s.I), {
      wIh: read64(wIh, wIhOff, GH * s.I), wHh: read64(wHh, wHhOff, GH * s.H),
      bIh: bIh ? read64(bIh, bIhOff, GH) : null, bHh: bHh ? read64(bHh, bHhOff, GH) : null,
    }, h0 ? read64(h0, h0Off, BH) : null, c0 ? read64(c0, c0Off, BH) : null);
    const yv = V(y);
    for (let row = 0; row < R; row++) for (let j = 0; j < s.H; j++) yv[yOff + row * shape[6] + j] = f32(r.y[row * s.H + j]);
    store(hN, hNOff, r.hN);
    if (cN) store(cN, cNOff, r.cN);
    store(ws, wsOff, Float64Array.from([...r.gates, ...r.aux, ...r.hPrev]));
  },
  recurrentBackward(cell, x, xOff, wIh, wIhOff, wHh, wHhOff, c0, c0Off, ws, wsOff, dy, dyOff, dhN, dhNOff, dcN, dcNOff, dx, dxOff,
    dWih, dWihOff, dWhh, dWhhOff, dbIh, dbIhOff, dbHh, dbHhOff, dh0, dh0Off, dc0, dc0Off, shape, accumulateDx) {
    const s = layerShape(cell, shape);
    const [GH, BH, R] = [gatesOf(cell) * s.H, s.B * s.H, s.T * s.B];
    const w = read64(ws, wsOff, R * (gatesOf(cell) + 2) * s.H);
    const saved = { gates: w.subarray(0, R * GH), aux: w.subarray(R * GH, R * (GH + s.H)), hPrev: w.subarray(R * (GH + s.H)) };
    const dyv = V(dy);
    const g = layerBackward(s, read64(x, xOff, R * s.I), read64(wIh, wIhOff, GH * s.I), read64(wHh, wHhOff, GH * s.H),
      c0 ? read64(c0, c0Off, BH) : null, saved, (row, j) => dyv[dyOff + row * shape[6] + j], read64(dhN, dhNOff, BH),
      dcN ? read64(dcN, dcNOff, BH) : null);
    const add = (b: DeviceBuffer | null, off: number, v: Float64Array, accumulate = true) => {
      if (b) store(b, off, accumulate ? v.map((e, i) => e + V(b)[off + i]) : v);
    };
    add(dx, dxOff, g.dx, accumulateDx);
    add(dWih, dWihOff, g.dWih);
    add(dWhh, dWhhOff, g.dWhh);
    add(dbIh, dbIhOff, g.dbIh);
    add(dbHh, dbHhOff, g.dbHh);
    add(dh0, dh0Off, g.dh0, false);
    add(dc0, dc0Off, g.dc0, false);
  },
  scatterAddRows(src, sOff, rowLength, index, iOff, count, out, oOff, outRows) {
    const [x, idx, z] = [V(src), V(index), V(out)];
    for (let i = 0; i < count; i++) {
      const row = idx[iOff + i];
      if (!(row >= 0 && row < outRows)) throw new RangeError(`scatterAddRows: index ${row} at position ${i} is out of range for ${outRows} rows`);
      for (let c = 0; c < rowLength; c++) z[oOff + row * rowLength + c] = f32(z[oOff + row * rowLength + c] + x[sOff + i * rowLength + c]);
    }
  },
};

const convOf = (g: number[]): Conv => ({ N: g[0], C: g[1], H: g[2], W: g[3], OC: g[4], KH: g[5], KW: g[6], sh: g[7], sw: g[8], ph: g[9], pw: g[10], dh: g[11], dw: g[12], groups: g[13] });
const poolOf = (g: number[]): Pool => ({ N: g[0], C: g[1], H: g[2], W: g[3], KH: g[4], KW: g[5], sh: g[6], sw: g[7], ph: g[8], pw: g[9], dh: g[10], dw: g[11] });
const layerShape = (cell: 'lstm' | 'gru', g: number[]): LayerShape =>
  ({ cell, T: g[0], B: g[1], I: g[2], H: g[3], batchFirst: g[4] === 1, reverse: g[5] === 1 });
const weightSize = (c: Conv) => c.OC * (c.C / c.groups) * c.KH * c.KW;
const read64 = (b: DeviceBuffer, off: number, n: number) => Float64Array.from(V(b).subarray(off, off + n));
/** Float64 results stored as float32, each rounded once. */
function store(b: DeviceBuffer, off: number, values: Float64Array): void {
  const z = V(b);
  for (let i = 0; i < values.length; i++) z[off + i] = f32(values[i]);
}

/** Registers the reference backend once per test process. */
export function useReferenceBackend(): void {
  if (!devices().includes('ref')) registerBackend(referenceBackend);
}

/** The devices the parametrized test files run on: 'cpu', the reference, and later 'cuda' where present. */
export function testDevices(): string[] {
  useReferenceBackend();
  // 'cuda' registers on first use; where it runs, every device-parametrized file runs on it too.
  if (cudaStatus().available) backendFor('cuda', 'testDevices');
  return devices();
}

export type { Backend };
