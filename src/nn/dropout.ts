/** Dropout layer, as torch.nn.Dropout. */
import { dropout as dropoutOp } from '../ops/dropout.js';
import { checkGenerator, defaultGenerator, type Generator } from '../random.js';
import type { Tensor } from '../tensor.js';
import { checkNumber, option, optionKeys, readOptions } from '../validate/index.js';
import { Module } from './module.js';

const DROPOUT_KEYS = optionKeys<{ generator?: Generator }>({ generator: true });

/**
 * Inverted dropout (PyTorch, Keras): in training each element is zeroed with probability p and
 * the survivors are multiplied by 1 / (1 - p); in eval it is the identity.
 *
 * The handbook's form drops with probability p in training and multiplies the activations by
 * (1 - p) at inference. Both keep the expected activation the same in training and inference;
 * they differ only by the constant factor 1 / (1 - p) on the whole training-time network. With
 * inverted dropout that factor is applied while training, so inference needs no change and
 * eval() is free. A network trained one way equals the other way's network with the next
 * layer's weights scaled by (1 - p).
 *
 * The mask comes from the counter-based generator (src/random.ts): seeded, identical on every
 * thread count, and regenerated in backward instead of stored.
 */
export class Dropout extends Module {
  private readonly generator: Generator;

  constructor(readonly p = 0.5, options: { generator?: Generator } = {}) {
    super();
    checkNumber('Dropout', 'p', p, { min: 0, max: 1 });
    const { generator } = readOptions<{ generator?: Generator }>('Dropout', options, DROPOUT_KEYS);
    this.generator = generator === undefined ? defaultGenerator : checkGenerator('Dropout', option('generator'), generator);
  }

  forward(x: Tensor): Tensor {
    return dropoutOp(x, this.p, this.training, this.generator);
  }

  protected override describe(): string {
    return `p=${this.p}`;
  }
}

/** Factory for Dropout. */
export const dropout = (p?: number, options?: { generator?: Generator }) => new Dropout(p, options);
