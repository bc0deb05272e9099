/**
 * The CPU backend: the Backend interface over the native addon (native/napi -> native/cpu).
 * A forwarding layer: each kernel is one addon call, with an op name turned into the addon's
 * code by one table lookup. The addon's functions are looked up on every call (not captured),
 * so bench/step's crossing counter, which wraps them in place, sees every call.
 */
import { addon, type ShareableBuffer } from './addon.js';
import type { Backend, DType } from './backend.js';
import { layoutDrift } from './step_layout.js';

/** The addon's code for `name` in `table`; a miss is a build that lacks the op. */
function code(table: Record<string, number>, name: string): number {
  const c = table[name];
  if (c === undefined) throw new Error(`native addon has no op '${name}'`);
  return c;
}


// Buffers of another device never reach the addon: the ops check their tensors share one device,
// and the addon's own type check refuses anything that is not its NativeBuffer.
const drift = layoutDrift(addon.optimLayout.header, addon.optimLayout.row);
if (drift.length > 0) {
  throw new Error(`steepest: the native addon's optimizer step table differs from src/backend/step_layout.ts (rebuild the addon): ${drift.join('; ')}`);
}

export const cpuBackend: Backend = {
  device: 'cpu',

  allocate: (dtype: DType, length, zero) => new addon.NativeBuffer(dtype, length, zero),
  shareBuffer: (buffer) => (buffer as ShareableBuffer).share(),
  openSharedBuffer: (dtype: DType, length, id) => new addon.NativeBuffer(dtype, length, { shared: id }),
  fill: (out, outOff, n, value) => addon.fill(out, outOff, n, value),

  binary: (op, a, aOff, aLayout, b, bOff, bLayout, out, outOff, rows, cols) =>
    addon.binary(code(addon.binaryOps, op), a, aOff, code(addon.broadcastModes, aLayout), b, bOff,
      code(addon.broadcastModes, bLayout), out, outOff, rows, cols),
  binaryScalar: (op, a, aOff, scalar, scalarFirst, out, outOff, n) =>
    addon.binaryScalar(code(addon.binaryOps, op), a, aOff, scalar, scalarFirst, out, outOff, n),
  unary: (op, x, xOff, out, outOff, n, p1, p2) =>
    addon.unary(code(addon.unaryOps, op), x, xOff, out, outOff, n, p1, p2),
  unaryBackward: (op, x, xOff, g, gOff, gi, giOff, n, p1, p2) =>
    addon.unaryBackward(code(addon.unaryOps, op), x, xOff, g, gOff, gi, giOff, n, p1, p2),

  reduce: (op, a, aOff, outer, n, inner, out, outOff) =>
    addon.reduce(code(addon.reduceOps, op), a, aOff, outer, n, inner, out, outOff),
  argmax: (a, aOff, outer, n, inner, out, outOff) => addon.argmax(a, aOff, outer, n, inner, out, outOff),
  transpose: (a, aOff, rows, cols, out, outOff) => addon.transpose(a, aOff, rows, cols, out, outOff),
  gatherRows: (src, srcOff, rowLength, srcRows, index, indexOff, count, out, outOff) =>
    addon.gatherRows(src, srcOff, rowLength, srcRows, index, indexOff, count, out, outOff),
  firstNonFinite: (a, aOff, n) => addon.firstNonFinite(a, aOff, n),
  indexSelect: (src, srcOff, outer, n, inner, index, iOff, count, out, outOff) =>
    addon.indexSelect(src, srcOff, outer, n, inner, index, iOff, count, out, outOff),
  indexAdd: (src, srcOff, outer, count, inner, index, iOff, out, outOff, n) =>
    addon.indexAdd(src, srcOff, outer, count, inner, index, iOff, out, outOff, n),
  copyStrided: (src, srcOff, ss, dst, dstOff, ds, shape) => addon.copyStrided(src, srcOff, ss, dst, dstOff, ds, shape),
  binaryStrided: (op, a, aOff, as, b, bOff, bs, out, outOff, shape) =>
    addon.binaryStrided(code(addon.binaryOps, op), a, aOff, as, b, bOff, bs, out, outOff, shape),
  where: (c, cOff, cs, a, aOff, as, b, bOff, bs, out, outOff, shape) =>
    addon.where(c, cOff, cs, a, aOff, as, b, bOff, bs, out, outOff, shape),

  randomUniform: (out, outOff, n, seed, at, low, high) => addon.randomUniform(out, outOff, n, seed, at, low, high),
  randomNormal: (out, outOff, n, seed, at, mean, std) => addon.randomNormal(out, outOff, n, seed, at, mean, std),
  dropout: (x, xOff, out, outOff, n, p, seed, at) => addon.dropout(x, xOff, out, outOff, n, p, seed, at),

  gemm: (transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc, bias, biasOff, relu) =>
    addon.gemm(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc, bias,
      biasOff, relu),
  gemmBatched: (transA, transB, M, N, K, alpha, A, aOff, lda, sA, B, bOff, ldb, sB, beta, C, cOff, ldc, sC, batch) =>
    addon.gemmBatched(transA, transB, M, N, K, alpha, A, aOff, lda, sA, B, bOff, ldb, sB, beta, C, cOff, ldc, sC, batch),
  linearBackward: (g, gOff, y, yOff, relu, x, xOff, W, wOff, M, N, K, dx, dxOff, dW, dwOff, dwBeta, db, dbOff, dbBeta) =>
    addon.linearBackward(g, gOff, y, yOff, relu, x, xOff, W, wOff, M, N, K, dx, dxOff, dW,
      dwOff, dwBeta, db, dbOff, dbBeta),

  softmax: (x, xOff, y, yOff, rows, cols, log) => addon.softmax(x, xOff, y, yOff, rows, cols, log),
  softmaxBackward: (y, yOff, g, gOff, dx, dxOff, rows, cols, log) =>
    addon.softmaxBackward(y, yOff, g, gOff, dx, dxOff, rows, cols, log),
  maskedSoftmax: (x, xOff, y, yOff, rows, cols, scale, mask, maskOff, geometry) =>
    addon.maskedSoftmax(x, xOff, y, yOff, rows, cols, scale, mask, maskOff, geometry),
  maskedSoftmaxBackward: (y, yOff, g, gOff, dx, dxOff, rows, cols, scale) =>
    addon.maskedSoftmaxBackward(y, yOff, g, gOff, dx, dxOff, rows, cols, scale),
  batchNormForward: (x, xOff, N, C, L, gamma, gOff, beta, bOff, rm, rmOff, rv, rvOff, training, momentum, eps, y, yOff,
    sm, smOff, si, siOff) =>
    addon.batchNormForward(x, xOff, N, C, L, gamma, gOff, beta, bOff, rm, rmOff, rv, rvOff,
      training, momentum, eps, y, yOff, sm, smOff, si, siOff),
  batchNormBackward: (x, xOff, g, gOff, N, C, L, gamma, gmOff, sm, smOff, si, siOff, training, dx, dxOff, dg, dgOff,
    db, dbOff) =>
    addon.batchNormBackward(x, xOff, g, gOff, N, C, L, gamma, gmOff, sm, smOff, si, siOff,
      training, dx, dxOff, dg, dgOff, db, dbOff),

  classLoss: (z, zOff, labels, labOff, weight, wOff, N, C, ignoreIndex, smoothing, logProb, reduction, out, outOff,
    grad, gOff) =>
    addon.classLoss(z, zOff, labels, labOff, weight, wOff, N, C, ignoreIndex, smoothing, logProb,
      code(addon.reductions, reduction), out, outOff, grad, gOff),
  pointwiseLoss: (op, x, xOff, t, tOff, posWeight, pwOff, n, cols, param, reduction, out, outOff, grad, gOff) =>
    addon.pointwiseLoss(code(addon.pointwiseLosses, op), x, xOff, t, tOff, posWeight, pwOff, n, cols,
      param, code(addon.reductions, reduction), out, outOff, grad, gOff),

  optimStep: (kind, param, grad, s0, s1, s2, length, table) =>
    addon.optimStep(code(addon.optimKinds, kind), param, 0, grad, 0, s0, 0, s1, 0, s2, 0, length,
      table),

  gatherBatch: (x, xOff, rowLength, rows, y, yOff, index, indexOff, count, scale, scaleOff, shift, shiftOff, xOut,
    xOutOff, yOut, yOutOff) =>
    addon.gatherBatch(x, xOff, rowLength, rows, y, yOff, index, indexOff, count, scale, scaleOff,
      shift, shiftOff, xOut, xOutOff, yOut, yOutOff),
  oneHot: (labels, lOff, n, classes, out, outOff) => addon.oneHot(labels, lOff, n, classes, out, outOff),
  columnStats: (x, xOff, rows, cols, mean, mOff, std, sOff, min, minOff, max, maxOff) =>
    addon.columnStats(x, xOff, rows, cols, mean, mOff, std, sOff, min, minOff, max, maxOff),
  knn: (data, dataOff, n, d, query, queryOff, m, k, excludeSelf, outIndex, outIndexOff, outDist, outDistOff) =>
    addon.knn(data, dataOff, n, d, query, queryOff, m, k, excludeSelf, outIndex, outIndexOff, outDist,
      outDistOff),
  smoteInterpolate: (x, xOff, n, d, neighbours, nOff, k, count, seed, at, out, outOff) =>
    addon.smoteInterpolate(x, xOff, n, d, neighbours, nOff, k, count, seed, at, out, outOff),
  randperm: (out, outOff, n, seed, at) => addon.randperm(out, outOff, n, seed, at),
  randomIndex: (out, outOff, count, n, seed, at) => addon.randomIndex(out, outOff, count, n, seed, at),
  weightedIndex: (weights, wOff, n, out, outOff, count, seed, at) =>
    addon.weightedIndex(weights, wOff, n, out, outOff, count, seed, at),

  conv2dForward: (x, xOff, w, wOff, b, bOff, y, yOff, g, relu = false) => addon.conv2dForward(x, xOff, w, wOff, b, bOff, y, yOff, g, relu),
  conv2dBackward: (x, xOff, w, wOff, dy, dyOff, dx, dxOff, dW, dwOff, db, dbOff, g, accumulate) =>
    addon.conv2dBackward(x, xOff, w, wOff, dy, dyOff, dx, dxOff, dW, dwOff, db, dbOff, g, accumulate),
  convTranspose2dForward: (x, xOff, w, wOff, b, bOff, y, yOff, g) => addon.convTranspose2dForward(x, xOff, w, wOff, b, bOff, y, yOff, g),
  maxPool2dForward: (x, xOff, y, yOff, idx, iOff, g) => addon.maxPool2dForward(x, xOff, y, yOff, idx, iOff, g),
  maxPool2dBackward: (dy, dyOff, idx, iOff, dx, dxOff, g) => addon.maxPool2dBackward(dy, dyOff, idx, iOff, dx, dxOff, g),
  avgPool2dForward: (x, xOff, y, yOff, g, include) => addon.avgPool2dForward(x, xOff, y, yOff, g, include),
  avgPool2dBackward: (dy, dyOff, dx, dxOff, g, include) => addon.avgPool2dBackward(dy, dyOff, dx, dxOff, g, include),
  adaptiveAvgPool2dForward: (x, xOff, y, yOff, g) => addon.adaptiveAvgPool2dForward(x, xOff, y, yOff, g),
  adaptiveAvgPool2dBackward: (dy, dyOff, dx, dxOff, g) => addon.adaptiveAvgPool2dBackward(dy, dyOff, dx, dxOff, g),
  recurrentForward: (cell, ...rest) => addon.recurrentForward(code(addon.recurrentCells, cell), ...rest),
  recurrentBackward: (cell, ...rest) => addon.recurrentBackward(code(addon.recurrentCells, cell), ...rest),
  scatterAddRows: (src, sOff, rowLength, index, iOff, count, out, oOff, outRows) =>
    addon.scatterAddRows(src, sOff, rowLength, index, iOff, count, out, oOff, outRows),
};
