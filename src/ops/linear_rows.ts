/**
 * The linear layer's op on checked operands: y = x W^T + b (then ReLU) over rows x [rows, in], in
 * one native GEMM call with the bias and activation in the epilogue, deferred inside a module's
 * forward so that a ReLU reading y first joins the epilogue (ops/deferred.ts); and its backward,
 * one native call for every gradient.
 */
import { isUnitSeed, record } from '../autograd/graph.js';
import type { Tensor } from '../tensor.js';
import { runOrDefer, type EpilogueKernel } from './deferred.js';
import { backendOf } from './device.js';
import { copyKernel } from './kernels.js';

/**
 * linear over checked 2-D rows x [rows, in], its output shaped `shape` (rows x out elements:
 * nn.Linear's [..., out], allocated so, since a view would read the deferred output early).
 */
export function linearRows(x: Tensor, weight: Tensor, bias: Tensor | null, relu: boolean, shape: readonly number[]): Tensor {
  const backend = backendOf('linear', x, weight, bias);
  const [rows, inFeatures] = x.shape;
  const outFeatures = weight.shape[0];
  const y = x.newEmpty(shape);
  const kernel: EpilogueKernel = (out, withRelu, [xo, wo, bo]) => backend.gemm(false, true, rows, outFeatures, inFeatures, 1,
    xo!.buffer, xo!.offset, inFeatures, wo!.buffer, wo!.offset, inFeatures, 0, out.buffer, out.offset, outFeatures,
    bo ? bo.buffer : null, bo ? bo.offset : 0, relu || withRelu);
  runOrDefer(y, [x, weight, bias], kernel, relu ? null : (fused) => recordLinear(fused, x, weight, bias, true));
  return recordLinear(y, x, weight, bias, relu);
}

/** Records y = linear(x) (then ReLU) for autograd. */
function recordLinear(y: Tensor, x: Tensor, weight: Tensor, bias: Tensor | null, relu: boolean): Tensor {
  const backend = backendOf('linear', x, weight, bias);
  const [rows, inFeatures] = x.shape;
  const outFeatures = weight.shape[0];
  const inputs = bias ? [x, weight, bias] : [x, weight];
  return record(y, relu ? 'linear+relu' : 'linear', inputs, (g, targets) => {
    // One native call: through ReLU (relu'(z) = [y > 0]), then dW = dz^T x and db = colsum(dz)
    // accumulated into the parameters' .grad (beta = 1) when they are leaves, and dx = dz W.
    const gz = relu && isUnitSeed(g) ? copyKernel(g.newEmpty(g.shape), g) : g;
    const dx = x.requiresGrad ? x.newEmpty(x.shape) : null;
    const dW = weight.requiresGrad ? (targets[1] ?? x.newEmpty(weight.shape)) : null;
    const db = bias?.requiresGrad ? (targets[2] ?? x.newEmpty(bias.shape)) : null;
    backend.linearBackward(gz.buffer, gz.offset, relu ? y.buffer : null, y.offset, relu, x.buffer, x.offset,
      weight.buffer, weight.offset, rows, outFeatures, inFeatures,
      dx?.buffer ?? null, dx?.offset ?? 0, dW?.buffer ?? null, dW?.offset ?? 0, targets[1] ? 1 : 0,
      db?.buffer ?? null, db?.offset ?? 0, targets[2] ? 1 : 0);
    if (gz !== g) gz.dispose();
    return bias ? [dx, dW, db] : [dx, dW];
  });
}
