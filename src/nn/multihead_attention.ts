/**
 * MultiheadAttention, as torch.nn.MultiheadAttention (PyTorch 1.13; Vaswani et al. 2017):
 *   head_i = softmax(q_i k_i^T / sqrt(d) + mask) v_i,  q_i = x W_q,i + b_q,i (likewise k, v)
 *   out = concat(head_1..head_h) W_o^T + b_o,  d = embedDim / numHeads
 * with PyTorch's parameters and state-dict names: in_proj_weight [3E, E] (W_q; W_k; W_v), or,
 * where key or value have other widths (kdim, vdim), q_proj_weight [E, E], k_proj_weight
 * [E, kdim] and v_proj_weight [E, vdim]; in_proj_bias [3E]; bias_k and bias_v [1, 1, E] with
 * addBiasKv; out_proj.weight [E, E] and out_proj.bias [E]. PyTorch's init: xavier uniform
 * projection weights, zero biases, xavier normal bias_k and bias_v, out_proj.weight as a
 * Linear's. Inputs are [L, N, E] (sequence first, PyTorch's default) or [N, L, E] with
 * batchFirst, or unbatched [L, E]; key and value [S, N, kdim] and [S, N, vdim] likewise.
 *
 * Self-attention (query, key and value one tensor) projects all three with one GEMM and
 * reorders [L, N, 3, H, d] to [3, N, H, L, d] with one strided copy; scores are one batched GEMM
 * (q k^T without a transpose copy), the masked, scaled softmax one fused kernel
 * (ops/masked_softmax.ts), the weighted sum one more batched GEMM.
 *
 * addBiasKv appends the key bias_k and the value bias_v to every sequence, addZeroAttn then a
 * zero key and value, as PyTorch: S grows by one for each, the masks get a column of zeros
 * (attend) for each, and the weights are [N, L, S + 1] or [N, L, S + 2].
 *
 * Masks: keyPaddingMask [N, S] and attnMask [L, S] or [N * H, L, S], each int32 (nonzero = may
 * not attend, PyTorch's bool True) or float32 (added to the scores, -Infinity to drop).
 * forward returns the attention output; forwardWithWeights also returns the weights (after
 * dropout, as PyTorch), averaged over the heads unless averageAttnWeights is false. Both run in
 * a forward scope (forward_scope.ts): their temporaries are freed, or freed by backward after
 * their last reader.
 */
import { defaultBackend } from '../backend/registry.js';
import { dropout as dropoutOp } from '../ops/dropout.js';
import { add, mul } from '../ops/elementwise.js';
import { fillKernel } from '../ops/kernels.js';
import { linear as linearOp } from '../ops/matmul.js';
import { bmm } from '../ops/batched_matmul.js';
import { maskedSoftmax } from '../ops/masked_softmax.js';
import { mean } from '../ops/reduce.js';
import { where } from '../ops/select.js';
import { cat, permute } from '../ops/shape.js';
import { checkGenerator, defaultGenerator, type Generator } from '../random.js';
import { formatShape, Tensor } from '../tensor.js';
import {
  checkBoolean, checkInt32, checkNumber, checkOptionalTensor, checkTensor, option, optionKeys, readOptions,
} from '../validate/index.js';
import { scopeForward } from './forward_scope.js';
import { constant, xavierNormal, xavierUniform } from './init.js';
import { Linear } from './linear.js';
import { Module } from './module.js';

/** Options of nn.MultiheadAttention, with PyTorch's defaults: dropout 0, bias true, addBiasKv false, addZeroAttn false, kdim and vdim embedDim, batchFirst false. */
export interface MultiheadAttentionOptions {
  /** Dropout on the attention weights (default 0). */
  dropout?: number;
  /** Biases on the input and output projections (default true). */
  bias?: boolean;
  /** Learned bias_k and bias_v `[1, 1, E]` appended to the projected key and value sequences (default false). */
  addBiasKv?: boolean;
  /** A zero key and value appended to every head's sequences, after bias_k and bias_v (default false). */
  addZeroAttn?: boolean;
  /** Features of key (default embedDim); other than embedDim, the projections are three weights (q_proj_weight, k_proj_weight, v_proj_weight). */
  kdim?: number;
  /** Features of value (default embedDim), as kdim. */
  vdim?: number;
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

const KEYS = optionKeys<MultiheadAttentionOptions>({
  dropout: true, bias: true, addBiasKv: true, addZeroAttn: true, kdim: true, vdim: true, batchFirst: true, generator: true,
});
const FORWARD_KEYS = optionKeys<MultiheadAttentionForwardOptions>({ keyPaddingMask: true, attnMask: true, averageAttnWeights: true });

/** Multi-head scaled dot-product attention, as torch.nn.MultiheadAttention (see the file comment for shapes, masks and parameters). */
export class MultiheadAttention extends Module {
  readonly dropout: number;
  readonly batchFirst: boolean;
  readonly headDim: number;
  /** Features of key and of value (embedDim unless given). */
  readonly kdim: number;
  readonly vdim: number;
  readonly addZeroAttn: boolean;
  /** in_proj_weight [3E, E] (W_q; W_k; W_v), or null where kdim or vdim is not embedDim. */
  readonly inProjWeight: Tensor | null;
  /** q_proj_weight [E, E], k_proj_weight [E, kdim], v_proj_weight [E, vdim] where kdim or vdim is not embedDim, else null. */
  readonly qProjWeight: Tensor | null;
  readonly kProjWeight: Tensor | null;
  readonly vProjWeight: Tensor | null;
  readonly inProjBias: Tensor | null;
  /** bias_k and bias_v [1, 1, E] with addBiasKv, else null. */
  readonly biasK: Tensor | null;
  readonly biasV: Tensor | null;
  readonly outProj: Linear;
  private readonly generator: Generator;

  constructor(readonly embedDim: number, readonly numHeads: number, options: MultiheadAttentionOptions = {}) {
    super();
    const op = 'MultiheadAttention';
    checkInt32(op, 'embedDim', embedDim, 1);
    checkInt32(op, 'numHeads', numHeads, 1);
    if (embedDim % numHeads !== 0) {
      throw new RangeError(`${op}: embedDim (${embedDim}) must be divisible by numHeads (${numHeads})`);
    }
    const o = readOptions<MultiheadAttentionOptions>(op, options, KEYS);
    this.dropout = o.dropout === undefined ? 0 : checkNumber(op, option('dropout'), o.dropout, { min: 0, max: 1 });
    const bias = o.bias === undefined ? true : checkBoolean(op, option('bias'), o.bias);
    const biasKv = o.addBiasKv === undefined ? false : checkBoolean(op, option('addBiasKv'), o.addBiasKv);
    this.addZeroAttn = o.addZeroAttn === undefined ? false : checkBoolean(op, option('addZeroAttn'), o.addZeroAttn);
    this.kdim = o.kdim === undefined ? embedDim : checkInt32(op, option('kdim'), o.kdim, 1);
    this.vdim = o.vdim === undefined ? embedDim : checkInt32(op, option('vdim'), o.vdim, 1);
    this.batchFirst = o.batchFirst === undefined ? false : checkBoolean(op, option('batchFirst'), o.batchFirst);
    this.generator = o.generator === undefined ? defaultGenerator : checkGenerator(op, option('generator'), o.generator);
    this.headDim = embedDim / numHeads;
    const E = embedDim;
    const init = { generator: this.generator };
    const weight = (rows: number, cols: number) => xavierUniform(Tensor.empty([rows, cols], 'float32', false, defaultBackend()), 1, init);
    // Registration order is PyTorch's, so stateDict() lists the keys in its order.
    const packed = this.kdim === E && this.vdim === E;
    this.inProjWeight = packed ? weight(3 * E, E) : null;
    [this.qProjWeight, this.kProjWeight, this.vProjWeight] = packed ? [null, null, null] : [weight(E, E), weight(E, this.kdim), weight(E, this.vdim)];
    this.registerParameter('in_proj_weight', this.inProjWeight);
    this.registerParameter('q_proj_weight', this.qProjWeight);
    this.registerParameter('k_proj_weight', this.kProjWeight);
    this.registerParameter('v_proj_weight', this.vProjWeight);
    this.inProjBias = bias ? constant(Tensor.empty([3 * E], 'float32', false, defaultBackend()), 0) : null;
    this.registerParameter('in_proj_bias', this.inProjBias);
    const kv = () => xavierNormal(Tensor.empty([1, 1, E], 'float32', false, defaultBackend()), 1, init);
    [this.biasK, this.biasV] = biasKv ? [kv(), kv()] : [null, null];
    this.registerParameter('bias_k', this.biasK);
    this.registerParameter('bias_v', this.biasV);
    this.outProj = this.registerModule('out_proj', new Linear(E, E, { bias, generator: this.generator }));
    if (this.outProj.bias) constant(this.outProj.bias, 0);
    // forwardWithWeights computes as forward does: it frees its temporaries the same way.
    scopeForward(this, 'forwardWithWeights');
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
    const batched = (t: Tensor, name: string, len: string, width: number, wname: string) => {
      if (t.ndim !== query.ndim || (t.ndim !== 2 && t.ndim !== 3) || t.shape[t.ndim - 1] !== width) {
        const like = t === query ? '' : ' (as many dimensions as query)';
        throw new RangeError(`${op}: ${name} must be ${this.batchFirst ? `[N, ${len}, ${wname}]` : `[${len}, N, ${wname}]`} or ` +
          `[${len}, ${wname}] with ${wname} = ${width}${like}, got ${formatShape(t.shape)}`);
      }
      return unbatched ? t.reshape(this.batchFirst ? [1, ...t.shape] : [t.shape[0], 1, t.shape[1]]) : t;
    };
    const [q3, k3, v3] = [batched(query, 'query', 'L', E, 'E'), batched(k0, 'key', 'S', this.kdim, 'kdim'),
      batched(v0, 'value', 'S', this.vdim, 'vdim')];
    const [N, L] = this.batchFirst ? [q3.shape[0], q3.shape[1]] : [q3.shape[1], q3.shape[0]];
    const S = this.batchFirst ? k3.shape[1] : k3.shape[0];
    if ((this.batchFirst ? k3.shape[0] : k3.shape[1]) !== N || k3.shape[0] !== v3.shape[0] || k3.shape[1] !== v3.shape[1]) {
      throw new RangeError(`${op}: key ${formatShape(k0.shape)} and value ${formatShape(v0.shape)} must match each other and query's batch ${N} in their sequence and batch dimensions`);
    }
    // Every tensor made here but the results is freed, or handed to backward, when the scoped
    // forward or forwardWithWeights returns (forward_scope.ts); the mask is freed at once.
    const extra = (this.biasK ? 1 : 0) + (this.addZeroAttn ? 1 : 0);
    const mask = this.combinedMask(op, keyPaddingMask, attnMask, N, L, S, extra);
    // [rows, E] -> [N, H, rows', d] per the layout: (L, N, ...) or (N, L, ...).
    const heads = (t: Tensor, len: number) => permute(t.reshape(this.batchFirst ? [N, len, H, d] : [len, N, H, d]),
      this.batchFirst ? [0, 2, 1, 3] : [1, 2, 0, 3]);
    let q: Tensor, k: Tensor, v: Tensor;
    const W = this.inProjWeight, b = this.inProjBias;
    const biasRows = (i: number) => (b ? b.rows(i * E, (i + 1) * E) : null);
    if (W && query === k0 && k0 === v0) {
      const qkv = linearOp(q3.reshape(-1, E), W, b);
      const split = permute(qkv.reshape(this.batchFirst ? [N, L, 3, H, d] : [L, N, 3, H, d]),
        this.batchFirst ? [2, 0, 3, 1, 4] : [2, 1, 3, 0, 4]);
      [q, k, v] = [0, 1, 2].map((i) => split.rows(i, i + 1).reshape(N, H, L, d));
    } else {
      const weights = W ? [0, 1, 2].map((i) => W.rows(i * E, (i + 1) * E)) : [this.qProjWeight, this.kProjWeight, this.vProjWeight] as Tensor[];
      const proj = (x: Tensor, i: number, len: number) => heads(linearOp(x.reshape(-1, x.shape[2]), weights[i], biasRows(i)), len);
      [q, k, v] = [proj(q3, 0, L), proj(k3, 1, S), proj(v3, 2, S)];
    }
    if (this.biasK && this.biasV) [k, v] = [cat([k, this.everySequence(this.biasK, N)], 2), cat([v, this.everySequence(this.biasV, N)], 2)];
    if (this.addZeroAttn) [k, v] = [cat([k, fillKernel(k.newEmpty([N, H, 1, d]), 0)], 2), cat([v, fillKernel(v.newEmpty([N, H, 1, d]), 0)], 2)];
    const scores = bmm(q, k, false, true);
    const soft = maskedSoftmax(scores, { scale: 1 / Math.sqrt(d), mask });
    mask?.dispose();
    const attn = dropoutOp(soft, this.dropout, this.training, this.generator);
    const ctx = bmm(attn, v);
    const merged = permute(ctx, this.batchFirst ? [0, 2, 1, 3] : [2, 0, 1, 3]);
    const out = this.outProj.forward(merged.reshape(-1, E)).reshape(unbatched ? query.shape : this.batchFirst ? [N, L, E] : [L, N, E]);
    if (!needWeights) return [out, null];
    const weights = average ? mean(attn, 1) : attn.reshape(attn.shape);
    return [out, unbatched ? weights.reshape(weights.shape.slice(1)) : weights];
  }

  /** bias [1, 1, E] as one more position of every sequence, per head: [N, H, 1, d] (its gradient sums over N). */
  private everySequence(bias: Tensor, N: number): Tensor {
    const H = this.numHeads, d = this.headDim;
    return add(fillKernel(bias.newEmpty([N, H, 1, d]), 0), bias.reshape(1, H, 1, d));
  }

  /**
   * One additive float32 mask broadcasting to the scores [N, H, L, S + extra], or null; the
   * `extra` appended keys (bias_k, the zero key) are never masked, as PyTorch pads its masks.
   */
  private combinedMask(op: string, keyPadding: Tensor | null, attn: Tensor | null, N: number, L: number, S: number, extra: number): Tensor | null {
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
    if (keyPadding) {
      if (keyPadding.ndim !== 2 || keyPadding.shape[0] !== N || keyPadding.shape[1] !== S) {
        a?.dispose();
        throw new RangeError(`${op}: keyPaddingMask must be [${N}, ${S}], got ${formatShape(keyPadding.shape)}`);
      }
      const f = additive(keyPadding);
      const kp = f.reshape(N, 1, 1, S);
      f.dispose();
      if (a) {
        const both = add(kp, a);
        kp.dispose();
        a.dispose();
        a = both;
      } else {
        a = kp;
      }
    }
    if (!a || extra === 0) return a;
    const zeros = fillKernel(a.newEmpty([...a.shape.slice(0, -1), extra]), 0);
    const padded = cat([a, zeros], a.ndim - 1);
    a.dispose();
    zeros.dispose();
    return padded;
  }

  protected override describe(): string {
    const dims = this.inProjWeight ? '' : `, kdim=${this.kdim}, vdim=${this.vdim}`;
    const extras = `${this.biasK ? ', addBiasKv=true' : ''}${this.addZeroAttn ? ', addZeroAttn=true' : ''}`;
    return `embedDim=${this.embedDim}, numHeads=${this.numHeads}, dropout=${this.dropout}${dims}${extras}, batchFirst=${this.batchFirst}`;
  }
}

/** Factory for MultiheadAttention. */
export const multiheadAttention = (embedDim: number, numHeads: number, options?: MultiheadAttentionOptions) =>
  new MultiheadAttention(embedDim, numHeads, options);
