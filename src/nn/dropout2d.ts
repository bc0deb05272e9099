/**
 * Dropout2d, as torch.nn.Dropout2d: in training, each channel of x [N, C, H, W] (or [N, C, L])
 * is zeroed whole with probability p and the kept ones scaled by 1 / (1 - p); identity in eval.
 * The channel mask is steepest's dropout of a [N, C, 1] tensor of ones (the same counter-based
 * random stream as Dropout), broadcast over each channel's values.
 */
import { dropout } from '../ops/dropout.js';
import { mul } from '../ops/elementwise.js';
import { full } from '../ops/creation.js';
import { checkGenerator, defaultGenerator, type Generator } from '../random.js';
import { formatShape, type Tensor } from '../tensor.js';
import { checkNumber, checkTensor, option, optionKeys, readOptions } from '../validate/index.js';
import { Module } from './module.js';

/** Options of nn.Dropout2d: the generator of the channel masks. */
export interface Dropout2dOptions {
  generator?: Generator;
}

const KEYS = optionKeys<Dropout2dOptions>({ generator: true });

/** Zeroes whole channels of x [N, C, H, W] (or [N, C, L]) with probability p in training and scales the rest by 1 / (1 - p), as torch.nn.Dropout2d; the identity in eval. */
export class Dropout2d extends Module {
  private readonly generator: Generator;

  constructor(readonly p = 0.5, options: Dropout2dOptions = {}) {
    super();
    checkNumber('Dropout2d', 'p', p, { min: 0, max: 1 });
    const o = readOptions<Dropout2dOptions>('Dropout2d', options, KEYS);
    this.generator = o.generator === undefined ? defaultGenerator : checkGenerator('Dropout2d', option('generator'), o.generator);
  }

  forward(x: Tensor): Tensor {
    checkTensor('Dropout2d.forward', 'x', x, 'float32');
    if (x.ndim !== 3 && x.ndim !== 4) throw new RangeError(`Dropout2d: input must be [N, C, H, W] or [N, C, L], got ${formatShape(x.shape)}`);
    if (!this.training || this.p === 0) return x;
    const [N, C] = x.shape;
    const mask = dropout(full([N, C, 1], 1), this.p, true, this.generator);
    const y = mul(x.reshape(N, C, x.size / (N * C || 1)), mask);
    return y.reshape(x.shape);
  }

  protected override describe(): string {
    return `p=${this.p}`;
  }
}

/** `new nn.Dropout2d(p)` as a function. */
export const dropout2dLayer = (p?: number, options?: Dropout2dOptions) => new Dropout2d(p, options);
