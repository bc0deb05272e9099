/**
 * Embedding, as torch.nn.Embedding: a [numEmbeddings, embeddingDim] table looked up by int32
 * indices, initialized N(0, 1) (PyTorch's default) with the paddingIdx row zero; that row's
 * gradient stays zero. The state-dict name is PyTorch's: weight.
 */
import { embedding, type EmbeddingOptions } from '../ops/embedding.js';
import { checkGenerator, type Generator } from '../random.js';
import { formatShape, Tensor } from '../tensor.js';
import { checkInt32, checkTensor, MAX_ELEMENTS, option, optionKeys, readOptions } from '../validate/index.js';
import { normal } from './init.js';
import { Module } from './module.js';
import { defaultBackend } from '../backend/registry.js';
import { fillKernel } from '../ops/kernels.js';

/** Options of nn.Embedding: paddingIdx (as the op's) and the initialization generator. */
export interface EmbeddingLayerOptions extends EmbeddingOptions {
  /** Generator for the initial table (default: the global one). */
  generator?: Generator;
}

const KEYS = optionKeys<EmbeddingLayerOptions>({ paddingIdx: true, generator: true });

/** A [numEmbeddings, embeddingDim] table looked up by int32 indices, as torch.nn.Embedding: initialized N(0, 1), the paddingIdx row zero and without gradient. */
export class Embedding extends Module {
  readonly weight: Tensor;
  readonly paddingIdx: number | null;

  constructor(readonly numEmbeddings: number, readonly embeddingDim: number, options: EmbeddingLayerOptions = {}) {
    super();
    checkInt32('Embedding', 'numEmbeddings', numEmbeddings, 1);
    checkInt32('Embedding', 'embeddingDim', embeddingDim, 1);
    if (numEmbeddings * embeddingDim > MAX_ELEMENTS) throw new RangeError(`Embedding: a table of ${formatShape([numEmbeddings, embeddingDim])} has more than 2^32 elements`);
    const o = readOptions<EmbeddingLayerOptions>('Embedding', options, KEYS);
    let paddingIdx: number | null = null;
    if (o.paddingIdx !== undefined) {
      const p = checkInt32('Embedding', option('paddingIdx'), o.paddingIdx, -numEmbeddings);
      if (p >= numEmbeddings) throw new RangeError(`Embedding: option 'paddingIdx' must be in [-${numEmbeddings}, ${numEmbeddings}), got ${p}`);
      paddingIdx = p < 0 ? p + numEmbeddings : p;
    }
    const generator = o.generator === undefined ? undefined : checkGenerator('Embedding', option('generator'), o.generator);
    this.paddingIdx = paddingIdx;
    this.weight = Tensor.empty([numEmbeddings, embeddingDim], 'float32', false, defaultBackend());
    normal(this.weight, 0, 1, { generator });
    if (paddingIdx !== null) {
      const row = this.weight.rows(paddingIdx, paddingIdx + 1);
      fillKernel(row, 0);
      row.dispose();
    }
    this.registerParameter('weight', this.weight);
  }

  forward(indices: Tensor): Tensor {
    checkTensor('Embedding.forward', 'indices', indices, 'int32');
    return embedding(this.weight, indices, this.paddingIdx === null ? {} : { paddingIdx: this.paddingIdx });
  }

  protected override describe(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx === null ? '' : `, paddingIdx=${this.paddingIdx}`}`;
  }
}

/** `new nn.Embedding(numEmbeddings, embeddingDim)` as a function. */
export const embeddingLayer = (numEmbeddings: number, embeddingDim: number, options?: EmbeddingLayerOptions) => new Embedding(numEmbeddings, embeddingDim, options);
