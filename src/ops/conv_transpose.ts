/**
 * The transposed 2-D convolution over NCHW, as torch.nn.functional.conv_transpose2d: the
 * adjoint of conv2d with respect to its input (each input pixel scatters the kernel, scaled,
 * into the output), with stride, zero padding, outputPadding, dilation and groups.
 *   out = (in - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1
 * weight [inChannels, outChannels / groups, kH, kW] as PyTorch's. It runs on conv2d's kernels:
 * forward is conv2d's input-gradient path (GEMM + col2im, native/cpu/conv2d.h), the input
 * gradient is conv2d forward of the output gradient, the weight gradient is conv2d's weight
 * gradient with the roles of input and output gradient swapped.
 */
import { record } from '../autograd/graph.js';
import { formatShape, type Tensor } from '../tensor.js';
import { checkInt32, checkOptionalTensor, option, optionKeys, readOptions } from '../validate/index.js';
import { backendOf } from './device.js';
import { checkFloat, reduceKernel } from './kernels.js';
import { pair, type Pair } from './window.js';

/** Options of convTranspose2d, as torch.nn.functional.conv_transpose2d: bias, stride, padding, outputPadding, groups, dilation. */
export interface ConvTranspose2dOptions {
  stride?: Pair;
  /** dilation * (kernel - 1) - padding zeros are added on each side of the input (default 0). */
  padding?: Pair;
  /** Extra rows / columns on the far side of the output, each < stride (default 0). */
  outputPadding?: Pair;
  dilation?: Pair;
  groups?: number;
}

const KEYS = optionKeys<ConvTranspose2dOptions>({ stride: true, padding: true, outputPadding: true, dilation: true, groups: true });

/** y = convTranspose2d(x [N, C, H, W], weight [C, OC / groups, KH, KW], bias [OC] | null): [N, OC, OH, OW]. */
export function convTranspose2d(x: Tensor, weight: Tensor, bias: Tensor | null = null, options: ConvTranspose2dOptions = {}): Tensor {
  const op = 'convTranspose2d';
  checkFloat(op, 'input', x);
  checkFloat(op, 'weight', weight);
  checkOptionalTensor(op, 'bias', bias, 'float32');
  const o = readOptions<ConvTranspose2dOptions>(op, options, KEYS);
  const stride = pair(op, option('stride'), o.stride ?? 1, 1);
  const padding = pair(op, option('padding'), o.padding ?? 0, 0);
  const outputPadding = pair(op, option('outputPadding'), o.outputPadding ?? 0, 0);
  const dilation = pair(op, option('dilation'), o.dilation ?? 1, 1);
  const groups = o.groups === undefined ? 1 : checkInt32(op, option('groups'), o.groups, 1);
  if (x.ndim !== 4) throw new RangeError(`${op}: input must be [N, C, H, W], got ${formatShape(x.shape)}`);
  if (weight.ndim !== 4) throw new RangeError(`${op}: weight must be [inChannels, outChannels / groups, kH, kW], got ${formatShape(weight.shape)}`);
  const [N, C, H, W] = x.shape;
  const [Cw, OCg, KH, KW] = weight.shape;
  const OC = OCg * groups;
  if (Cw !== C || C % groups !== 0 || OCg === 0 || KH === 0 || KW === 0) {
    throw new RangeError(`${op}: input has ${C} channels, the weight ${formatShape(weight.shape)} expects ${Cw}, in ${groups} groups`);
  }
  if (bias && (bias.ndim !== 1 || bias.size !== OC)) throw new RangeError(`${op}: bias must be [${OC}], got ${formatShape(bias.shape)}`);
  for (let i = 0; i < 2; i++) {
    // PyTorch also takes outputPadding < dilation with a smaller stride: rows no input reaches.
    if (outputPadding[i] >= stride[i]) {
      throw new RangeError(`${op}: outputPadding ${formatShape(outputPadding)} must be smaller than the stride ${formatShape(stride)}`);
    }
  }
  const size = (i: number, n: number, k: number) => (n - 1) * stride[i] - 2 * padding[i] + dilation[i] * (k - 1) + outputPadding[i] + 1;
  const [OH, OW] = [size(0, H, KH), size(1, W, KW)];
  if (OH < 1 || OW < 1) throw new RangeError(`${op}: the output would be ${formatShape([OH, OW])}: padding ${formatShape(padding)} is too large`);
  // The convolution whose input is y [N, OC, OH, OW] and whose output is x [N, C, H, W].
  const geometry = [N, OC, OH, OW, C, KH, KW, stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1], groups];
  const backend = backendOf(op, x, weight, bias);
  const y = x.newEmpty([N, OC, OH, OW]);
  backend.convTranspose2dForward(x.buffer, x.offset, weight.buffer, weight.offset, bias?.buffer ?? null, bias?.offset ?? 0, y.buffer, y.offset, geometry);
  const inputs = bias ? [x, weight, bias] : [x, weight];
  return record(y, op, inputs, (g) => {
    const dx = x.requiresGrad ? x.newEmpty(x.shape) : null;
    if (dx) backend.conv2dForward(g.buffer, g.offset, weight.buffer, weight.offset, null, 0, dx.buffer, dx.offset, geometry);
    const dW = weight.requiresGrad ? x.newEmpty(weight.shape) : null;
    if (dW) backend.conv2dBackward(g.buffer, g.offset, weight.buffer, weight.offset, x.buffer, x.offset, null, 0, dW.buffer, dW.offset, null, 0, geometry, false);
    if (!bias) return [dx, dW];
    let db: Tensor | null = null;
    if (bias.requiresGrad) {
      // db[c] = sum over images and positions of g[n, c]: two reductions of g [N, OC, OH*OW].
      const perImage = reduceKernel('sum', g, 1, N, OC * OH * OW, [OC * OH * OW]);
      db = reduceKernel('sum', perImage, OC, OH * OW, 1, [OC]);
      perImage.dispose();
    }
    return [dx, dW, db];
  });
}
