/**
 * ConvTranspose2d, as torch.nn.ConvTranspose2d (zero padding; padding_mode 'zeros' only):
 * ops/conv_transpose.ts with weight [inChannels, outChannels / groups, kH, kW] and bias
 * [outChannels], initialized as PyTorch: kaimingUniform(a = sqrt(5)) over the weight's own
 * fans, i.e. U(-1/sqrt(fanIn), 1/sqrt(fanIn)) with fanIn = outChannels / groups * kH * kW, and
 * the same bound for the bias. forward's outputSize (PyTorch's output_size) picks the output
 * padding that gives an output of that size: a stride s > 1 maps s input sizes to one output
 * size, so the size without output padding, min, and each up to min + s - 1 are reachable:
 *   min = (in - 1) * stride - 2 * padding + dilation * (kernel - 1) + 1,  outputPadding = size - min
 */
import { convTranspose2d, type ConvTranspose2dOptions } from '../ops/conv_transpose.js';
import { pair, type Pair } from '../ops/window.js';
import type { Generator } from '../random.js';
import { formatShape, type Tensor } from '../tensor.js';
import { checkArray, checkInt32, checkTensor, describeValue, option, optionKeys, readOptions, readSafely } from '../validate/index.js';
import { convParameters } from './conv.js';
import { Module } from './module.js';

/** Options of nn.ConvTranspose2d: those of convTranspose2d, plus bias (default true) and the initialization generator. */
export interface ConvTranspose2dLayerOptions extends ConvTranspose2dOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Generator for the initial weights (default: the global one). */
  generator?: Generator;
}

const KEYS = optionKeys<ConvTranspose2dLayerOptions>({ stride: true, padding: true, outputPadding: true, dilation: true, groups: true, bias: true, generator: true });

export class ConvTranspose2d extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  readonly kernelSize: [number, number];
  /** The stride, padding, output padding and dilation as [h, w] pairs. */
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly outputPadding: [number, number];
  readonly dilation: [number, number];
  private readonly opOptions: ConvTranspose2dOptions;

  constructor(readonly inChannels: number, readonly outChannels: number, kernelSize: Pair, options: ConvTranspose2dLayerOptions = {}) {
    super();
    const op = 'ConvTranspose2d';
    checkInt32(op, 'inChannels', inChannels, 1);
    checkInt32(op, 'outChannels', outChannels, 1);
    this.kernelSize = pair(op, 'kernelSize', kernelSize, 1);
    const o = readOptions<ConvTranspose2dLayerOptions>(op, options, KEYS);
    const groups = o.groups === undefined ? 1 : checkInt32(op, option('groups'), o.groups, 1);
    if (inChannels % groups !== 0 || outChannels % groups !== 0) {
      throw new RangeError(`${op}: groups ${groups} must divide inChannels (${inChannels}) and outChannels (${outChannels})`);
    }
    this.stride = pair(op, option('stride'), o.stride ?? 1, 1);
    this.padding = pair(op, option('padding'), o.padding ?? 0, 0);
    this.outputPadding = pair(op, option('outputPadding'), o.outputPadding ?? 0, 0);
    this.dilation = pair(op, option('dilation'), o.dilation ?? 1, 1);
    this.opOptions = { groups, ...(o.stride !== undefined && { stride: o.stride }), ...(o.padding !== undefined && { padding: o.padding }),
      ...(o.outputPadding !== undefined && { outputPadding: o.outputPadding }), ...(o.dilation !== undefined && { dilation: o.dilation }) };
    // PyTorch's fans of [in, out / groups, kH, kW]: fanIn = out / groups * kH * kW, as conv2d's rule reads them.
    [this.weight, this.bias] = convParameters(op, [inChannels, outChannels / groups, ...this.kernelSize], outChannels, o);
    this.registerParameter('weight', this.weight);
    this.registerParameter('bias', this.bias);
  }

  /**
   * y [N, outChannels, OH, OW] from x [N, inChannels, H, W]. `outputSize`, as PyTorch's
   * output_size: [OH, OW] (or [N, C, OH, OW], whose first two are not read), each from the size
   * without output padding to that plus stride - 1; it replaces the layer's outputPadding.
   */
  forward(x: Tensor, outputSize?: readonly number[] | null): Tensor {
    checkTensor('ConvTranspose2d.forward', 'x', x, 'float32');
    if (x.ndim !== 4 || x.shape[1] !== this.inChannels) {
      throw new RangeError(`ConvTranspose2d: expected input [N, ${this.inChannels}, H, W], got ${formatShape(x.shape)}`);
    }
    if (outputSize === undefined || outputSize === null) return convTranspose2d(x, this.weight, this.bias, this.opOptions);
    return convTranspose2d(x, this.weight, this.bias, { ...this.opOptions, outputPadding: this.outputPaddingFor(x, outputSize) });
  }

  /** The output padding that makes the output `outputSize` (PyTorch's _output_padding). */
  private outputPaddingFor(x: Tensor, outputSize: unknown): [number, number] {
    const op = 'ConvTranspose2d.forward';
    const list = readSafely(op, 'outputSize', () => Array.from(checkArray(op, 'outputSize', outputSize, 'an array of 2 or 4 integers')));
    if (list.length !== 2 && list.length !== 4) {
      throw new RangeError(`${op}: outputSize must have 2 or 4 elements for a 4-D input, got ${list.length}: ${describeValue(outputSize)}`);
    }
    const size = list.slice(-2).map((v, i) => checkInt32(op, `outputSize[${list.length - 2 + i}]`, v, 0));
    const min = [0, 1].map((i) => (x.shape[2 + i] - 1) * this.stride[i] - 2 * this.padding[i] + this.dilation[i] * (this.kernelSize[i] - 1) + 1);
    const max = [0, 1].map((i) => min[i] + this.stride[i] - 1);
    if (size.some((s, i) => s < min[i] || s > max[i])) {
      throw new RangeError(`${op}: outputSize ${formatShape(size)} is out of range: valid sizes range from ${formatShape(min)} to ` +
        `${formatShape(max)} for an input of ${formatShape(x.shape.slice(2))} (stride ${formatShape(this.stride)})`);
    }
    return [size[0] - min[0], size[1] - min[1]];
  }

  protected override describe(): string {
    const o = this.opOptions;
    const opt = (k: keyof ConvTranspose2dOptions) => (o[k] !== undefined && k !== 'groups' ? `, ${k}=${JSON.stringify(o[k])}` : '');
    return `${this.inChannels}, ${this.outChannels}, kernelSize=${formatShape(this.kernelSize)}${opt('stride')}${opt('padding')}${opt('outputPadding')}` +
      `${opt('dilation')}${o.groups !== 1 ? `, groups=${o.groups}` : ''}, bias=${this.bias !== null}`;
  }
}

/** Factory for ConvTranspose2d: `nn.convTranspose2d(16, 8, 3, { stride: 2 })`. */
export const convTranspose2dLayer = (inChannels: number, outChannels: number, kernelSize: Pair, options?: ConvTranspose2dLayerOptions) =>
  new ConvTranspose2d(inChannels, outChannels, kernelSize, options);
