/**
 * Matrix products on the native GEMM: matmul and the fused linear layer
 * y = x W^T + b (then optionally ReLU), in one native call with the bias and activation
 * applied while the tile is still in registers.
 */
import { record } from '../autograd/graph.js';
import { formatShape, Tensor } from '../tensor.js';
import { checkFloat, copyKernel } from './kernels.js';
import { linearRows } from './linear_rows.js';
import { bmm } from './batched_matmul.js';
import { backendOf } from './device.js';
import { checkBoolean, checkNumber, checkOptionalTensor, option, optionKeys, readOptions } from '../validate/index.js';

/** Options of gemm: transpose either operand, scale the product by alpha, accumulate beta times the output, add a bias row and fuse a ReLU. */
export interface GemmOptions {
  transA?: boolean;
  transB?: boolean;
  alpha?: number;
  beta?: number;
  bias?: Tensor | null;
  relu?: boolean;
}

const GEMM_KEYS = optionKeys<GemmOptions>({ transA: true, transB: true, alpha: true, beta: true, bias: true, relu: true });

/**
 * C = alpha * op(A) op(B) + beta * C (+ bias, then ReLU), on 2-D tensors. Writes into `out`
 * when given (required when beta != 0). Not recorded by autograd.
 */
export function gemm(a: Tensor, b: Tensor, options: GemmOptions = {}, out?: Tensor): Tensor {
  checkFloat('gemm', 'a', a);
  checkFloat('gemm', 'b', b);
  const o = readOptions<GemmOptions>('gemm', options, GEMM_KEYS);
  const transA = o.transA === undefined ? false : checkBoolean('gemm', option('transA'), o.transA);
  const transB = o.transB === undefined ? false : checkBoolean('gemm', option('transB'), o.transB);
  const alpha = o.alpha === undefined ? 1 : checkNumber('gemm', option('alpha'), o.alpha);
  const beta = o.beta === undefined ? 0 : checkNumber('gemm', option('beta'), o.beta);
  const bias = checkOptionalTensor('gemm', option('bias'), o.bias, 'float32');
  const relu = o.relu === undefined ? false : checkBoolean('gemm', option('relu'), o.relu);
  if (out !== undefined) checkFloat('gemm', 'out', out);
  if (a.ndim !== 2 || b.ndim !== 2) {
    throw new RangeError(`gemm: expected 2-D tensors, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  const [M, K] = transA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
  const [K2, N] = transB ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
  if (K !== K2) {
    throw new RangeError(`matmul: inner dimensions differ: ${formatShape(a.shape)}${transA ? 'ᵀ' : ''} x ${formatShape(b.shape)}${transB ? 'ᵀ' : ''}`);
  }
  if (out && (out.ndim !== 2 || out.shape[0] !== M || out.shape[1] !== N)) {
    throw new RangeError(`gemm: out has shape ${formatShape(out.shape)}, expected [${M}, ${N}]`);
  }
  if (beta !== 0 && !out) throw new Error('gemm: beta != 0 needs an output tensor to accumulate into');
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== N)) {
    throw new RangeError(`gemm: bias has shape ${formatShape(bias.shape)}, expected [${N}]`);
  }
  const backend = backendOf('gemm', a, b, bias, out);
  const c = out ?? a.newEmpty([M, N]);
  backend.gemm(transA, transB, M, N, K, alpha, a.buffer, a.offset, a.shape[1], b.buffer, b.offset, b.shape[1],
    beta, c.buffer, c.offset, N, bias ? bias.buffer : null, bias ? bias.offset : 0, relu);
  return c;
}

/**
 * Matrix product, as torch.matmul: [M, K] x [K, N] -> [M, N]; N-D operands are batches of
 * matrices, [..., M, K] x [..., K, N] -> [..., M, N] with the batch dimensions broadcast
 * (batched_matmul.ts); a 1-D operand is a vector (a row on the left, a column on the right)
 * whose dimension the result drops.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkFloat('matmul', 'a', a);
  checkFloat('matmul', 'b', b);
  if (a.ndim === 0 || b.ndim === 0) {
    throw new RangeError(`matmul: expected tensors of at least 1 dimension, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  if (a.ndim !== 2 || b.ndim !== 2) {
    const a2 = a.ndim === 1 ? a.reshape(1, a.shape[0]) : a;
    const b2 = b.ndim === 1 ? b.reshape(b.shape[0], 1) : b;
    const out = bmm(a2, b2);
    if (a.ndim > 1 && b.ndim > 1) return out;
    // Drop the vector's dimension: [..., 1, N] -> [..., N], [..., M, 1] -> [..., M].
    const shape = out.shape.filter((_, i) => !((a.ndim === 1 && i === out.ndim - 2) || (b.ndim === 1 && i === out.ndim - 1)));
    return out.reshape(shape);
  }
  const out = gemm(a, b);
  return record(out, 'matmul', [a, b], (g, targets) => [
    a.requiresGrad ? gemm(g, b, { transB: true }) : null, // dA = dC B^T
    // dB = A^T dC, accumulated straight into B's .grad when B is a leaf
    b.requiresGrad ? gemm(a, g, { transA: true, beta: targets[1] ? 1 : 0 }, targets[1] ?? undefined) : null,
  ]);
}

/**
 * y = x W^T + b with W of shape [outFeatures, inFeatures] (PyTorch's layout), then ReLU when
 * `relu`. One native call forward; inside a module's forward the call waits for y's first
 * reader, so that a ReLU reading it first joins the epilogue (ops/deferred.ts).
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null, relu = false): Tensor {
  checkFloat('linear', 'x', x);
  checkFloat('linear', 'weight', weight);
  checkOptionalTensor('linear', 'bias', bias, 'float32');
  checkBoolean('linear', 'relu', relu);
  if (x.ndim !== 2) throw new RangeError(`linear: input must be 2-D [batch, features], got ${formatShape(x.shape)}`);
  if (weight.ndim !== 2) throw new RangeError(`linear: weight must be 2-D [outFeatures, inFeatures], got ${formatShape(weight.shape)}`);
  const [outFeatures, inFeatures] = weight.shape;
  if (x.shape[1] !== inFeatures) {
    throw new RangeError(`linear: input has ${x.shape[1]} features, layer expects ${inFeatures}`);
  }
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== outFeatures)) {
    throw new RangeError(`linear: bias has shape ${formatShape(bias.shape)}, expected [${outFeatures}]`);
  }
  return linearRows(x, weight, bias, relu, [x.shape[0], outFeatures]);
}
