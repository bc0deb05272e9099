// GroupNorm against PyTorch 1.13 (test/fixtures/nn/group_norm.json, made by
// bench/reference/group_norm_fixtures.py): forward, every gradient, the default parameters and
// state-dict names, on every device; a float64 gradient check; and the argument checks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Generator, groupNorm, nn, randn, tensor } from '../../src/index.js';
import { onEachDevice } from '../helpers/devices.js';
import { expectGradientsMatch } from '../helpers/gradcheck.js';
import { expectClose } from './close.js';

interface Case {
  name: string; numGroups: number; numChannels: number; options: nn.GroupNormLayerOptions; xShape: number[]; x: number[]; y: number[];
  w: number[]; dx: number[]; default: Record<string, number[]>; weight?: number[]; bias?: number[]; dweight?: number[]; dbias?: number[];
}
const fixtures = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'nn', 'group_norm.json'), 'utf8')) as { cases: Case[] };

onEachDevice(() => {
  describe('GroupNorm against PyTorch 1.13', () => {
    for (const c of fixtures.cases) {
      it(`${c.name}: defaults, forward and gradients`, () => {
        const layer = new nn.GroupNorm(c.numGroups, c.numChannels, c.options);
        const state = layer.stateDict();
        expect(Object.keys(state)).toEqual(Object.keys(c.default));
        for (const [k, v] of Object.entries(c.default)) expect(Array.from(state[k].toArray())).toEqual(v);
        if (c.weight) layer.loadStateDict({ weight: tensor(c.weight), bias: tensor(c.bias!) });
        const x = tensor(c.x, c.xShape, { requiresGrad: true });
        const y = layer.forward(x);
        expect([...y.shape]).toEqual(c.xShape);
        expectClose(y.toArray(), c.y, 1e-5);
        y.backward(tensor(c.w, c.xShape));
        expectClose(x.grad!.toArray(), c.dx, 1e-5);
        if (c.dweight) expectClose(layer.weight!.grad!.toArray(), c.dweight, 1e-5);
        if (c.dbias) expectClose(layer.bias!.grad!.toArray(), c.dbias, 1e-5);
      });
    }
  });
});

/** Float64 GroupNorm of x [N, C, L] with per-channel weight and bias. */
function groupNormRef(x: Float64Array, w: Float64Array, b: Float64Array, N: number, C: number, L: number, G: number, eps: number): Float64Array {
  const y = new Float64Array(x.length);
  const span = (C / G) * L;
  for (let n = 0; n < N; n++) {
    for (let g = 0; g < G; g++) {
      const at = (n * C + g * (C / G)) * L;
      let mean = 0, v = 0;
      for (let i = 0; i < span; i++) mean += x[at + i] / span;
      for (let i = 0; i < span; i++) v += (x[at + i] - mean) ** 2 / span;
      for (let i = 0; i < span; i++) {
        const ch = g * (C / G) + Math.floor(i / L);
        y[at + i] = ((x[at + i] - mean) / Math.sqrt(v + eps)) * w[ch] + b[ch];
      }
    }
  }
  return y;
}

describe('GroupNorm', () => {
  it('float64 gradient check of input, weight and bias', () => {
    const gen = new Generator(7);
    const inputs = [randn([2, 4, 3], { generator: gen }), randn([4], { generator: gen }), randn([4], { generator: gen })];
    expectGradientsMatch(([x, w, b]) => groupNorm(x, 2, { weight: w, bias: b }), ([x, w, b]) => groupNormRef(x, w, b, 2, 4, 3, 2, 1e-5), inputs);
  });

  it('names what is wrong', () => {
    expect(() => new nn.GroupNorm(3, 4)).toThrow(/GroupNorm: numChannels \(4\) must be divisible by numGroups \(3\)/);
    expect(() => new nn.GroupNorm(2, 4, { afine: false } as never)).toThrow(/unknown option 'afine' \(did you mean 'affine'\?\)/);
    expect(() => new nn.GroupNorm(2, 4).forward(tensor(new Float32Array(6), [2, 3]))).toThrow(/GroupNorm: expected input \[N, 4, \*\], got \[2, 3\]/);
  });
});
