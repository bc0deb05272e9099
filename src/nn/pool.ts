/** Pooling layers, as torch.nn.MaxPool2d, AvgPool2d and AdaptiveAvgPool2d (ceil_mode false). */
import { adaptiveAvgPool2d, avgPool2d, maxPool2d, type AvgPool2dOptions, type MaxPool2dOptions } from '../ops/pool.js';
import { pair, type Pair } from '../ops/window.js';
import type { Tensor } from '../tensor.js';
import { checkTensor, optionKeys, readOptions } from '../validate/index.js';
import { Module } from './module.js';

const MAX_KEYS = optionKeys<MaxPool2dOptions>({ stride: true, padding: true, dilation: true });
const AVG_KEYS = optionKeys<AvgPool2dOptions>({ stride: true, padding: true, countIncludePad: true });

/** Max over kernelSize windows (stride defaults to the kernel size). */
export class MaxPool2d extends Module {
  readonly options: MaxPool2dOptions;
  constructor(readonly kernelSize: Pair, options: MaxPool2dOptions = {}) {
    super();
    pair('MaxPool2d', 'kernelSize', kernelSize, 1);
    this.options = { ...readOptions<MaxPool2dOptions>('MaxPool2d', options, MAX_KEYS) };
  }
  forward(x: Tensor): Tensor {
    checkTensor('MaxPool2d.forward', 'x', x, 'float32');
    return maxPool2d(x, this.kernelSize, this.options);
  }
  protected override describe(): string {
    return `kernelSize=${JSON.stringify(this.kernelSize)}${Object.entries(this.options).map(([k, v]) => `, ${k}=${JSON.stringify(v)}`).join('')}`;
  }
}

/** Mean over kernelSize windows (stride defaults to the kernel size). */
export class AvgPool2d extends Module {
  readonly options: AvgPool2dOptions;
  constructor(readonly kernelSize: Pair, options: AvgPool2dOptions = {}) {
    super();
    pair('AvgPool2d', 'kernelSize', kernelSize, 1);
    this.options = { ...readOptions<AvgPool2dOptions>('AvgPool2d', options, AVG_KEYS) };
  }
  forward(x: Tensor): Tensor {
    checkTensor('AvgPool2d.forward', 'x', x, 'float32');
    return avgPool2d(x, this.kernelSize, this.options);
  }
  protected override describe(): string {
    return `kernelSize=${JSON.stringify(this.kernelSize)}${Object.entries(this.options).map(([k, v]) => `, ${k}=${JSON.stringify(v)}`).join('')}`;
  }
}

/** Averages any [N, C, H, W] input down to [N, C, outputSize]. */
export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: Pair) {
    super();
    pair('AdaptiveAvgPool2d', 'outputSize', outputSize, 1);
  }
  forward(x: Tensor): Tensor {
    checkTensor('AdaptiveAvgPool2d.forward', 'x', x, 'float32');
    return adaptiveAvgPool2d(x, this.outputSize);
  }
  protected override describe(): string {
    return `outputSize=${JSON.stringify(this.outputSize)}`;
  }
}

/** `new nn.MaxPool2d(kernelSize)` as a function: `nn.maxPool2d(2)`. */
export const maxPool2dLayer = (kernelSize: Pair, options?: MaxPool2dOptions) => new MaxPool2d(kernelSize, options);
/** `new nn.AvgPool2d(kernelSize)` as a function. */
export const avgPool2dLayer = (kernelSize: Pair, options?: AvgPool2dOptions) => new AvgPool2d(kernelSize, options);
/** `new nn.AdaptiveAvgPool2d(outputSize)` as a function. */
export const adaptiveAvgPool2dLayer = (outputSize: Pair) => new AdaptiveAvgPool2d(outputSize);
