/**
 * Batched matrix products, as torch.matmul for N-D operands: [..., m, k] @ [..., k, n] ->
 * [..., m, n], the batch dimensions broadcast (NumPy's rule). One native call: the strided-
 * batched GEMM (native/cpu/gemm.cc, gemmStridedBatched), which spreads small products over the
 * threads whole. A batch dimension one operand lacks (or has as 1 everywhere) is read with
 * stride 0; an operand broadcast along only some batch dimensions is expanded first (one
 * strided copy). [..., m, k] @ [k, n] is a single GEMM over the flattened rows.
 *
 * `bmm` also takes either operand transposed in its last two dimensions, so attention's
 * q k^T needs no transpose copy. Backward (C = op(A) op(B)):
 *   dA = g op(B)^T  (A not transposed),  op(B) g^T  (A transposed)
 *   dB = op(A)^T g  (B not transposed),  g^T op(A)  (B transposed)
 * each summed over the batch dimensions its operand was broadcast along.
 */
import { record } from '../autograd/graph.js';
import { formatShape, shapeSize, type Shape, type Tensor } from '../tensor.js';
import { backendOf2 } from './device.js';
import { broadcastShapes, expandKernel, sumToShape } from './strided.js';

/** The shape of op(X)'s matrix: [rows, cols] of the last two dimensions, swapped when transposed. */
const matrixOf = (t: Tensor, trans: boolean): [number, number] => {
  const r = t.shape[t.ndim - 2], c = t.shape[t.ndim - 1];
  return trans ? [c, r] : [r, c];
};

/** C = op(A) op(B) over broadcast batch dimensions; both at least 2-D. Not recorded. */
export function bmmKernel(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  const backend = backendOf2('matmul', a, b);
  const [M, K] = matrixOf(a, transA);
  const [K2, N] = matrixOf(b, transB);
  if (K !== K2) {
    throw new RangeError(`matmul: inner dimensions differ: ${formatShape(a.shape)}${transA ? 'ᵀ' : ''} x ${formatShape(b.shape)}${transB ? 'ᵀ' : ''}`);
  }
  const batchA = a.shape.slice(0, -2), batchB = b.shape.slice(0, -2);
  const batch = broadcastShapes('matmul', batchA, batchB);
  const count = shapeSize(batch);
  const c = a.newEmpty([...batch, M, N]);
  const lda = a.shape[a.ndim - 1], ldb = b.shape[b.ndim - 1];
  if (!transA && shapeSize(batchB) === 1 && count > 1) {
    // [..., m, k] @ [k, n]: one GEMM over all the rows of A.
    backend.gemm(false, transB, count * M, N, K, 1, a.buffer, a.offset, lda, b.buffer, b.offset, ldb, 0,
      c.buffer, c.offset, N, null, 0, false);
    return c;
  }
  // An operand that varies along only some of the batch dimensions is expanded to all of them.
  const full = (t: Tensor, own: Shape) => (shapeSize(own) === 1 || sameShape(own, batch) ? t
    : expandKernel(t, [...batch, t.shape[t.ndim - 2], t.shape[t.ndim - 1]]));
  const ea = full(a, batchA), eb = full(b, batchB);
  const stride = (t: Tensor) => (shapeSize(t.shape.slice(0, -2)) === 1 ? 0 : t.shape[t.ndim - 2] * t.shape[t.ndim - 1]);
  backend.gemmBatched(transA, transB, M, N, K, 1, ea.buffer, ea.offset, lda, stride(ea), eb.buffer, eb.offset, ldb,
    stride(eb), 0, c.buffer, c.offset, N, M * N, count);
  if (ea !== a) ea.dispose();
  if (eb !== b) eb.dispose();
  return c;
}

const sameShape = (x: Shape, y: Shape) => x.length === y.length && x.every((d, i) => d === y[i]);

/** op(A) op(B) with the gradient (see the header); both at least 2-D. */
export function bmm(a: Tensor, b: Tensor, transA = false, transB = false): Tensor {
  const out = bmmKernel(a, b, transA, transB);
  return record(out, 'matmul', [a, b], (g) => {
    let da: Tensor | null = null, db: Tensor | null = null;
    if (a.requiresGrad) {
      const full = transA ? bmmKernel(b, g, transB, true) : bmmKernel(g, b, false, !transB);
      da = sumToShape(full, a.shape);
      if (da !== full) full.dispose();
    }
    if (b.requiresGrad && !transA && !transB && a.ndim > 2 && shapeSize(b.shape.slice(0, -2)) === 1) {
      // B shared by every batch: dB = A^T g over all the rows at once, one GEMM.
      const K = a.shape[a.ndim - 1], N = b.shape[b.ndim - 1], rows = a.size / (K || 1);
      db = a.newEmpty(b.shape);
      a.backend.gemm(true, false, K, N, rows, 1, a.buffer, a.offset, K, g.buffer, g.offset, N, 0, db.buffer, db.offset, N,
        null, 0, false);
    } else if (b.requiresGrad) {
      const full = transB ? bmmKernel(g, a, true, transA) : bmmKernel(a, g, !transA, false);
      db = sumToShape(full, b.shape);
      if (db !== full) full.dispose();
    }
    return [da, db];
  });
}
