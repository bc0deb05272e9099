/**
 * ConvTranspose2d, as torch.nn.ConvTranspose2d (zero padding; padding_mode 'zeros' only):
 * ops/conv_transpose.ts with weight [inChannels, outChannels / groups, kH, kW] and bias
 * [outChannels], initialized as PyTorch: kaimingUniform(a = sqrt(5)) over the weight's own
 * fans, i.e. U(-1/sqrt(fanIn), 1/sqrt(fanIn)) with fanIn = outChannels / groups * kH * kW, and
 * the same bound for the bias.
 */
import { convTranspose2d, type ConvTranspose2dOptions } from '../ops/conv_transpose.js';
import { pair, type Pair } from '../ops/window.js';
import type { Generator } from '../random.js';
import { formatShape, type Tensor } from '../tensor.js';
import { checkInt32, checkTensor, option, optionKeys, readOptions } from '../validate/index.js';
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
    for (const k of ['stride', 'padding', 'outputPadding', 'dilation'] as const) if (o[k] !== undefined) pair(op, option(k), o[k], k === 'stride' || k === 'dilation' ? 1 : 0);
    this.opOptions = { groups, ...(o.stride !== undefined && { stride: o.stride }), ...(o.padding !== undefined && { padding: o.padding }),
      ...(o.outputPadding !== undefined && { outputPadding: o.outputPadding }), ...(o.dilation !== undefined && { dilation: o.dilation }) };
    // PyTorch's fans of [in, out / groups, kH, kW]: fanIn = out / groups * kH * kW, as conv2d's rule reads them.
    [this.weight, this.bias] = convParameters(op, [inChannels, outChannels / groups, ...this.kernelSize], outChannels, o);
    this.registerParameter('weight', this.weight);
    this.registerParameter('bias', this.bias);
  }

  forward(x: Tensor): Tensor {
    checkTensor('ConvTranspose2d.forward', 'x', x, 'float32');
    if (x.ndim !== 4 || x.shape[1] !== this.inChannels) {
      throw new RangeError(`ConvTranspose2d: expected input [N, ${this.inChannels}, H, W], got ${formatShape(x.shape)}`);
    }
    return convTranspose2d(x, this.weight, this.bias, this.opOptions);
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
