/**
 * TransformerEncoderLayer, as torch.nn.TransformerEncoderLayer (PyTorch 1.13; Vaswani et al.
 * 2017): self-attention and a feed-forward block, each with a residual connection and a
 * LayerNorm, after the block (post-norm, PyTorch's default) or before it (normFirst):
 *   post-norm:  x = norm1(x + sa(x));        x = norm2(x + ff(x))
 *   pre-norm:   x = x + sa(norm1(x));        x = x + ff(norm2(x))
 *   sa(x) = dropout1(self_attn(x, x, x)),    ff(x) = dropout2(linear2(dropout(act(linear1(x)))))
 * PyTorch's defaults (dimFeedforward 2048, dropout 0.1, ReLU, layerNormEps 1e-5, sequence
 * first) and state-dict names (self_attn.*, linear1, linear2, norm1, norm2). With ReLU, linear1
 * and the activation run as one GEMM with the ReLU in its epilogue.
 */
import { add, gelu, relu } from '../ops/elementwise.js';
import { checkGenerator, defaultGenerator, type Generator } from '../random.js';
import type { Tensor } from '../tensor.js';
import {
  checkBoolean, checkChoice, checkInt32, checkNumber, checkOptionalTensor, checkTensor, option, optionKeys, readOptions,
} from '../validate/index.js';
import { Dropout } from './dropout.js';
import { LayerNorm } from './layer_norm.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { MultiheadAttention } from './multihead_attention.js';

/** Options of nn.TransformerEncoderLayer, with PyTorch's defaults: dimFeedforward 2048, dropout 0.1, activation relu, layerNormEps 1e-5, batchFirst false, normFirst false. */
export interface TransformerEncoderLayerOptions {
  /** Width of the feed-forward block (default 2048). */
  dimFeedforward?: number;
  /** Dropout after attention, inside and after the feed-forward block, and on the attention weights (default 0.1). */
  dropout?: number;
  /** The feed-forward activation: 'relu' (default) or 'gelu'. */
  activation?: 'relu' | 'gelu';
  layerNormEps?: number;
  /** Inputs [N, L, E] instead of [L, N, E] (default false, as PyTorch). */
  batchFirst?: boolean;
  /** LayerNorm before each block instead of after its residual sum (default false). */
  normFirst?: boolean;
  generator?: Generator;
}

/** Masks of TransformerEncoderLayer.forward: srcMask (attention mask) and srcKeyPaddingMask. */
export interface TransformerEncoderLayerForwardOptions {
  /** The self-attention's attnMask ([L, S] or [N * nhead, L, S]). */
  srcMask?: Tensor | null;
  /** The self-attention's keyPaddingMask ([N, S]). */
  srcKeyPaddingMask?: Tensor | null;
}

const KEYS = optionKeys<TransformerEncoderLayerOptions>({
  dimFeedforward: true, dropout: true, activation: true, layerNormEps: true, batchFirst: true, normFirst: true, generator: true,
});
const FORWARD_KEYS = optionKeys<TransformerEncoderLayerForwardOptions>({ srcMask: true, srcKeyPaddingMask: true });

export class TransformerEncoderLayer extends Module {
  readonly selfAttn: MultiheadAttention;
  readonly linear1: Linear;
  readonly linear2: Linear;
  readonly norm1: LayerNorm;
  readonly norm2: LayerNorm;
  readonly activation: 'relu' | 'gelu';
  readonly normFirst: boolean;
  private readonly drop: Dropout;
  private readonly drop1: Dropout;
  private readonly drop2: Dropout;

  constructor(readonly dModel: number, readonly nhead: number, options: TransformerEncoderLayerOptions = {}) {
    super();
    checkInt32('TransformerEncoderLayer', 'dModel', dModel, 1);
    checkInt32('TransformerEncoderLayer', 'nhead', nhead, 1);
    const o = readOptions<TransformerEncoderLayerOptions>('TransformerEncoderLayer', options, KEYS);
    const ff = o.dimFeedforward === undefined ? 2048 : checkInt32('TransformerEncoderLayer', option('dimFeedforward'), o.dimFeedforward, 1);
    const p = o.dropout === undefined ? 0.1 : checkNumber('TransformerEncoderLayer', option('dropout'), o.dropout, { min: 0, max: 1 });
    this.activation = o.activation === undefined ? 'relu' : checkChoice('TransformerEncoderLayer', option('activation'), o.activation, ['relu', 'gelu'] as const);
    const eps = o.layerNormEps === undefined ? 1e-5 : checkNumber('TransformerEncoderLayer', option('layerNormEps'), o.layerNormEps, { minOpen: 0 });
    const batchFirst = o.batchFirst === undefined ? false : checkBoolean('TransformerEncoderLayer', option('batchFirst'), o.batchFirst);
    this.normFirst = o.normFirst === undefined ? false : checkBoolean('TransformerEncoderLayer', option('normFirst'), o.normFirst);
    const generator = o.generator === undefined ? defaultGenerator : checkGenerator('TransformerEncoderLayer', option('generator'), o.generator);
    if (dModel % nhead !== 0) throw new RangeError(`TransformerEncoderLayer: dModel (${dModel}) must be divisible by nhead (${nhead})`);
    // Registration order is PyTorch's, so stateDict() lists the keys in its order.
    this.selfAttn = this.registerModule('self_attn', new MultiheadAttention(dModel, nhead, { dropout: p, batchFirst, generator }));
    this.linear1 = this.registerModule('linear1', new Linear(dModel, ff, { generator }));
    this.drop = this.registerModule('dropout', new Dropout(p, { generator }));
    this.linear2 = this.registerModule('linear2', new Linear(ff, dModel, { generator }));
    this.norm1 = this.registerModule('norm1', new LayerNorm(dModel, { eps }));
    this.norm2 = this.registerModule('norm2', new LayerNorm(dModel, { eps }));
    this.drop1 = this.registerModule('dropout1', new Dropout(p, { generator }));
    this.drop2 = this.registerModule('dropout2', new Dropout(p, { generator }));
  }

  /** src [L, N, E] ([N, L, E] with batchFirst) to the same shape. */
  forward(src: Tensor, options: TransformerEncoderLayerForwardOptions = {}): Tensor {
    checkTensor('TransformerEncoderLayer.forward', 'src', src, 'float32');
    const o = readOptions<TransformerEncoderLayerForwardOptions>('TransformerEncoderLayer.forward', options, FORWARD_KEYS);
    const attnMask = checkOptionalTensor('TransformerEncoderLayer.forward', option('srcMask'), o.srcMask);
    const keyPaddingMask = checkOptionalTensor('TransformerEncoderLayer.forward', option('srcKeyPaddingMask'), o.srcKeyPaddingMask);
    // Every temporary (projections, residual sums, the norms' outputs) is freed or handed to the
    // autograd when forward returns (the forward scope, forward_scope.ts).
    const sa = (x: Tensor) => this.drop1.forward(this.selfAttn.forward(x, x, x, { attnMask, keyPaddingMask }));
    const ffBlock = (x: Tensor) => {
      // relu reading the Linear's fresh output runs in its GEMM epilogue (ops/deferred.ts).
      const h = this.activation === 'relu' ? relu(this.linear1.forward(x)) : gelu(this.linear1.forward(x));
      return this.drop2.forward(this.linear2.forward(this.drop.forward(h)));
    };
    if (this.normFirst) {
      const a = add(src, sa(this.norm1.forward(src)));
      return add(a, ffBlock(this.norm2.forward(a)));
    }
    const a = this.norm1.forward(add(src, sa(src)));
    return this.norm2.forward(add(a, ffBlock(a)));
  }

  protected override describe(): string {
    return `dModel=${this.dModel}, nhead=${this.nhead}, activation=${this.activation}, normFirst=${this.normFirst}`;
  }
}

/** Factory for TransformerEncoderLayer. */
export const transformerEncoderLayer = (dModel: number, nhead: number, options?: TransformerEncoderLayerOptions) =>
  new TransformerEncoderLayer(dModel, nhead, options);
