// The tensor core's subtle semantics, MultiheadAttention and TransformerEncoderLayer against
// PyTorch 1.13 (test/fixtures/nn/attention.json, made by bench/reference/attention_fixtures.py):
// forward, attention weights, every gradient and the default init, with the options kdim/vdim
// (q/k/v_proj_weight), addBiasKv and addZeroAttn; float64 gradient checks of the attention layer
// and of those options; state-dict names. On every device (the float64 reference backend too).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cat, chunk, Generator, indexSelect, matmul, nn, permute, randn, split, stack, tensor, type Tensor, where,
} from '../../src/index.js';
import { expectGradientsMatch } from '../helpers/gradcheck.js';
import { expectClose } from './close.js';
import { onEachDevice } from '../helpers/devices.js';

const f = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'nn', 'attention.json'), 'utf8'));
const TOL = 1e-5;
type Mask = { values: (number | null)[]; shape: number[]; bool: boolean };
/** A PyTorch mask as ours: bool -> int32 (nonzero = masked), float -> float32 (added; null is -inf). */
const maskOf = (m: Mask | undefined) => {
  if (!m) return null;
  const v = m.values.map((x) => x ?? -Infinity);
  return m.bool ? tensor(Int32Array.from(v), m.shape, { dtype: 'int32' }) : tensor(Float32Array.from(v), m.shape);
};
const leaf = (v: number[], shape: number[]) => tensor(v, shape, { requiresGrad: true });
const stateOf = (c: { state: Record<string, number[]>; shapes: Record<string, number[]> }) =>
  Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, tensor(v, c.shapes[k])]));

onEachDevice(() => {
describe('tensor core against PyTorch', () => {
  const o = f.ops;
  it('general broadcasting: a * b + a / (|b| + 1)', () => {
    const c = o.broadcast;
    const [a, b] = [leaf(c.a, c.aShape), leaf(c.b, c.bShape)];
    const y = a.mul(b).add(a.div(b.abs().add(1)));
    expect([...y.shape]).toEqual(c.outShape);
    expectClose(y.toArray(), c.out, TOL);
    y.backward(tensor(c.w, c.outShape));
    expectClose(a.grad!.toArray(), c.da, TOL);
    expectClose(b.grad!.toArray(), c.db, TOL);
  });
  it('matmul with broadcast batch dimensions', () => {
    const c = o.matmul;
    const [a, b] = [leaf(c.a, c.aShape), leaf(c.b, c.bShape)];
    const y = matmul(a, b);
    expect([...y.shape]).toEqual(c.outShape);
    expectClose(y.toArray(), c.out, TOL);
    y.backward(tensor(c.w, c.outShape));
    expectClose(a.grad!.toArray(), c.da, TOL);
    expectClose(b.grad!.toArray(), c.db, TOL);
  });
  it('permute, transpose, cat, split, chunk and stack', () => {
    const c = o.layout;
    const x = leaf(c.x, c.xShape);
    const out = cat([permute(x, [2, 0, 1]), split(x.transpose(0, 2).transpose(1, 2), [1, 2], 2)[1]], 2);
    const parts = split(out, [1, 3], 0);
    const chunks = chunk(out, 2, 2);
    const first = (t: Tensor) => t.rows(0, 1).reshape(t.shape.slice(1));
    const second = (t: Tensor) => t.rows(1, 2).reshape(t.shape.slice(1));
    const stacked = stack([first(chunks[0]), second(chunks[0])], 1);
    const total = cat([parts[1].reshape(-1), chunks[1].reshape(-1), stacked.reshape(-1)]);
    expectClose(total.toArray(), c.out, 0);
    total.backward(tensor(c.w, c.outShape));
    expectClose(x.grad!.toArray(), c.dx, TOL);
  });
  it('indexSelect with repeated indices', () => {
    const c = o.indexSelect;
    const x = leaf(c.x, c.xShape);
    const y = indexSelect(x, 1, tensor(Int32Array.from(c.index), [c.index.length], { dtype: 'int32' }));
    expectClose(y.toArray(), c.out, 0);
    y.backward(tensor(c.w, c.outShape));
    expectClose(x.grad!.toArray(), c.dx, TOL);
  });
  it('where and maskedFill, broadcast', () => {
    const c = o.where;
    const [a, b] = [leaf(c.a, c.aShape), leaf(c.b, [3])];
    const cond = tensor(Int32Array.from(c.cond), c.condShape, { dtype: 'int32' });
    const y = where(cond, a, b).maskedFill(tensor(Int32Array.from(c.fillMask), [3], { dtype: 'int32' }), -2.5);
    expect([...y.shape]).toEqual(c.outShape);
    expectClose(y.toArray(), c.out, 0);
    y.backward(tensor(c.w, c.outShape));
    expectClose(a.grad!.toArray(), c.da, TOL);
    expectClose(b.grad!.toArray(), c.db, TOL);
  });
});

describe('MultiheadAttention against PyTorch', () => {
  for (const c of [...f.mha, ...f.mhaOptions]) {
    it(c.name, () => {
      const m = new nn.MultiheadAttention(c.E, c.H, {
        batchFirst: c.batchFirst, bias: c.bias, kdim: c.kdim, vdim: c.vdim, addBiasKv: c.addBiasKv, addZeroAttn: c.addZeroAttn,
      });
      expect(Object.keys(m.stateDict())).toEqual(Object.keys(c.state));
      m.loadStateDict(stateOf(c));
      const q = leaf(c.q, c.qShape);
      const [k, v] = c.selfAttention ? [q, q] : [leaf(c.k, c.kShape), leaf(c.v, c.vShape ?? c.kShape)];
      const [out, weights] = m.forwardWithWeights(q, k, v, {
        keyPaddingMask: maskOf(c.keyPaddingMask), attnMask: maskOf(c.attnMask), averageAttnWeights: c.average,
      });
      expect([...out.shape]).toEqual(c.outShape);
      expect([...weights.shape]).toEqual(c.weightsShape);
      expectClose(out.toArray(), c.out, TOL);
      expectClose(weights.toArray(), c.weights, TOL);
      out.backward(tensor(c.w, c.outShape));
      for (const [name, p] of m.namedParameters()) expectClose(p.grad!.toArray(), c.grads[name], TOL);
      expectClose(q.grad!.toArray(), c.dq, TOL);
      if (!c.selfAttention) {
        expectClose(k.grad!.toArray(), c.dk, TOL);
        expectClose(v.grad!.toArray(), c.dv, TOL);
      }
    });
  }

  it("initializes as PyTorch: xavier-uniform in_proj_weight, zero biases, out_proj as a Linear; PyTorch's keys", () => {
    const i = f.init;
    const m = new nn.MultiheadAttention(i.E, 4, { generator: new Generator(5) });
    expect(Object.keys(m.stateDict())).toEqual(i.keys);
    const w = Array.from(m.inProjWeight!.toArray());
    const std = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0) / v.length);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(i.inProjBound);
    expect(Math.abs(std(w) - i.inProjStd) / i.inProjStd).toBeLessThan(0.03);
    expect(Math.max(...Array.from(m.inProjBias!.toArray(), Math.abs))).toBe(i.inProjBiasMaxAbs);
    expect(Math.max(...Array.from(m.outProj.bias!.toArray(), Math.abs))).toBe(i.outProjBiasMaxAbs);
    const ow = Array.from(m.outProj.weight.toArray());
    expect(Math.max(...ow.map(Math.abs))).toBeLessThanOrEqual(i.outProjBound);
    expect(Math.abs(std(ow) - i.outProjStd) / i.outProjStd).toBeLessThan(0.05);
    expect(Object.keys(new nn.TransformerEncoderLayer(64, 4, { dimFeedforward: 128 }).stateDict())).toEqual(i.encoderKeys);
  });

  it('float64 gradient check of self-attention with a causal mask', () => {
    const [L, N, E, H] = [3, 2, 4, 2];
    const m = new nn.MultiheadAttention(E, H, { generator: new Generator(2) });
    const mask = nn.generateSquareSubsequentMask(L);
    const Wv = Float64Array.from(m.inProjWeight!.toArray()), Wo = Float64Array.from(m.outProj.weight.toArray());
    // out = concat_h softmax(q_h k_h^T / sqrt(d) + causal) v_h, then W_o (biases are zero at init).
    const ref = ([x]: Float64Array[]) => {
      const d = E / H;
      const proj = (i: number, r: number, e: number) => { // row r = (l, n), feature e of projection i
        let s = 0;
        for (let t = 0; t < E; t++) s += x[r * E + t] * Wv[(i * E + e) * E + t];
        return s;
      };
      const ctx = new Float64Array(L * N * E);
      for (let n = 0; n < N; n++) {
        for (let h = 0; h < H; h++) {
          for (let l = 0; l < L; l++) {
            const scores = Array.from({ length: L }, (_, s) => {
              if (s > l) return -Infinity;
              let dot = 0;
              for (let j = 0; j < d; j++) dot += proj(0, l * N + n, h * d + j) * proj(1, s * N + n, h * d + j);
              return dot / Math.sqrt(d);
            });
            const top = Math.max(...scores);
            const e = scores.map((v) => Math.exp(v - top));
            const sum = e.reduce((a, b) => a + b, 0);
            for (let j = 0; j < d; j++) {
              let acc = 0;
              for (let s = 0; s < L; s++) acc += (e[s] / sum) * proj(2, s * N + n, h * d + j);
              ctx[(l * N + n) * E + h * d + j] = acc;
            }
          }
        }
      }
      return Float64Array.from({ length: L * N * E }, (_, i) => {
        const r = Math.floor(i / E), o = i % E;
        let s = 0;
        for (let t = 0; t < E; t++) s += ctx[r * E + t] * Wo[o * E + t];
        return s;
      });
    };
    expectGradientsMatch(([x]) => m.forward(x, x, x, { attnMask: mask }), ref, [randn([L, N, E], { generator: new Generator(3) })]);
  });

  it('float64 gradient check of kdim/vdim, addBiasKv and addZeroAttn (inputs, bias_k and bias_v)', () => {
    const [L, S, N, E, H, kd, vd] = [3, 2, 2, 4, 2, 3, 5];
    const m = new nn.MultiheadAttention(E, H, { kdim: kd, vdim: vd, addBiasKv: true, addZeroAttn: true, generator: new Generator(8) });
    expect(m.inProjWeight).toBeNull();
    expect([m.qProjWeight!.shape, m.kProjWeight!.shape, m.vProjWeight!.shape].map((s) => [...s])).toEqual([[E, E], [E, kd], [E, vd]]);
    const f64 = (t: Tensor) => Float64Array.from(t.toArray());
    const [Wq, Wk, Wv, Wo] = [f64(m.qProjWeight!), f64(m.kProjWeight!), f64(m.vProjWeight!), f64(m.outProj.weight)];
    // Rows (position p, batch n) of x [P, N, width] projected by W [E, width] (the biases are zero at init).
    const project = (x: Float64Array, W: Float64Array, width: number, P: number) => Array.from({ length: P * N }, (_, r) =>
      Array.from({ length: E }, (_, e) => { let acc = 0; for (let t = 0; t < width; t++) acc += x[r * width + t] * W[e * width + t]; return acc; }));
    const ref = ([x, key, value, bk, bv]: Float64Array[]) => {
      const d = E / H;
      const Q = project(x, Wq, E, L);
      // Per batch, the keys and values: S projected, then bias_k / bias_v, then zeros.
      const [PK, PV] = [project(key, Wk, kd, S), project(value, Wv, vd, S)];
      const keys = (n: number) => [...Array.from({ length: S }, (_, s) => PK[s * N + n]), Array.from(bk), new Array<number>(E).fill(0)];
      const vals = (n: number) => [...Array.from({ length: S }, (_, s) => PV[s * N + n]), Array.from(bv), new Array<number>(E).fill(0)];
      const ctx = new Float64Array(L * N * E);
      for (let n = 0; n < N; n++) {
        const [K, V] = [keys(n), vals(n)];
        for (let h = 0; h < H; h++) for (let l = 0; l < L; l++) {
          const scores = K.map((kr) => { let dot = 0; for (let j = 0; j < d; j++) dot += Q[l * N + n][h * d + j] * kr[h * d + j]; return dot / Math.sqrt(d); });
          const top = Math.max(...scores);
          const e = scores.map((v) => Math.exp(v - top));
          const sum = e.reduce((a, b) => a + b, 0);
          for (let j = 0; j < d; j++) ctx[(l * N + n) * E + h * d + j] = V.reduce((acc, vr, s) => acc + (e[s] / sum) * vr[h * d + j], 0);
        }
      }
      return Float64Array.from({ length: L * N * E }, (_, i) => {
        const r = Math.floor(i / E), o = i % E;
        let acc = 0;
        for (let t = 0; t < E; t++) acc += ctx[r * E + t] * Wo[o * E + t];
        return acc;
      });
    };
    // bias_k and bias_v are checked as inputs: the layer reads the checked copies.
    const layer = m as unknown as { biasK: Tensor; biasV: Tensor };
    const g = new Generator(9);
    expectGradientsMatch(([x, key, value, bk, bv]) => {
      [layer.biasK, layer.biasV] = [bk, bv];
      return m.forward(x, key, value);
    }, ref, [randn([L, N, E], { generator: g }), randn([S, N, kd], { generator: g }), randn([S, N, vd], { generator: g }),
      randn([1, 1, E], { generator: g }), randn([1, 1, E], { generator: g })]);
  });

  it('kdim, vdim, addBiasKv and addZeroAttn: checked options, widths named in errors', () => {
    const m = new nn.MultiheadAttention(8, 2, { kdim: 6, vdim: 4 });
    expect(String(m)).toMatch(/kdim=6, vdim=4/);
    const q = randn([5, 3, 8]);
    expect([...m.forward(q, randn([7, 3, 6]), randn([7, 3, 4])).shape]).toEqual([5, 3, 8]);
    expect(() => m.forward(q, randn([7, 3, 8]), randn([7, 3, 4]))).toThrow(/MultiheadAttention.forward: key must be \[S, N, kdim\] or \[S, kdim\] with kdim = 6 \(as many dimensions as query\), got \[7, 3, 8\]/);
    expect(() => m.forward(q)).toThrow(/key must be \[S, N, kdim\]/);
    expect(() => m.forward(q, randn([7, 3, 6]), randn([6, 3, 4]))).toThrow(/key \[7, 3, 6\] and value \[6, 3, 4\] must match each other/);
    expect(() => new nn.MultiheadAttention(8, 2, { kDim: 4 } as never)).toThrow(/MultiheadAttention: unknown option 'kDim' \(did you mean 'kdim'\?\)/);
    expect(() => new nn.MultiheadAttention(8, 2, { kdim: 0 })).toThrow(/MultiheadAttention: option 'kdim' must be an integer >= 1 and <= 2147483647, got 0/);
    expect(() => new nn.MultiheadAttention(8, 2, { addZeroAttn: 1 as never })).toThrow(/MultiheadAttention: option 'addZeroAttn' must be a boolean/);
    const b = new nn.MultiheadAttention(8, 2, { addBiasKv: true, addZeroAttn: true });
    expect([...b.biasK!.shape]).toEqual([1, 1, 8]);
    // bias_k and bias_v take PyTorch's xavier normal init: std sqrt(2 / (8 + 8)) over [1, 1, 8].
    expect(Array.from(b.biasK!.toArray()).some((v) => v !== 0)).toBe(true);
    const [, weights] = b.forwardWithWeights(q, q, q, { keyPaddingMask: tensor(new Int32Array(15), [3, 5], { dtype: 'int32' }) });
    expect([...weights.shape]).toEqual([3, 5, 7]);
  });

  it('an unbatched [L, E] input gives the batch-of-one result without its batch dimension', () => {
    const m = new nn.MultiheadAttention(8, 2, { generator: new Generator(4) });
    const x = randn([5, 8], { generator: new Generator(6) });
    const [out, weights] = m.forwardWithWeights(x);
    const [out3, weights3] = m.forwardWithWeights(x.reshape(5, 1, 8));
    expect([...out.shape]).toEqual([5, 8]);
    expect([...weights.shape]).toEqual([5, 5]);
    expectClose(out.toArray(), out3.toArray(), 1e-6);
    expectClose(weights.toArray(), weights3.toArray(), 1e-6);
  });

  it('rejects bad shapes and masks naming the layer', () => {
    const m = new nn.MultiheadAttention(8, 2);
    const x = randn([5, 3, 8]);
    expect(() => new nn.MultiheadAttention(8, 3)).toThrow(/MultiheadAttention: embedDim \(8\) must be divisible by numHeads \(3\)/);
    expect(() => new nn.MultiheadAttention(8, 2, { batch_first: true } as never)).toThrow(/MultiheadAttention: unknown option 'batch_first'.*batchFirst/);
    expect(() => m.forward(randn([5, 3, 6]))).toThrow(/MultiheadAttention.forward: query must be \[L, N, E\] or \[L, E\] with E = 8/);
    expect(() => m.forward(x, x, x, { attnMask: randn([4, 5]) })).toThrow(/MultiheadAttention.forward: attnMask must be \[5, 5\] or \[6, 5, 5\], got \[4, 5\]/);
    expect(() => m.forward(x, x, x, { keyPaddingMask: randn([5, 3]) })).toThrow(/keyPaddingMask must be \[3, 5\], got \[5, 3\]/);
  });
});

describe('TransformerEncoderLayer against PyTorch', () => {
  for (const c of f.encoder) {
    it(c.name, () => {
      const layer = new nn.TransformerEncoderLayer(c.E, c.H, {
        dimFeedforward: c.ff, dropout: 0, activation: c.activation, normFirst: c.normFirst, batchFirst: c.batchFirst,
      });
      expect(Object.keys(layer.stateDict())).toEqual(Object.keys(c.state));
      layer.loadStateDict(stateOf(c));
      const x = leaf(c.x, c.xShape);
      const y = layer.forward(x, { srcMask: maskOf(c.srcMask), srcKeyPaddingMask: maskOf(c.srcKeyPaddingMask) });
      expectClose(y.toArray(), c.out, TOL);
      y.backward(tensor(c.w, c.xShape));
      for (const [name, p] of layer.namedParameters()) expectClose(p.grad!.toArray(), c.grads[name], TOL);
      expectClose(x.grad!.toArray(), c.dx, TOL);
    });
  }
  it("PyTorch's defaults and option checks", () => {
    const layer = new nn.TransformerEncoderLayer(16, 4);
    expect(layer.linear1.outFeatures).toBe(2048);
    expect(layer.activation).toBe('relu');
    expect(layer.selfAttn.batchFirst).toBe(false);
    expect(() => new nn.TransformerEncoderLayer(16, 4, { activation: 'tanh' as never })).toThrow(/TransformerEncoderLayer: option 'activation' must be one of 'relu', 'gelu'/);
    expect(() => layer.forward(randn([2, 3, 16]), { mask: null } as never)).toThrow(/TransformerEncoderLayer.forward: unknown option 'mask'/);
  });
});
});
