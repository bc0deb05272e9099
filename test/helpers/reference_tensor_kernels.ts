/**
 * The reference backend's kernels of the N-D tensor core and attention (strided copies and
 * broadcasts, where, index_select, batched GEMM, the masked softmax), in plain float64 loops
 * from the formulas of src/backend/backend.ts. Spread into referenceBackend.
 */
import type { Backend, BinaryName, DeviceBuffer } from '../../src/backend/backend.js';

type Values = (b: DeviceBuffer) => Float32Array | Int32Array;
type Kernels = Pick<Backend, 'copyStrided' | 'binaryStrided' | 'where' | 'indexSelect' | 'indexAdd' | 'gemmBatched'
  | 'maskedSoftmax' | 'maskedSoftmaxBackward'>;

/** Calls f(offsets) for every index of `shape` in row-major order, offsets per strides list. */
function eachIndex(shape: number[], strides: number[][], f: (offsets: number[], flat: number) => void): void {
  const n = shape.reduce((a, b) => a * b, 1);
  for (let flat = 0; flat < n; flat++) {
    let rest = flat;
    const offsets = strides.map(() => 0);
    for (let d = shape.length - 1; d >= 0; d--) {
      const i = rest % shape[d];
      rest = Math.floor(rest / shape[d]);
      strides.forEach((s, k) => (offsets[k] += i * s[d]));
    }
    f(offsets, flat);
  }
}

export function tensorKernels(V: Values, binary: Record<BinaryName, (a: number, b: number) => number>,
  gemm: Backend['gemm']): Kernels {
  return {
    copyStrided(src, sOff, ss, dst, dOff, ds, shape) {
      const [x, z] = [V(src), V(dst)];
      eachIndex(shape, [ss, ds], ([i, j]) => (z[dOff + j] = x[sOff + i]));
    },
    binaryStrided(op, a, aOff, as, b, bOff, bs, out, oOff, shape) {
      const [x, y, z, f] = [V(a), V(b), V(out), binary[op]];
      const res = new Float64Array(shape.reduce((p, d) => p * d, 1)); // out may be an operand
      eachIndex(shape, [as, bs], ([i, j], k) => (res[k] = f(x[aOff + i], y[bOff + j])));
      z.set(res, oOff);
    },
    where(c, cOff, cs, a, aOff, as, b, bOff, bs, out, oOff, shape) {
      const [cv, x, y, z] = [V(c), V(a), V(b), V(out)];
      eachIndex(shape, [cs, as, bs], ([i, j, k], o) => (z[oOff + o] = cv[cOff + i] !== 0 ? x[aOff + j] : y[bOff + k]));
    },
    indexSelect(src, sOff, outer, n, inner, index, iOff, count, out, oOff) {
      const [x, idx, z] = [V(src), V(index), V(out)];
      for (let i = 0; i < count; i++) {
        const row = idx[iOff + i];
        if (!(row >= 0 && row < n)) throw new RangeError(`indexSelect: index ${row} at position ${i} is out of range for ${n} rows`);
      }
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < count; i++) {
          const from = sOff + (o * n + idx[iOff + i]) * inner;
          z.set(x.subarray(from, from + inner), oOff + (o * count + i) * inner);
        }
      }
    },
    indexAdd(src, sOff, outer, count, inner, index, iOff, out, oOff, n) {
      const [x, idx, z] = [V(src), V(index), V(out)];
      for (let i = 0; i < count; i++) {
        const row = idx[iOff + i];
        if (!(row >= 0 && row < n)) throw new RangeError(`indexAdd: index ${row} at position ${i} is out of range for ${n} rows`);
      }
      const acc = Float64Array.from(z.subarray(oOff, oOff + outer * n * inner));
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < count; i++) {
          for (let c = 0; c < inner; c++) acc[(o * n + idx[iOff + i]) * inner + c] += x[sOff + (o * count + i) * inner + c];
        }
      }
      z.set(acc, oOff);
    },
    gemmBatched(tA, tB, M, N, K, alpha, A, aOff, lda, sA, B, bOff, ldb, sB, beta, C, cOff, ldc, sC, batch) {
      for (let i = 0; i < batch; i++) {
        gemm(tA, tB, M, N, K, alpha, A, aOff + i * sA, lda, B, bOff + i * sB, ldb, beta, C, cOff + i * sC, ldc, null, 0, false);
      }
    },
    maskedSoftmax(x, xOff, y, yOff, rows, cols, scale, mask, mOff, [L, perBatch, batchStride, rowStride]) {
      const [v, z, m] = [V(x), V(y), mask ? V(mask) : null];
      const t = new Float64Array(cols);
      for (let r = 0; r < rows; r++) {
        const base = m ? mOff + Math.floor(Math.floor(r / L) / perBatch) * batchStride + (r % L) * rowStride : 0;
        let top = -Infinity;
        for (let c = 0; c < cols; c++) top = Math.max(top, (t[c] = scale * v[xOff + r * cols + c] + (m ? m[base + c] : 0)));
        let s = 0;
        for (let c = 0; c < cols; c++) s += (t[c] = Math.exp(t[c] - top));
        for (let c = 0; c < cols; c++) z[yOff + r * cols + c] = t[c] / s;
      }
    },
    maskedSoftmaxBackward(y, yOff, g, gOff, dx, dxOff, rows, cols, scale) {
      const [yv, gv, z] = [V(y), V(g), V(dx)];
      for (let r = 0; r < rows; r++) {
        let dot = 0;
        for (let c = 0; c < cols; c++) dot += gv[gOff + r * cols + c] * yv[yOff + r * cols + c];
        for (let c = 0; c < cols; c++) {
          const i = r * cols + c;
          z[dxOff + i] = scale * yv[yOff + i] * (gv[gOff + i] - dot);
        }
      }
    },
  };
}
