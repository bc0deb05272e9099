/**
 * MultiheadAttention, as torch.nn.MultiheadAttention (PyTorch 1.13; Vaswani et al. 2017):
 *   head_i = softmax(q_i k_i^T / sqrt(d) + mask) v_i,  q_i = x W_q,i + b_q,i (likewise k, v)
 *   out = concat(head_1..head_h) W_o^T + b_o,  d = embedDim / numHeads
 * with PyTorch's parameters and state-dict names: in_proj_weight [3E, E] (W_q; W_k; W_v) and
 * in_proj_bias [3E], out_proj.weight [E, E] and out_proj.bias [E]; PyTorch's init: xavier
 * uniform in_proj_weight, zero biases, out_proj.weight as a Linear's. Inputs are [L, N, E]
 * (sequence first, PyTorch's default) or [N, L, E] with batchFirst, or unbatched [L, E].
 *
 * Self-attention (query, key and value one tensor) projects all three with one GEMM and
 * reorders [L, N, 3, H, d] to [3, N, H, L, d] with one strided copy; scores are one batched GEMM
 * (q k^T without a transpose copy), the masked, scaled softmax one fused kernel
 * (ops/masked_softmax.ts), the weighted sum one more batched GEMM.
 *
 * Masks: keyPaddingMask [N, S] and attnMask [L, S] or [N * H, L, S], each int32 (nonzero = may
 * not attend, PyTorch's bool True) or float32 (added to the scores, -Infinity to drop).
 * forward returns the attention output; forwardWithWeights also returns the weights (after
 * dropout, as PyTorch), averaged over the heads unless averageAttnWeights is false.
 */
import { defaultBackend } from '../backend/registry.js';
import { dropout as dropoutOp } from '../ops/dropout.js';
import { add, mul } from '../ops/elementwise.js';
import { linear as linearOp } from '../ops/matmul.js';
import { bmm } from '../ops/batched_matmul.js';
import { maskedSoftmax } from '../ops/masked_softmax.js';
import { mean } from '../ops/reduce.js';
import { where } from '../ops/select.js';
import { permute } from '../ops/shape.js';
import { checkGenerator, defaultGenerator, type Generator } from '../random.js';
import { formatShape, Tensor } from '../tensor.js';
import {
  checkBoolean, checkInt32, checkNumber, checkOptionalTensor, checkTensor, option, optionKeys, readOptions,
} from '../validate/index.js';
import { constant, xavierUniform } from './init.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { Scratch } from './scratch.js';

/** Options of nn.MultiheadAttention, with PyTorch's defaults: dropout 0, bias true, batchFirst false. */
export interface MultiheadAttentionOptions {
  /** Dropout on the attention weights (default 0). */
  dropout?: number;
  /** Biases on the input and output projections (default true). */
  bias?: boolean;
  /** Inputs and output [N, L, E] instead of [L, N, E] (default false, as PyTorch). */
  batchFirst?: boolean;
  /** Generator for the initial weights and the dropout (default: the global one). */
  generator?: Generator;
}

/** Masks and outputs of MultiheadAttention.forward: keyPaddingMask, attnMask (incl. a causal mask), needWeights, averageAttnWeights. */
export interface MultiheadAttentionForwardOptions {
  /** Shape `[N, S]`: keys to ignore, int32 (nonzero) or float32 (added). */
  keyPaddingMask?: Tensor | null;
  /** [L, S] or [N * numHeads, L, S], int32 (nonzero = masked) or float32 (added); see generateSquareSubsequentMask. */
  attnMask?: Tensor | null;
  /** forwardWithWeights: weights averaged over the heads [N, L, S] (default true) or per head [N, H, L, S]. */
  averageAttnWeights?: boolean;
}

const KEYS = optionKeys<MultiheadAttentionOptions>({ dropout: true, bias: true, batchFirst: true, generator: true });
const FORWARD_KEYS = optionKeys<MultiheadAttentionForwardOptions>({ keyPaddingMask: true, attnMask: true, averageAttnWeights: true });

export class MultiheadAttention extends Module {
  readonly dropout: number;
  readonly batchFirst: boolean;
  readonly headDim: number;
  readonly inProjWeight: Tensor;
  readonly inProjBias: Tensor | null;
  readonly outProj: Linear;
  private readonly generator: Generator;

  constructor(readonly embedDim: number, readonly numHeads: number, options: MultiheadAttentionOptions = {}) {
    super();
    checkInt32('MultiheadAttention', 'embedDim', embedDim, 1);
    checkInt32('MultiheadAttention', 'numHeads', numHeads, 1);
    if (embedDim % numHeads !== 0) {
      throw new RangeError(`MultiheadAttention: embedDim (${embedDim}) must be divisible by numHeads (${numHeads})`);
    }
    const o = readOptions<MultiheadAttentionOptions>('MultiheadAttention', options, KEYS);
    this.dropout = o.dropout === undefined ? 0 : checkNumber('MultiheadAttention', option('dropout'), o.dropout, { min: 0, max: 1 });
    const bias = o.bias === undefined ? true : checkBoolean('MultiheadAttention', option('bias'), o.bias);
    this.batchFirst = o.batchFirst === undefined ? false : checkBoolean('MultiheadAttention', option('batchFirst'), o.batchFirst);
    this.generator = o.generator === undefined ? defaultGenerator : checkGenerator('MultiheadAttention', option('generator'), o.generator);
    this.headDim = embedDim / numHeads;
    const E = embedDim;
    this.inProjWeight = xavierUniform(Tensor.empty([3 * E, E], 'float32', false, defaultBackend()), 1, { generator: this.generator });
    this.inProjBias = bias ? constant(Tensor.empty([3 * E], 'float32', false, defaultBackend()), 0) : null;
    this.registerParameter('in_proj_weight', this.inProjWeight);
    this.registerParameter('in_proj_bias', this.inProjBias);
    this.outProj = this.registerModule('out_proj', new Linear(E, E, { bias, generator: this.generator }));
    if (this.outProj.bias) constant(this.outProj.bias, 0);
  }

  /** The attention output, [L, N, E] ([N, L, E] with batchFirst). key and value default to query. */
  forward(query: Tensor, key?: Tensor, value?: Tensor, options: MultiheadAttentionForwardOptions = {}): Tensor {
    return this.attend('MultiheadAttention.forward', query, key, value, options, false)[0];
  }

  /** `[output, weights]`: the weights `[N, L, S]` (per head [N, H, L, S] without averaging). */
  forwardWithWeights(query: Tensor, key?: Tensor, value?: Tensor, options: MultiheadAttentionForwardOptions = {}): [Tensor, Tensor] {
    return this.attend('MultiheadAttention.forwardWithWeights', query, key, value, options, true) as [Tensor, Tensor];
  }

  private attend(op: string, query: Tensor, key: Tensor | undefined, value: Tensor | undefined,
    options: MultiheadAttentionForwardOptions, needWeights: boolean): [Tensor, Tensor | null] {
    checkTensor(op, 'query', query, 'float32');
    const k0 = key === undefined ? query : checkTensor(op, 'key', key, 'float32');
    const v0 = value === undefined ? k0 : checkTensor(op, 'value', value, 'float32');
    const o = readOptions<MultiheadAttentionForwardOptions>(op, options, FORWARD_KEYS);
    const keyPaddingMask = checkOptionalTensor(op, option('keyPaddingMask'), o.keyPaddingMask);
    const attnMask = checkOptionalTensor(op, option('attnMask'), o.attnMask);
    const average = o.averageAttnWeights === undefined ? true : checkBoolean(op, option('averageAttnWeights'), o.averageAttnWeights);
    const E = this.embedDim, H = this.numHeads, d = this.headDim;
    const unbatched = query.ndim === 2;
    const batched = (t: Tensor, name: string) => {
      if (t.ndim !== query.ndim || (t.ndim !== 2 && t.ndim !== 3) || t.shape[t.ndim - 1] !== E) {
        throw new RangeError(`${op}: ${name} must be ${this.batchFirst ? '[N, L, E]' : '[L, N, E]'} or [L, E] with E = ${E} like query, got ${formatShape(t.shape)}`);
      }
      return unbatched ? t.reshape(this.batchFirst ? [1, ...t.shape] : [t.shape[0], 1, t.shape[1]]) : t;
    };
    const [q3, k3, v3] = [batched(query, 'query'), batched(k0, 'key'), batched(v0, 'value')];
    const [N, L] = this.batchFirst ? [q3.shape[0], q3.shape[1]] : [q3.shape[1], q3.shape[0]];
    const S = this.batchFirst ? k3.shape[1] : k3.shape[0];
    if ((this.batchFirst ? k3.shape[0] : k3.shape[1]) !== N || k3.shape.some((s, i) => s !== v3.shape[i])) {
      throw new RangeError(`${op}: key ${formatShape(k0.shape)} and value ${formatShape(v0.shape)} must match each other and query's batch ${N}`);
    }
    const scratch = new Scratch([query, k0, v0, keyPaddingMask, attnMask]);
    const s = (t: Tensor) => scratch.own(t);
    if (unbatched) [q3, k3, v3].forEach(s); // the batch-of-one views are ours
    const mask = this.combinedMask(op, keyPaddingMask, attnMask, N, L, S);
    // [rows, E] -> [N, H, rows', d] per the layout: (L, N, ...) or (N, L, ...).
    const heads = (t: Tensor, len: number) => s(permute(s(t.reshape(this.batchFirst ? [N, len, H, d] : [len, N, H, d])),
      this.batchFirst ? [0, 2, 1, 3] : [1, 2, 0, 3]));
    let q: Tensor, k: Tensor, v: Tensor;
    const W = this.inProjWeight, b = this.inProjBias;
    if (query === k0 && k0 === v0) {
      const qkv = s(linearOp(s(q3.reshape(-1, E)), W, b));
      const split = s(permute(s(qkv.reshape(this.batchFirst ? [N, L, 3, H, d] : [L, N, 3, H, d])),
        this.batchFirst ? [2, 0, 3, 1, 4] : [2, 1, 3, 0, 4]));
      [q, k, v] = [0, 1, 2].map((i) => s(s(split.rows(i, i + 1)).reshape(N, H, L, d)));
    } else {
      const proj = (x: Tensor, i: number, len: number) => heads(s(linearOp(s(x.reshape(-1, E)), s(W.rows(i * E, (i + 1) * E)),
        b ? s(b.rows(i * E, (i + 1) * E)) : null)), len);
      [q, k, v] = [proj(q3, 0, L), proj(k3, 1, S), proj(v3, 2, S)];
    }
    const scores = s(bmm(q, k, false, true));
    const soft = s(maskedSoftmax(scores, { scale: 1 / Math.sqrt(d), mask }));
    mask?.dispose();
    const attn = s(dropoutOp(soft, this.dropout, this.training, this.generator));
    const ctx = s(bmm(attn, v));
    const merged = s(permute(ctx, this.batchFirst ? [0, 2, 1, 3] : [2, 0, 1, 3]));
    const out2 = s(this.outProj.forward(s(merged.reshape(-1, E))));
    const out = out2.reshape(unbatched ? query.shape : this.batchFirst ? [N, L, E] : [L, N, E]);
    let weights: Tensor | null = null;
    if (needWeights) {
      weights = average ? mean(attn, 1) : attn.reshape(attn.shape);
      if (unbatched) weights = s(weights).reshape(weights.shape.slice(1));
    }
    scratch.release(out);
    return [out, weights];
  }

  /** One additive float32 mask broadcasting to the scores [N, H, L, S], or null. */
  private combinedMask(op: string, keyPadding: Tensor | null, attn: Tensor | null, N: number, L: number, S: number): Tensor | null {
    const additive = (m: Tensor) => (m.dtype === 'int32' ? where(m, -Infinity, 0) : mul(m, 1));
    let a: Tensor | null = null;
    if (attn) {
      const ok = (attn.ndim === 2 && attn.shape[0] === L && attn.shape[1] === S) ||
        (attn.ndim === 3 && attn.shape[0] === N * this.numHeads && attn.shape[1] === L && attn.shape[2] === S);
      if (!ok) throw new RangeError(`${op}: attnMask must be [${L}, ${S}] or [${N * this.numHeads}, ${L}, ${S}], got ${formatShape(attn.shape)}`);
      const f = additive(attn);
      a = attn.ndim === 3 ? f.reshape(N, this.numHeads, L, S) : f;
      if (a !== f) f.dispose();
    }
    if (!keyPadding) return a;
    if (keyPadding.ndim !== 2 || keyPadding.shape[0] !== N || keyPadding.shape[1] !== S) {
      a?.dispose();
      throw new RangeError(`${op}: keyPaddingMask must be [${N}, ${S}], got ${formatShape(keyPadding.shape)}`);
    }
    const f = additive(keyPadding);
    const kp = f.reshape(N, 1, 1, S);
    f.dispose();
    if (!a) return kp;
    const both = add(kp, a);
    kp.dispose();
    a.dispose();
    return both;
  }

  protected override describe(): string {
    return `embedDim=${this.embedDim}, numHeads=${this.numHeads}, dropout=${this.dropout}, batchFirst=${this.batchFirst}`;
  }
}

/** Factory for MultiheadAttention. */
export const multiheadAttention = (embedDim: number, numHeads: number, options?: MultiheadAttentionOptions) =>
  new MultiheadAttention(embedDim, numHeads, options);
