/**
 * Matrix products on the native GEMM: matmul and the fused linear layer
 * y = x W^T + b (then optionally ReLU), in one native call with the bias and activation
 * applied while the tile is still in registers.
 */
import { native } from '../backend/native.js';
import { record } from '../autograd/graph.js';
import { formatShape, Tensor } from '../tensor.js';
import { checkFloat, reduceKernel, unaryBackwardKernel } from './kernels.js';

export interface GemmOptions {
  transA?: boolean;
  transB?: boolean;
  alpha?: number;
  beta?: number;
  bias?: Tensor | null;
  relu?: boolean;
}

/**
 * C = alpha * op(A) op(B) + beta * C (+ bias, then ReLU), on 2-D tensors. Writes into `out`
 * when given (required when beta != 0). Not recorded by autograd.
 */
export function gemm(a: Tensor, b: Tensor, options: GemmOptions = {}, out?: Tensor): Tensor {
  const { transA = false, transB = false, alpha = 1, beta = 0, bias = null, relu = false } = options;
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
  const c = out ?? Tensor.empty([M, N]);
  native.gemm(transA, transB, M, N, K, alpha, a.buffer, a.offset, a.shape[1], b.buffer, b.offset, b.shape[1],
    beta, c.buffer, c.offset, N, bias ? bias.buffer : null, bias ? bias.offset : 0, relu);
  return c;
}

/** Matrix product of 2-D tensors, [M, K] x [K, N] -> [M, N]. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkFloat('matmul', a, b);
  if (a.ndim !== 2 || b.ndim !== 2) {
    throw new RangeError(`matmul: expected 2-D tensors, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  const out = gemm(a, b);
  return record(out, 'matmul', [a, b], (g) => [
    a.requiresGrad ? gemm(g, b, { transB: true }) : null, // dA = dC B^T
    b.requiresGrad ? gemm(a, g, { transA: true }) : null, // dB = A^T dC
  ]);
}

/**
 * y = x W^T + b with W of shape [outFeatures, inFeatures] (PyTorch's layout), then ReLU when
 * `relu`. One native call forward.
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null = null, relu = false): Tensor {
  checkFloat('linear', x, weight);
  if (x.ndim !== 2) throw new RangeError(`linear: input must be 2-D [batch, features], got ${formatShape(x.shape)}`);
  const [outFeatures, inFeatures] = weight.shape;
  if (x.shape[1] !== inFeatures) {
    throw new RangeError(`linear: input has ${x.shape[1]} features, layer expects ${inFeatures}`);
  }
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== outFeatures)) {
    throw new RangeError(`linear: bias has shape ${formatShape(bias.shape)}, expected [${outFeatures}]`);
  }
  const y = gemm(x, weight, { transB: true, bias, relu });
  const inputs = bias ? [x, weight, bias] : [x, weight];
  return record(y, relu ? 'linear+relu' : 'linear', inputs, (g) => {
    // Through ReLU first: relu'(z) = [z > 0] = [y > 0].
    const gz = relu ? unaryBackwardKernel('relu', y, g) : g;
    const grads: (Tensor | null)[] = [
      x.requiresGrad ? gemm(gz, weight) : null, // dx = dz W
      weight.requiresGrad ? gemm(gz, x, { transA: true }) : null, // dW = dz^T x
    ];
    if (bias) grads.push(bias.requiresGrad ? reduceKernel('sum', gz, 1, gz.shape[0], gz.shape[1], [outFeatures]) : null);
    return grads;
  });
}
