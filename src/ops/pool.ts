/**
 * Pooling over NCHW float32 tensors, as torch.nn.functional.max_pool2d / avg_pool2d /
 * adaptive_avg_pool2d (ceil_mode false): one native call each way (native/cpu/pool2d.h).
 *   max:      y = max over the window; the backward sends each gradient to the position of
 *             the maximum (the indices the forward kept)
 *   average:  y = window sum / divisor (the window's padded size when countIncludePad, the
 *             default, else the count of real inputs)
 *   adaptive: output (i, j) averages rows [floor(i H / OH), ceil((i + 1) H / OH)) and the like
 *             columns, so any input size maps to the requested output size
 */
import { needsGrad, record } from '../autograd/graph.js';
import { formatShape, type Tensor } from '../tensor.js';
import { checkBoolean, option, optionKeys, readOptions } from '../validate/index.js';
import { checkFloat } from './kernels.js';
import { backendOf } from './device.js';
import { pair, windowOutput, type Pair } from './window.js';

/** Options of maxPool2d: stride (default the kernel size), padding and dilation, as torch.nn.functional.max_pool2d's. */
export interface MaxPool2dOptions {
  /** Step of the window (default: the kernel size). */
  stride?: Pair;
  /** Implicit -inf on each side (default 0, at most half the kernel). */
  padding?: Pair;
  dilation?: Pair;
}
/** Options of avgPool2d: stride (default the kernel size), padding and countIncludePad, as torch.nn.functional.avg_pool2d's. */
export interface AvgPool2dOptions {
  stride?: Pair;
  /** Implicit zeros on each side (default 0, at most half the kernel). */
  padding?: Pair;
  /** Count the padding in the divisor (default true, as PyTorch). */
  countIncludePad?: boolean;
}

const MAX_KEYS = optionKeys<MaxPool2dOptions>({ stride: true, padding: true, dilation: true });
const AVG_KEYS = optionKeys<AvgPool2dOptions>({ stride: true, padding: true, countIncludePad: true });

function poolGeometry(op: string, x: Tensor, kernelSize: Pair, stride: Pair | undefined, padding: Pair | undefined, dilation: Pair | undefined) {
  checkFloat(op, 'input', x);
  if (x.ndim !== 4) throw new RangeError(`${op}: input must be [N, C, H, W], got ${formatShape(x.shape)}`);
  const kernel = pair(op, 'kernelSize', kernelSize, 1);
  const s = stride === undefined ? kernel : pair(op, option('stride'), stride, 1);
  const p = pair(op, option('padding'), padding ?? 0, 0);
  const d = pair(op, option('dilation'), dilation ?? 1, 1);
  if ([0, 1].some((i) => 2 * p[i] > d[i] * (kernel[i] - 1) + 1)) {
    throw new RangeError(`${op}: padding ${formatShape(p)} must be at most half the kernel ${formatShape(kernel)}`);
  }
  const [N, C, H, W] = x.shape;
  const OH = windowOutput(H, kernel[0], s[0], p[0], d[0]);
  const OW = windowOutput(W, kernel[1], s[1], p[1], d[1]);
  if (OH < 1 || OW < 1) throw new RangeError(`${op}: the window ${formatShape(kernel)} is larger than the padded input ${formatShape([H + 2 * p[0], W + 2 * p[1]])}`);
  return { geometry: [N, C, H, W, kernel[0], kernel[1], s[0], s[1], p[0], p[1], d[0], d[1]], outShape: [N, C, OH, OW] };
}

/** Max over each window of x [N, C, H, W]. */
export function maxPool2d(x: Tensor, kernelSize: Pair, options: MaxPool2dOptions = {}): Tensor {
  const o = readOptions<MaxPool2dOptions>('maxPool2d', options, MAX_KEYS);
  const { geometry, outShape } = poolGeometry('maxPool2d', x, kernelSize, o.stride, o.padding, o.dilation);
  const backend = backendOf('maxPool2d', x);
  const y = x.newEmpty(outShape);
  const indices = x.newEmpty(outShape, 'int32');
  backend.maxPool2dForward(x.buffer, x.offset, y.buffer, y.offset, indices.buffer, indices.offset, geometry);
  if (!needsGrad([x])) {
    indices.dispose();
    return y;
  }
  return record(y, 'maxPool2d', [x], (g) => {
    const dx = x.newEmpty(x.shape);
    backend.maxPool2dBackward(g.buffer, g.offset, indices.buffer, indices.offset, dx.buffer, dx.offset, geometry);
    indices.dispose();
    return [dx];
  });
}

/** Mean over each window of x [N, C, H, W]. */
export function avgPool2d(x: Tensor, kernelSize: Pair, options: AvgPool2dOptions = {}): Tensor {
  const o = readOptions<AvgPool2dOptions>('avgPool2d', options, AVG_KEYS);
  const { geometry, outShape } = poolGeometry('avgPool2d', x, kernelSize, o.stride, o.padding, undefined);
  const include = o.countIncludePad === undefined ? true : checkBoolean('avgPool2d', option('countIncludePad'), o.countIncludePad);
  const backend = backendOf('avgPool2d', x);
  const y = x.newEmpty(outShape);
  backend.avgPool2dForward(x.buffer, x.offset, y.buffer, y.offset, geometry, include);
  return record(y, 'avgPool2d', [x], (g) => {
    const dx = x.newEmpty(x.shape);
    backend.avgPool2dBackward(g.buffer, g.offset, dx.buffer, dx.offset, geometry, include);
    return [dx];
  });
}

/** x [N, C, H, W] averaged down to [N, C, outputSize]; an output size may not exceed the input's. */
export function adaptiveAvgPool2d(x: Tensor, outputSize: Pair): Tensor {
  checkFloat('adaptiveAvgPool2d', 'input', x);
  if (x.ndim !== 4) throw new RangeError(`adaptiveAvgPool2d: input must be [N, C, H, W], got ${formatShape(x.shape)}`);
  const [OH, OW] = pair('adaptiveAvgPool2d', 'outputSize', outputSize, 1);
  const [N, C, H, W] = x.shape;
  if (OH > H || OW > W) throw new RangeError(`adaptiveAvgPool2d: outputSize ${formatShape([OH, OW])} is larger than the input's ${formatShape([H, W])}`);
  const geometry = [N, C, H, W, OH, OW];
  const backend = backendOf('adaptiveAvgPool2d', x);
  const y = x.newEmpty([N, C, OH, OW]);
  backend.adaptiveAvgPool2dForward(x.buffer, x.offset, y.buffer, y.offset, geometry);
  return record(y, 'adaptiveAvgPool2d', [x], (g) => {
    const dx = x.newEmpty(x.shape);
    backend.adaptiveAvgPool2dBackward(g.buffer, g.offset, dx.buffer, dx.offset, geometry);
    return [dx];
  });
}
