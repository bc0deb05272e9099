/**
 * Convolutions over NCHW (conv2d) and NCL (conv1d) float32 tensors, as
 * torch.nn.functional.conv2d / conv1d: cross-correlation with stride, zero padding (a number,
 * a pair, 'valid' = 0 or 'same' = the output keeps the input's size), dilation and groups.
 *   y[n, o] = b[o] + sum_{c in group(o)} w[o, c] ⋆ x[n, c]
 * One native call forward (im2col + packed GEMM, native/cpu/conv2d.h) and one backward giving
 * every gradient that is needed; inside a module's forward the forward call waits for the
 * output's first reader, so that a ReLU reading it first joins the epilogue (ops/deferred.ts).
 * conv1d is conv2d over a height of 1 (views, no copy).
 */
import { isUnitSeed, record } from '../autograd/graph.js';
import { formatShape, type Tensor } from '../tensor.js';
import { checkInt32, checkOptionalTensor, option, optionKeys, readOptions } from '../validate/index.js';
import { checkFloat } from './kernels.js';
import { runOrDefer, type EpilogueKernel } from './deferred.js';
import { backendOf } from './device.js';
import { pair, windowOutput, type Pair } from './window.js';

/** Options of conv2d: stride, padding, dilation (a number or [h, w]) and groups, as torch.nn.functional.conv2d's. */
export interface Conv2dOptions {
  /** Step of the window (default 1). */
  stride?: Pair;
  /** Zeros added on each side (default 0); 'same' keeps the size (stride 1 only), 'valid' is 0. */
  padding?: Pair | 'same' | 'valid';
  /** Spacing of the kernel's taps (default 1). */
  dilation?: Pair;
  /** Channel groups: input and output channels split into this many independent convolutions (default 1). */
  groups?: number;
}

const CONV_KEYS = optionKeys<Conv2dOptions>({ stride: true, padding: true, dilation: true, groups: true });

/** The checked options, with 'same' turned into the padding it means for this kernel. */
function convSettings(op: string, options: Conv2dOptions, kernel: [number, number]) {
  const o = readOptions<Conv2dOptions>(op, options, CONV_KEYS);
  const stride = pair(op, option('stride'), o.stride ?? 1, 1);
  const dilation = pair(op, option('dilation'), o.dilation ?? 1, 1);
  const groups = o.groups === undefined ? 1 : checkInt32(op, option('groups'), o.groups, 1);
  let padding: [number, number];
  if (o.padding === 'same') {
    if (stride[0] !== 1 || stride[1] !== 1) throw new RangeError(`${op}: padding 'same' needs stride 1 (as in PyTorch), got stride ${formatShape(stride)}`);
    const total = [0, 1].map((i) => dilation[i] * (kernel[i] - 1));
    // PyTorch pads an odd total one more on the far side; these kernels pad both sides alike.
    if (total.some((t) => t % 2 !== 0)) {
      throw new RangeError(`${op}: padding 'same' with kernel ${formatShape(kernel)} and dilation ${formatShape(dilation)} needs uneven padding, which is not supported; pad the input or use an odd kernel`);
    }
    padding = [total[0] / 2, total[1] / 2];
  } else {
    padding = o.padding === 'valid' ? [0, 0] : pair(op, option('padding'), o.padding ?? 0, 0);
  }
  return { stride, padding, dilation, groups };
}

/** y = conv2d(x [N, C, H, W], weight [OC, C / groups, KH, KW], bias [OC] | null): [N, OC, OH, OW]. */
export function conv2d(x: Tensor, weight: Tensor, bias: Tensor | null = null, options: Conv2dOptions = {}): Tensor {
  return conv2dAs('conv2d', x, weight, bias, options);
}

function conv2dAs(op: string, x: Tensor, weight: Tensor, bias: Tensor | null, options: Conv2dOptions, outShape?: (y: number[]) => number[]): Tensor {
  checkFloat(op, 'input', x);
  checkFloat(op, 'weight', weight);
  checkOptionalTensor(op, 'bias', bias, 'float32');
  if (x.ndim !== 4) throw new RangeError(`${op}: input must be [N, C, H, W], got ${formatShape(x.shape)}`);
  if (weight.ndim !== 4) throw new RangeError(`${op}: weight must be [outChannels, inChannels / groups, kH, kW], got ${formatShape(weight.shape)}`);
  const [N, C, H, W] = x.shape;
  const [OC, Cg, KH, KW] = weight.shape;
  if ([C, OC, KH, KW].some((d) => d === 0)) throw new RangeError(`${op}: channels and kernel sizes must be >= 1, got input ${formatShape(x.shape)} and weight ${formatShape(weight.shape)}`);
  const s = convSettings(op, options, [KH, KW]);
  if (C % s.groups !== 0 || OC % s.groups !== 0) {
    throw new RangeError(`${op}: groups ${s.groups} must divide the input channels (${C}) and the output channels (${OC})`);
  }
  if (Cg * s.groups !== C) {
    throw new RangeError(`${op}: input has ${C} channels, the weight ${formatShape(weight.shape)} expects ${Cg * s.groups} (${Cg} per group x ${s.groups} groups)`);
  }
  if (bias && (bias.ndim !== 1 || bias.size !== OC)) throw new RangeError(`${op}: bias must be [${OC}], got ${formatShape(bias.shape)}`);
  const OH = windowOutput(H, KH, s.stride[0], s.padding[0], s.dilation[0]);
  const OW = windowOutput(W, KW, s.stride[1], s.padding[1], s.dilation[1]);
  if (OH < 1 || OW < 1) {
    throw new RangeError(`${op}: the kernel ${formatShape([KH, KW])} (dilation ${formatShape(s.dilation)}) is larger than the padded input ${formatShape([H + 2 * s.padding[0], W + 2 * s.padding[1]])}`);
  }
  const geometry = [N, C, H, W, OC, KH, KW, s.stride[0], s.stride[1], s.padding[0], s.padding[1], s.dilation[0], s.dilation[1], s.groups];
  const backend = backendOf(op, x, weight, bias);
  // Allocated in its final shape (conv1d's [N, OC, OL] is the same memory): a view would read it early.
  const out = x.newEmpty(outShape ? outShape([N, OC, OH, OW]) : [N, OC, OH, OW]);
  const kernel: EpilogueKernel = (y, relu, [xo, wo, bo]) => backend.conv2dForward(xo!.buffer, xo!.offset, wo!.buffer, wo!.offset,
    bo?.buffer ?? null, bo?.offset ?? 0, y.buffer, y.offset, geometry, relu);
  runOrDefer(out, [x, weight, bias], kernel, (fused) => recordConv(op, fused, x, weight, bias, geometry, true));
  return recordConv(op, out, x, weight, bias, geometry, false);
}

/** Records out = conv(x) (then ReLU) for autograd: one native call gives every needed gradient. */
function recordConv(op: string, out: Tensor, x: Tensor, weight: Tensor, bias: Tensor | null, geometry: number[], relu: boolean): Tensor {
  const backend = backendOf(op, x, weight, bias);
  const inputs = bias ? [x, weight, bias] : [x, weight];
  return record(out, relu ? `${op}+relu` : op, inputs, (g) => {
    // Through the ReLU first, in place on g (the closure may overwrite it): relu'(z) = [out > 0].
    const gz = relu && isUnitSeed(g) ? g.newEmpty(g.shape) : g;
    if (relu) backend.unaryBackward('relu', out.buffer, out.offset, g.buffer, g.offset, gz.buffer, gz.offset, g.size, 0, 0);
    const dx = x.requiresGrad ? x.newEmpty(x.shape) : null;
    const dW = weight.requiresGrad ? x.newEmpty(weight.shape) : null;
    const db = bias?.requiresGrad ? x.newEmpty(bias.shape) : null;
    backend.conv2dBackward(x.buffer, x.offset, weight.buffer, weight.offset, gz.buffer, gz.offset, dx?.buffer ?? null, dx?.offset ?? 0,
      dW?.buffer ?? null, dW?.offset ?? 0, db?.buffer ?? null, db?.offset ?? 0, geometry, false);
    if (gz !== g) gz.dispose();
    return bias ? [dx, dW, db] : [dx, dW];
  });
}

/** Options of conv1d: as conv2d's, with stride, padding and dilation as single numbers. */
export type Conv1dOptions = Omit<Conv2dOptions, 'stride' | 'padding' | 'dilation'> & {
  stride?: number;
  padding?: number | 'same' | 'valid';
  dilation?: number;
};

/** y = conv1d(x [N, C, L], weight [OC, C / groups, K], bias [OC] | null): [N, OC, OL]. */
export function conv1d(x: Tensor, weight: Tensor, bias: Tensor | null = null, options: Conv1dOptions = {}): Tensor {
  checkFloat('conv1d', 'input', x);
  checkFloat('conv1d', 'weight', weight);
  if (x.ndim !== 3) throw new RangeError(`conv1d: input must be [N, C, L], got ${formatShape(x.shape)}`);
  if (weight.ndim !== 3) throw new RangeError(`conv1d: weight must be [outChannels, inChannels / groups, k], got ${formatShape(weight.shape)}`);
  const o = readOptions<Conv1dOptions>('conv1d', options, CONV_KEYS);
  const one = (name: string, v: unknown, min: number) => (v === undefined ? undefined : [1, pair('conv1d', option(name), v, min)[0]] as [number, number]);
  const padding = o.padding === 'same' || o.padding === 'valid' ? o.padding : o.padding === undefined ? undefined : ([0, pair('conv1d', option('padding'), o.padding, 0)[0]] as [number, number]);
  const settings: Conv2dOptions = { stride: one('stride', o.stride, 1), padding, dilation: one('dilation', o.dilation, 1), groups: o.groups };
  for (const k of Object.keys(settings) as (keyof Conv2dOptions)[]) if (settings[k] === undefined) delete settings[k];
  const [N, C, L] = x.shape;
  const [OC, Cg, K] = weight.shape;
  return conv2dAs('conv1d', x.reshape(N, C, 1, L), weight.reshape(OC, Cg, 1, K), bias, settings, ([n, oc, , ol]) => [n, oc, ol]);
}
