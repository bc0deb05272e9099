// Embedding and LayerNorm against PyTorch 1.13 (test/fixtures/nn/layers.json, made by
// bench/reference/layers_fixtures.py), float64 gradient checks, and Dropout2d's channel rule.
// LayerNorm (batch-norm kernel, row-broadcast mul and add) runs on every device.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embedding, Generator, nn, ones, randn, tensor } from '../../src/index.js';
import { expectGradientsMatch } from '../helpers/gradcheck.js';
import { expectClose } from './close.js';
import { dataError, onEachDevice } from '../helpers/devices.js';

const f = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'nn', 'layers.json'), 'utf8'));

// The gather forward and the scatter-add backward run on each device (test/helpers/devices.ts).
onEachDevice((device) => {
  describe('Embedding', () => {
    for (const c of f.embedding) {
      it(`matches PyTorch, paddingIdx ${c.paddingIdx}`, () => {
        const emb = new nn.Embedding(7, 4, c.paddingIdx === null ? {} : { paddingIdx: c.paddingIdx });
        if (c.paddingIdx !== null) expect(Array.from(emb.weight.rows(c.paddingIdx, c.paddingIdx + 1).toArray())).toEqual([0, 0, 0, 0]);
        emb.loadStateDict({ weight: tensor(c.weight, [7, 4]) });
        const y = emb.forward(tensor(c.indices, c.indicesShape, { dtype: 'int32' }));
        expect([...y.shape]).toEqual(c.yShape);
        expectClose(y.toArray(), c.y, 1e-6);
        y.backward(tensor(c.w, c.yShape));
        expectClose(emb.weight.grad!.toArray(), c.dweight, 1e-6);
      });
    }
    it('initializes N(0, 1), and names a bad index', () => {
      const emb = new nn.Embedding(1000, 20, { generator: new Generator(3) });
      const v = Array.from(emb.weight.toArray());
      const mean = v.reduce((s, x) => s + x, 0) / v.length;
      const sd = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length);
      expect(Math.abs(mean)).toBeLessThan(0.02);
      expect(Math.abs(sd - 1)).toBeLessThan(0.02);
      expect(() => emb.forward(tensor([3, 1000], [2], { dtype: 'int32' })).toArray())
        .toThrow(dataError(device, 'embedding', 'index 1000 at position 1 is out of range for 1000 rows', 'gatherRows'));
      expect(() => new nn.Embedding(5, 2, { paddingIdx: 5 })).toThrow(/Embedding: option 'paddingIdx' must be in \[-5, 5\), got 5/);
    });
    it('float64 gradient check (repeated indices add up)', () => {
      const idx = tensor([2, 0, 2, 1, 2], [5], { dtype: 'int32' });
      expectGradientsMatch(([w]) => embedding(w, idx), ([w]) => Float64Array.from([2, 0, 2, 1, 2].flatMap((r) => Array.from(w.subarray(r * 3, r * 3 + 3)))),
        [randn([4, 3], { generator: new Generator(1) })]);
    });
  });
});

onEachDevice(() => describe('LayerNorm', () => {
  for (const c of f.layernorm) {
    it(`matches PyTorch over ${JSON.stringify(c.normalizedShape)} of ${JSON.stringify(c.xShape)}${c.affine ? '' : ', no affine'}`, () => {
      const ln = new nn.LayerNorm(c.normalizedShape, { elementwiseAffine: c.affine });
      if (c.affine) {
        expect(Object.keys(ln.stateDict())).toEqual(['weight', 'bias']);
        ln.loadStateDict({ weight: tensor(c.weight, c.normalizedShape), bias: tensor(c.bias, c.normalizedShape) });
      }
      const x = tensor(c.x, c.xShape, { requiresGrad: true });
      const y = ln.forward(x);
      expectClose(y.toArray(), c.y, 1e-5);
      y.backward(tensor(c.w, c.xShape));
      expectClose(x.grad!.toArray(), c.dx, 1e-5);
      if (c.affine) {
        expectClose(ln.weight!.grad!.toArray(), c.dweight, 1e-5);
        expectClose(ln.bias!.grad!.toArray(), c.dbias, 1e-5);
      }
    });
  }
  it('names a shape that does not fit', () => {
    expect(() => new nn.LayerNorm(4).forward(ones([2, 5]))).toThrow(/LayerNorm: input \[2, 5\] must end in \[4\]/);
    expect(() => new nn.LayerNorm([])).toThrow(/LayerNorm: normalizedShape must be a positive integer or a non-empty array/);
  });
}));

describe('Dropout2d', () => {
  it('zeroes whole channels with probability p, scales the rest by 1 / (1 - p), and is the identity in eval', () => {
    const layer = new nn.Dropout2d(0.5, { generator: new Generator(5) });
    const x = randn([40, 8, 3, 3], { generator: new Generator(2) });
    const y = layer.forward(x);
    const xv = x.toArray(), yv = y.toArray();
    let dropped = 0;
    for (let ch = 0; ch < 40 * 8; ch++) {
      const ratios = Array.from({ length: 9 }, (_, k) => yv[ch * 9 + k] / xv[ch * 9 + k]);
      if (ratios.every((r) => r === 0)) dropped++;
      else for (const r of ratios) expect(r).toBeCloseTo(2, 6);
    }
    expect(dropped / 320).toBeGreaterThan(0.4);
    expect(dropped / 320).toBeLessThan(0.6);
    layer.eval();
    expect(layer.forward(x)).toBe(x);
  });
});
