/**
 * Parameter initialization, in place, as torch.nn.init. Fans of a weight [out, in, ...k]:
 * fanIn = in * prod(k), fanOut = out * prod(k).
 *   xavierUniform: U(-a, a),  a = gain sqrt(6 / (fanIn + fanOut))     (Glorot & Bengio 2010)
 *   xavierNormal:  N(0, s^2), s = gain sqrt(2 / (fanIn + fanOut))
 *   kaimingUniform: U(-b, b), b = gain sqrt(3 / fan)                  (He et al. 2015)
 *   kaimingNormal:  N(0, s^2), s = gain / sqrt(fan)
 * Draws come from src/random.ts's Generator (the default one unless `generator` is given).
 *
 * @module
 */
import { fillKernel } from '../ops/kernels.js';
import { checkGenerator, defaultGenerator, type Generator } from '../random.js';
import { formatShape, type Tensor } from '../tensor.js';
import { checkChoice, checkNumber, checkTensor, option, optionKeys, readOptions } from '../validate/index.js';

/** The nonlinearities calculateGain knows, as torch.nn.init.calculate_gain's. */
export type Nonlinearity =
  | 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

/**
 * The recommended gain for a nonlinearity (torch.nn.init.calculate_gain): 1 for linear and
 * sigmoid, 5/3 for tanh, sqrt(2) for relu, sqrt(2 / (1 + slope^2)) for leaky_relu (slope
 * default 0.01), 3/4 for selu.
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  checkChoice('calculateGain', 'nonlinearity', nonlinearity, NONLINEARITIES);
  if (param !== undefined) checkNumber('calculateGain', 'param', param);
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
  }
}

const NONLINEARITIES: readonly Nonlinearity[] = ['linear', 'conv1d', 'conv2d', 'conv3d', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'selu'];

/** fanIn and fanOut of a weight of at least 2 dimensions. */
export function calculateFans(t: Tensor): { fanIn: number; fanOut: number } {
  checkTensor('calculateFans', 'tensor', t);
  return fansOf('calculateFans', t);
}

function fansOf(op: string, t: Tensor): { fanIn: number; fanOut: number } {
  if (t.ndim < 2) throw new RangeError(`${op}: fans need a tensor of at least 2 dimensions, got ${formatShape(t.shape)}`);
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: t.shape[1] * receptive, fanOut: t.shape[0] * receptive };
}

/** Fans of an initializer's tensor: both must be positive (an empty weight has no scale). */
function positiveFans(op: string, t: Tensor): { fanIn: number; fanOut: number } {
  const fans = fansOf(op, t);
  if (fans.fanIn === 0 || fans.fanOut === 0) throw new RangeError(`${op}: a tensor of shape ${formatShape(t.shape)} has a zero fan`);
  return fans;
}

/** Options of every initializer: the generator to draw from (default the global one). */
export interface InitOptions {
  generator?: Generator;
}

const INIT_KEYS = optionKeys<InitOptions>({ generator: true });

/** The generator of checked init options (the default one when they name none). */
function generatorOf(op: string, options: unknown, keys: readonly string[] = INIT_KEYS): Generator {
  const { generator } = readOptions<InitOptions>(op, options, keys as readonly 'generator'[]);
  return generator === undefined ? defaultGenerator : checkGenerator(op, option('generator'), generator);
}

function fillUniform(op: string, t: Tensor, low: number, high: number, g: Generator): Tensor {
  checkNumber(op, 'low', low);
  checkNumber(op, 'high', high, { min: low });
  t.backend.randomUniform(t.buffer, t.offset, t.size, g.seed, g.take(t.size), low, high);
  return t;
}

function fillNormal(op: string, t: Tensor, mean: number, std: number, g: Generator): Tensor {
  checkNumber(op, 'mean', mean);
  checkNumber(op, 'std', std, { min: 0 });
  // Normal draws come in Box-Muller pairs: start on an even position, take an even count.
  if (g.offset % 2) g.take(1);
  t.backend.randomNormal(t.buffer, t.offset, t.size, g.seed, g.take(t.size + (t.size % 2)), mean, std);
  return t;
}

const floatTensor = (op: string, t: unknown): Tensor => checkTensor(op, 'tensor', t, 'float32');

/** Fills t with U(low, high) in place. Returns t. */
export function uniform(t: Tensor, low = 0, high = 1, options: InitOptions = {}): Tensor {
  floatTensor('uniform', t);
  return fillUniform('uniform', t, low, high, generatorOf('uniform', options));
}

/** Fills t with N(mean, std^2) in place. Returns t. */
export function normal(t: Tensor, mean = 0, std = 1, options: InitOptions = {}): Tensor {
  floatTensor('normal', t);
  return fillNormal('normal', t, mean, std, generatorOf('normal', options));
}

/** Fills t with `value`. Returns t. */
export function constant(t: Tensor, value: number): Tensor {
  floatTensor('constant', t);
  return fillKernel(t, checkNumber('constant', 'value', value, { infinite: true }));
}
/** Fills t with 0. Returns t. */
export const zeros = (t: Tensor): Tensor => fillKernel(floatTensor('zeros', t), 0);
/** Fills t with 1. Returns t. */
export const ones = (t: Tensor): Tensor => fillKernel(floatTensor('ones', t), 1);

/** Glorot uniform: U(-a, a), a = gain sqrt(6 / (fanIn + fanOut)). */
export function xavierUniform(t: Tensor, gain = 1, options: InitOptions = {}): Tensor {
  floatTensor('xavierUniform', t);
  checkNumber('xavierUniform', 'gain', gain, { min: 0 });
  const g = generatorOf('xavierUniform', options);
  const { fanIn, fanOut } = positiveFans('xavierUniform', t);
  const a = gain * Math.sqrt(6 / (fanIn + fanOut));
  return fillUniform('xavierUniform', t, -a, a, g);
}

/** Glorot normal: N(0, s^2), s = gain sqrt(2 / (fanIn + fanOut)). */
export function xavierNormal(t: Tensor, gain = 1, options: InitOptions = {}): Tensor {
  floatTensor('xavierNormal', t);
  checkNumber('xavierNormal', 'gain', gain, { min: 0 });
  const g = generatorOf('xavierNormal', options);
  const { fanIn, fanOut } = positiveFans('xavierNormal', t);
  return fillNormal('xavierNormal', t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), g);
}

/** Options of kaimingUniform / kaimingNormal: the negative slope `a` (leaky ReLU), mode 'fanIn' | 'fanOut' (default 'fanIn') and the nonlinearity (default 'leaky_relu'), as PyTorch's. */
export interface KaimingOptions extends InitOptions {
  /** Negative slope of the leaky ReLU that follows (0 for ReLU). */
  a?: number;
  /** 'fanIn' preserves the forward variance, 'fanOut' the backward (PyTorch's 'fan_in'/'fan_out' also accepted). */
  mode?: 'fanIn' | 'fanOut' | 'fan_in' | 'fan_out';
  nonlinearity?: Nonlinearity;
}

const KAIMING_KEYS = optionKeys<KaimingOptions>({ a: true, mode: true, nonlinearity: true, generator: true });
const MODES = ['fanIn', 'fanOut', 'fan_in', 'fan_out'] as const;

/** The checked options' std and generator. */
function kaiming(op: string, t: Tensor, options: unknown): { std: number; g: Generator } {
  floatTensor(op, t);
  const o = readOptions<KaimingOptions>(op, options, KAIMING_KEYS);
  const a = o.a === undefined ? 0 : checkNumber(op, option('a'), o.a);
  const mode = o.mode === undefined ? 'fanIn' : checkChoice(op, option('mode'), o.mode, MODES);
  const nonlinearity = o.nonlinearity === undefined ? 'leaky_relu' : checkChoice(op, option('nonlinearity'), o.nonlinearity, NONLINEARITIES);
  const g = o.generator === undefined ? defaultGenerator : checkGenerator(op, option('generator'), o.generator);
  const fans = positiveFans(op, t);
  const fan = mode === 'fanIn' || mode === 'fan_in' ? fans.fanIn : fans.fanOut;
  return { std: calculateGain(nonlinearity, a) / Math.sqrt(fan), g };
}

/** He uniform: U(-b, b), b = gain sqrt(3 / fan), gain from `nonlinearity` and `a`. */
export function kaimingUniform(t: Tensor, options: KaimingOptions = {}): Tensor {
  const { std, g } = kaiming('kaimingUniform', t, options);
  const bound = Math.sqrt(3) * std;
  return fillUniform('kaimingUniform', t, -bound, bound, g);
}

/** He normal: N(0, s^2), s = gain / sqrt(fan). */
export function kaimingNormal(t: Tensor, options: KaimingOptions = {}): Tensor {
  const { std, g } = kaiming('kaimingNormal', t, options);
  return fillNormal('kaimingNormal', t, 0, std, g);
}
