/**
 * LayerNorm, as torch.nn.LayerNorm: each sample normalized over its last dimensions
 * (normalizedShape), y = (x - mean) / sqrt(var + eps) * weight + bias with the biased variance,
 * weight and bias of normalizedShape (ones and zeros). Built on the batch-norm kernel: x viewed
 * as [1, rows, D] has one "channel" per row, so its training-mode statistics are exactly each
 * row's, and its backward is LayerNorm's; the elementwise affine is a row-broadcast mul and add.
 */
import { add, mul } from '../ops/elementwise.js';
import { batchNorm } from '../ops/batchnorm.js';
import { full } from '../ops/creation.js';
import { formatShape, type Tensor } from '../tensor.js';
import { checkBoolean, checkNumber, checkTensor, describeValue, option, optionKeys, readOptions, readSafely } from '../validate/index.js';
import { Module } from './module.js';

/** Options of nn.LayerNorm: eps (1e-5) and elementwiseAffine (true), as torch.nn.LayerNorm's. */
export interface LayerNormOptions {
  eps?: number;
  /** Learn weight and bias (default true). */
  elementwiseAffine?: boolean;
}

const KEYS = optionKeys<LayerNormOptions>({ eps: true, elementwiseAffine: true });

/** Layer normalization over the last dimensions, as torch.nn.LayerNorm: y = (x - mean) / sqrt(var + eps) * weight + bias, with the biased variance of each sample. */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;
  private readonly features: number;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    const shape = typeof normalizedShape === 'number' ? [normalizedShape]
      : Array.isArray(normalizedShape) ? readSafely('LayerNorm', 'normalizedShape', () => [...normalizedShape] as unknown[]) : null;
    if (!shape || shape.length === 0 || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 1 && (d as number) <= 2 ** 31 - 1)) {
      throw new RangeError(`LayerNorm: normalizedShape must be a positive integer or a non-empty array of them, got ${describeValue(normalizedShape)}`);
    }
    const o = readOptions<LayerNormOptions>('LayerNorm', options, KEYS);
    this.eps = o.eps === undefined ? 1e-5 : checkNumber('LayerNorm', option('eps'), o.eps, { minOpen: 0 });
    const affine = o.elementwiseAffine === undefined ? true : checkBoolean('LayerNorm', option('elementwiseAffine'), o.elementwiseAffine);
    this.normalizedShape = shape as number[];
    this.features = (shape as number[]).reduce((a, b) => a * b, 1);
    this.weight = affine ? full(this.normalizedShape, 1) : null;
    this.bias = affine ? full(this.normalizedShape, 0) : null;
    this.registerParameter('weight', this.weight);
    this.registerParameter('bias', this.bias);
  }

  forward(x: Tensor): Tensor {
    checkTensor('LayerNorm.forward', 'x', x, 'float32');
    const k = this.normalizedShape.length;
    if (x.ndim < k || !this.normalizedShape.every((d, i) => x.shape[x.ndim - k + i] === d)) {
      throw new RangeError(`LayerNorm: input ${formatShape(x.shape)} must end in ${formatShape(this.normalizedShape)}`);
    }
    const D = this.features;
    const rows = x.size / D;
    // The steps' tensors are freed or handed to the autograd on return (the forward scope).
    const normalized = batchNorm(x.reshape(1, rows, D), { training: true, eps: this.eps }).reshape(rows, D);
    const y = this.weight && this.bias ? add(mul(normalized, this.weight.reshape(D)), this.bias.reshape(D)) : normalized;
    return y.reshape(x.shape);
  }

  protected override describe(): string {
    return `${formatShape(this.normalizedShape)}, eps=${this.eps}, elementwiseAffine=${this.weight !== null}`;
  }
}

/** `new nn.LayerNorm(normalizedShape)` as a function: `nn.layerNorm(128)`. */
export const layerNorm = (normalizedShape: number | readonly number[], options?: LayerNormOptions) => new LayerNorm(normalizedShape, options);
