/**
 * Parameter initialization, in place, as torch.nn.init. Fans of a weight [out, in, ...k]:
 * fanIn = in * prod(k), fanOut = out * prod(k).
 *   xavierUniform: U(-a, a),  a = gain sqrt(6 / (fanIn + fanOut))     (Glorot & Bengio 2010)
 *   xavierNormal:  N(0, s^2), s = gain sqrt(2 / (fanIn + fanOut))
 *   kaimingUniform: U(-b, b), b = gain sqrt(3 / fan)                  (He et al. 2015)
 *   kaimingNormal:  N(0, s^2), s = gain / sqrt(fan)
 * Draws come from src/random.ts's Generator (the default one unless `generator` is given).
 */
import { native } from '../backend/native.js';
import { fillKernel } from '../ops/kernels.js';
import { defaultGenerator, type Generator } from '../random.js';
import { formatShape, type Tensor } from '../tensor.js';

export type Nonlinearity =
  | 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

/**
 * The recommended gain for a nonlinearity (torch.nn.init.calculate_gain): 1 for linear and
 * sigmoid, 5/3 for tanh, sqrt(2) for relu, sqrt(2 / (1 + slope^2)) for leaky_relu (slope
 * default 0.01), 3/4 for selu.
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear': case 'conv1d': case 'conv2d': case 'conv3d': case 'sigmoid': return 1;
    case 'tanh': return 5 / 3;
    case 'relu': return Math.SQRT2;
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      if (!Number.isFinite(slope)) throw new RangeError(`calculateGain: negative slope must be a finite number, got ${slope}`);
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu': return 3 / 4;
    default: throw new RangeError(`calculateGain: unsupported nonlinearity '${String(nonlinearity)}'`);
  }
}

/** fanIn and fanOut of a weight of at least 2 dimensions. */
export function calculateFans(t: Tensor): { fanIn: number; fanOut: number } {
  if (t.ndim < 2) throw new RangeError(`init: fans need a tensor of at least 2 dimensions, got ${formatShape(t.shape)}`);
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: t.shape[1] * receptive, fanOut: t.shape[0] * receptive };
}

export interface InitOptions {
  generator?: Generator;
}

/** Fills t with U(low, high) in place. Returns t. */
export function uniform(t: Tensor, low = 0, high = 1, options: InitOptions = {}): Tensor {
  const g = options.generator ?? defaultGenerator;
  native.randomUniform(t.buffer, t.offset, t.size, g.seed, g.take(t.size), low, high);
  return t;
}

/** Fills t with N(mean, std^2) in place. Returns t. */
export function normal(t: Tensor, mean = 0, std = 1, options: InitOptions = {}): Tensor {
  const g = options.generator ?? defaultGenerator;
  // Normal draws come in Box-Muller pairs: start on an even position, take an even count.
  if (g.offset % 2) g.take(1);
  native.randomNormal(t.buffer, t.offset, t.size, g.seed, g.take(t.size + (t.size % 2)), mean, std);
  return t;
}

/** Fills t with `value`. Returns t. */
export const constant = (t: Tensor, value: number): Tensor => fillKernel(t, value);
/** Fills t with 0. Returns t. */
export const zeros = (t: Tensor): Tensor => fillKernel(t, 0);
/** Fills t with 1. Returns t. */
export const ones = (t: Tensor): Tensor => fillKernel(t, 1);

/** Glorot uniform: U(-a, a), a = gain sqrt(6 / (fanIn + fanOut)). */
export function xavierUniform(t: Tensor, gain = 1, options: InitOptions = {}): Tensor {
  const { fanIn, fanOut } = calculateFans(t);
  const a = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform(t, -a, a, options);
}

/** Glorot normal: N(0, s^2), s = gain sqrt(2 / (fanIn + fanOut)). */
export function xavierNormal(t: Tensor, gain = 1, options: InitOptions = {}): Tensor {
  const { fanIn, fanOut } = calculateFans(t);
  return normal(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), options);
}

export interface KaimingOptions extends InitOptions {
  /** Negative slope of the leaky ReLU that follows (0 for ReLU). */
  a?: number;
  /** 'fanIn' preserves the forward variance, 'fanOut' the backward (PyTorch's 'fan_in'/'fan_out' also accepted). */
  mode?: 'fanIn' | 'fanOut' | 'fan_in' | 'fan_out';
  nonlinearity?: Nonlinearity;
}

function kaimingStd(t: Tensor, options: KaimingOptions): number {
  const { a = 0, mode = 'fanIn', nonlinearity = 'leaky_relu' } = options;
  const fanIn = mode === 'fanIn' || mode === 'fan_in';
  if (!fanIn && mode !== 'fanOut' && mode !== 'fan_out') throw new RangeError(`kaiming: mode must be 'fanIn' or 'fanOut', got '${mode}'`);
  const fans = calculateFans(t);
  const fan = fanIn ? fans.fanIn : fans.fanOut;
  return calculateGain(nonlinearity, a) / Math.sqrt(fan);
}

/** He uniform: U(-b, b), b = gain sqrt(3 / fan), gain from `nonlinearity` and `a`. */
export function kaimingUniform(t: Tensor, options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd(t, options);
  return uniform(t, -bound, bound, options);
}

/** He normal: N(0, s^2), s = gain / sqrt(fan). */
export function kaimingNormal(t: Tensor, options: KaimingOptions = {}): Tensor {
  return normal(t, 0, kaimingStd(t, options), options);
}
