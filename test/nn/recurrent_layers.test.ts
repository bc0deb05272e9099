// LSTM and GRU against PyTorch 1.13 (test/fixtures/nn/recurrent.json, made by
// bench/reference/recurrent_fixtures.py): outputs, final states and every gradient (input,
// initial states, each parameter) for one layer, stacked bidirectional batch-first layers, no
// bias and unbatched inputs; the state-dict names and shapes and the default initialization's
// bound; dropout between layers; and the argument checks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dropout, Generator, nn, randn, tensor, type Tensor } from '../../src/index.js';
import { onEachDevice } from '../helpers/devices.js';
import { expectClose } from './close.js';

interface Case {
  name: string; layer: 'LSTM' | 'GRU'; inputSize: number; hiddenSize: number; options: nn.RecurrentOptions;
  xShape: number[]; x: number[]; y: number[]; yShape: number[]; hn: number[]; cn?: number[]; stateShape: number[];
  wy: number[]; wh: number[]; wc?: number[]; dx: number[]; h0?: number[]; dh0?: number[]; c0?: number[]; dc0?: number[];
  params: { name: string; shape: number[]; value: number[]; grad: number[] }[];
}
interface Init { layer: 'LSTM' | 'GRU'; inputSize: number; hiddenSize: number; bound: number; maxAbs: number; names: string[]; shapes: number[][] }
const fixtures = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'nn', 'recurrent.json'), 'utf8')) as { cases: Case[]; init: Init[] };

const build = (layer: 'LSTM' | 'GRU', i: number, h: number, o: nn.RecurrentOptions = {}) => (layer === 'LSTM' ? new nn.LSTM(i, h, o) : new nn.GRU(i, h, o));

/** [output, hN, cN | null] of either layer. */
function run(m: nn.LSTM | nn.GRU, x: Tensor, h0: Tensor | null, c0: Tensor | null): [Tensor, Tensor, Tensor | null] {
  if (m instanceof nn.LSTM) {
    const [y, [h, c]] = m.forward(x, h0 && c0 ? [h0, c0] : null);
    return [y, h, c];
  }
  const [y, h] = m.forward(x, h0);
  return [y, h, null];
}

onEachDevice(() => {
  describe('LSTM and GRU against PyTorch 1.13', () => {
    for (const c of fixtures.cases) {
      it(`${c.layer} ${c.name}: outputs and every gradient`, () => {
        const m = build(c.layer, c.inputSize, c.hiddenSize, c.options);
        const state = m.stateDict();
        expect(Object.keys(state)).toEqual(c.params.map((p) => p.name));
        c.params.forEach((p) => expect([...state[p.name].shape]).toEqual(p.shape));
        m.loadStateDict(Object.fromEntries(c.params.map((p) => [p.name, tensor(p.value, p.shape)])));
        const x = tensor(c.x, c.xShape, { requiresGrad: true });
        const h0 = c.h0 ? tensor(c.h0, c.stateShape, { requiresGrad: true }) : null;
        const c0 = c.c0 ? tensor(c.c0, c.stateShape, { requiresGrad: true }) : null;
        const [y, h, cn] = run(m, x, h0, c0);
        expect([...y.shape]).toEqual(c.yShape);
        expect([...h.shape]).toEqual(c.stateShape);
        expectClose(y.toArray(), c.y, 1e-5);
        expectClose(h.toArray(), c.hn, 1e-5);
        if (cn) expectClose(cn.toArray(), c.cn!, 1e-5);
        let loss = y.mul(tensor(c.wy, y.shape)).sum().add(h.mul(tensor(c.wh, h.shape)).sum());
        if (cn) loss = loss.add(cn.mul(tensor(c.wc!, cn.shape)).sum());
        loss.backward();
        expectClose(x.grad!.toArray(), c.dx, 1e-5);
        if (h0) expectClose(h0.grad!.toArray(), c.dh0!, 1e-5);
        if (c0) expectClose(c0.grad!.toArray(), c.dc0!, 1e-5);
        const params = Object.fromEntries(m.namedParameters());
        for (const p of c.params) expectClose(params[p.name].grad!.toArray(), p.grad, 1e-5);
      });
    }
  });
});

describe('LSTM and GRU defaults', () => {
  for (const f of fixtures.init) {
    it(`${f.layer}: PyTorch's parameter names, shapes and U(-1/sqrt(hidden), 1/sqrt(hidden)) initialization`, () => {
      const m = build(f.layer, f.inputSize, f.hiddenSize, { numLayers: 2, bidirectional: true });
      const named = m.namedParameters();
      expect(named.map(([n]) => n)).toEqual(f.names);
      expect(named.map(([, p]) => [...p.shape])).toEqual(f.shapes);
      const maxAbs = Math.max(...named.map(([, p]) => Math.max(...Array.from(p.toArray(), Math.abs))));
      expect(maxAbs).toBeLessThanOrEqual(f.bound);
      expect(maxAbs).toBeGreaterThan(0.99 * f.bound);
      expect(f.maxAbs).toBeLessThanOrEqual(f.bound);
      expect(m.batchFirst).toBe(false);
      expect(m.numLayers).toBe(2);
    });
  }

  it('dropout between layers is the dropout op on the lower layer\'s output, forward and backward', () => {
    for (const layer of ['LSTM', 'GRU'] as const) {
      const stacked = build(layer, 3, 4, { numLayers: 2, dropout: 0.4, generator: new Generator(21) });
      const lower = build(layer, 3, 4), upper = build(layer, 4, 4);
      const state = stacked.stateDict();
      lower.loadStateDict(Object.fromEntries(Object.entries(state).filter(([k]) => k.endsWith('_l0')).map(([k, v]) => [k, v])));
      upper.loadStateDict(Object.fromEntries(Object.entries(state).filter(([k]) => k.endsWith('_l1')).map(([k, v]) => [k.replace('_l1', '_l0'), v])));
      // The stacked model's generator has drawn its weights; the dropout draws come next.
      const draws = new Generator(21);
      draws.take(stacked.parameters().reduce((n, p) => n + p.size, 0));
      const x = randn([5, 2, 3], { generator: new Generator(3) });
      const xs = [tensor(x.toArray(), x.shape, { requiresGrad: true }), tensor(x.toArray(), x.shape, { requiresGrad: true })];
      const [y1] = run(stacked, xs[0], null, null);
      const [mid] = run(lower, xs[1], null, null);
      const [y2] = run(upper, dropout(mid, 0.4, true, draws), null, null);
      expectClose(y1.toArray(), y2.toArray(), 1e-6);
      y1.sum().backward();
      y2.sum().backward();
      expectClose(xs[0].grad!.toArray(), xs[1].grad!.toArray(), 1e-6);
      expectClose(stacked.namedParameters()[0][1].grad!.toArray(), lower.namedParameters()[0][1].grad!.toArray(), 1e-6);
      // eval: no dropout, the same output as the plain composition.
      stacked.eval();
      const [e1] = run(stacked, x, null, null);
      const [e2] = run(upper, run(lower, x, null, null)[0], null, null);
      expectClose(e1.toArray(), e2.toArray(), 1e-6);
    }
  });

  it('names what is wrong, before drawing any weight', () => {
    expect(() => new nn.LSTM(0, 4)).toThrow(/LSTM: argument 'inputSize' must be an integer >= 1/);
    expect(() => new nn.GRU(3, 4, { numLayer: 2 } as never)).toThrow(/unknown option 'numLayer' \(did you mean 'numLayers'\?\)/);
    expect(() => new nn.LSTM(3, 4, { dropout: 1.5 })).toThrow(/LSTM: option 'dropout' must be/);
    const lstm = new nn.LSTM(3, 4, { numLayers: 2 });
    expect(() => lstm.forward(tensor(new Float32Array(10), [5, 2]))).toThrow(/LSTM: input must be \[T, B, 3\] \(or unbatched \[T, 3\]\), got \[5, 2\]/);
    const x = tensor(new Float32Array(5 * 2 * 3), [5, 2, 3]);
    const h = tensor(new Float32Array(2 * 4), [1, 2, 4]);
    expect(() => lstm.forward(x, [h, h])).toThrow(/LSTM: expected h0 of \[2, 2, 4\], got \[1, 2, 4\]/);
    expect(() => lstm.forward(x, [h] as never)).toThrow(/LSTM.forward: argument 'hx' must be \[h0, c0\]/);
    expect(() => new nn.GRU(3, 4).forward(x, h.reshape(2, 1, 4))).toThrow(/GRU: expected hx of \[1, 2, 4\], got \[2, 1, 4\]/);
  });
});
