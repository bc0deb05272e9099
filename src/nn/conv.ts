/**
 * Conv1d and Conv2d, as torch.nn.Conv1d / Conv2d (zero padding; padding_mode 'zeros' only).
 * weight [outChannels, inChannels / groups, ...kernelSize] and bias [outChannels], initialized
 * as PyTorch: kaimingUniform(a = sqrt(5)), i.e. U(-1/sqrt(fanIn), 1/sqrt(fanIn)) with
 * fanIn = inChannels / groups * prod(kernelSize), and the same bound for the bias.
 */
import { conv1d, conv2d, type Conv2dOptions } from '../ops/conv.js';
import { pair, type Pair } from '../ops/window.js';
import { checkGenerator, type Generator } from '../random.js';
import { Tensor, formatShape } from '../tensor.js';
import { checkBoolean, checkInt32, checkTensor, MAX_ELEMENTS, option, optionKeys, readOptions } from '../validate/index.js';
import { kaimingUniform, uniform } from './init.js';
import { Module } from './module.js';
import { defaultBackend } from '../backend/registry.js';

export interface ConvOptions<P> {
  stride?: P;
  /** Zeros on each side (default 0); 'same' keeps the size (stride 1), 'valid' is 0. */
  padding?: P | 'same' | 'valid';
  dilation?: P;
  groups?: number;
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Generator for the initial weights (default: the global one). */
  generator?: Generator;
}
/** Options of nn.Conv2d: stride, padding, dilation (a number or [h, w]), groups, bias, and the initialization generator. */
export type Conv2dLayerOptions = ConvOptions<Pair>;
/** Options of nn.Conv1d: stride, padding and dilation as numbers, groups, bias, and the initialization generator. */
export type Conv1dLayerOptions = ConvOptions<number>;

const KEYS = optionKeys<ConvOptions<Pair>>({ stride: true, padding: true, dilation: true, groups: true, bias: true, generator: true });

/**
 * A convolution's weight of `shape` and bias [biasSize] (or null when options.bias is false),
 * PyTorch's default initialization: kaimingUniform(a = sqrt(5)) over the weight's fans, the
 * bias U(-1/sqrt(fanIn), 1/sqrt(fanIn)) with fanIn = prod(shape[1:]).
 */
export function convParameters(op: string, shape: number[], biasSize: number, o: { bias?: boolean; generator?: Generator }): [Tensor, Tensor | null] {
  if (shape.reduce((a, b) => a * b, 1) > MAX_ELEMENTS) throw new RangeError(`${op}: a weight of ${formatShape(shape)} has more than 2^32 elements`);
  const hasBias = o.bias === undefined ? true : checkBoolean(op, option('bias'), o.bias);
  const generator = o.generator === undefined ? undefined : checkGenerator(op, option('generator'), o.generator);
  const weight = Tensor.empty(shape, 'float32', false, defaultBackend());
  kaimingUniform(weight, { a: Math.sqrt(5), generator });
  const bias = hasBias ? Tensor.empty([biasSize], 'float32', false, defaultBackend()) : null;
  if (bias) {
    const bound = 1 / Math.sqrt(shape.slice(1).reduce((a, b) => a * b, 1));
    uniform(bias, -bound, bound, { generator });
  }
  return [weight, bias];
}

/** The shared part of both layers: checked channels, the parameters, the op's options. */
abstract class ConvNd extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  protected readonly opOptions: Conv2dOptions;

  constructor(op: string, readonly inChannels: number, readonly outChannels: number, readonly kernelSize: number[], options: ConvOptions<Pair>) {
    super();
    checkInt32(op, 'inChannels', inChannels, 1);
    checkInt32(op, 'outChannels', outChannels, 1);
    const o = readOptions<ConvOptions<Pair>>(op, options, KEYS);
    const groups = o.groups === undefined ? 1 : checkInt32(op, option('groups'), o.groups, 1);
    if (inChannels % groups !== 0 || outChannels % groups !== 0) {
      throw new RangeError(`${op}: groups ${groups} must divide inChannels (${inChannels}) and outChannels (${outChannels})`);
    }
    this.opOptions = { groups, ...(o.stride !== undefined && { stride: o.stride }), ...(o.padding !== undefined && { padding: o.padding }), ...(o.dilation !== undefined && { dilation: o.dilation }) };
    [this.weight, this.bias] = convParameters(op, [outChannels, inChannels / groups, ...kernelSize], outChannels, o);
    this.registerParameter('weight', this.weight);
    this.registerParameter('bias', this.bias);
  }

  protected override describe(): string {
    const o = this.opOptions;
    return `${this.inChannels}, ${this.outChannels}, kernelSize=${formatShape(this.kernelSize)}` +
      `${o.stride !== undefined ? `, stride=${JSON.stringify(o.stride)}` : ''}${o.padding !== undefined ? `, padding=${JSON.stringify(o.padding)}` : ''}` +
      `${o.dilation !== undefined ? `, dilation=${JSON.stringify(o.dilation)}` : ''}${o.groups !== 1 ? `, groups=${o.groups}` : ''}, bias=${this.bias !== null}`;
  }
}

/** 2-D convolution over x [N, inChannels, H, W]. */
export class Conv2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Pair, options: Conv2dLayerOptions = {}) {
    super('Conv2d', inChannels, outChannels, pair('Conv2d', 'kernelSize', kernelSize, 1), options);
  }

  forward(x: Tensor): Tensor {
    checkTensor('Conv2d.forward', 'x', x, 'float32');
    if (x.ndim !== 4 || x.shape[1] !== this.inChannels) {
      throw new RangeError(`Conv2d: expected input [N, ${this.inChannels}, H, W], got ${formatShape(x.shape)}`);
    }
    return conv2d(x, this.weight, this.bias, this.opOptions);
  }
}

/** Conv1d's options, refused before any weight is drawn when a size is a pair. */
function singleIntegers(options: Conv1dLayerOptions): Conv1dLayerOptions {
  const o = readOptions<ConvOptions<Pair>>('Conv1d', options, KEYS);
  for (const k of ['stride', 'padding', 'dilation'] as const) {
    if (Array.isArray(o[k])) throw new RangeError(`Conv1d: option '${k}' must be a single integer, got an array`);
  }
  return o as Conv1dLayerOptions;
}

/** 1-D convolution over x [N, inChannels, L]. */
export class Conv1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: number, options: Conv1dLayerOptions = {}) {
    super('Conv1d', inChannels, outChannels, [pair('Conv1d', 'kernelSize', kernelSize, 1)[0]], singleIntegers(options));
  }

  forward(x: Tensor): Tensor {
    checkTensor('Conv1d.forward', 'x', x, 'float32');
    if (x.ndim !== 3 || x.shape[1] !== this.inChannels) {
      throw new RangeError(`Conv1d: expected input [N, ${this.inChannels}, L], got ${formatShape(x.shape)}`);
    }
    return conv1d(x, this.weight, this.bias, this.opOptions as never);
  }
}

/** `new nn.Conv2d(...)` as a function: `nn.conv2d(1, 16, 5, { padding: 2 })`. */
export const conv2dLayer = (inChannels: number, outChannels: number, kernelSize: Pair, options?: Conv2dLayerOptions) => new Conv2d(inChannels, outChannels, kernelSize, options);
/** `new nn.Conv1d(...)` as a function: `nn.conv1d(8, 16, 3)`. */
export const conv1dLayer = (inChannels: number, outChannels: number, kernelSize: number, options?: Conv1dLayerOptions) => new Conv1d(inChannels, outChannels, kernelSize, options);
