// ConvTranspose2d against PyTorch 1.13 (test/fixtures/nn/conv_transpose.json, made by
// bench/reference/conv_transpose_fixtures.py): forward, every gradient, the default
// initialization's bound and the state-dict names, on every device, with forward's outputSize
// (PyTorch's output_size) in three cases; float64 gradient checks of the op and of outputSize;
// and the argument checks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convTranspose2d, Generator, nn, randn, tensor } from '../../src/index.js';
import { onEachDevice } from '../helpers/devices.js';
import { expectGradientsMatch } from '../helpers/gradcheck.js';
import { convBackwardRef, type Conv } from '../native/conv_reference.js';
import { expectClose } from './close.js';

interface Case {
  name: string; inChannels: number; outChannels: number; kernelSize: [number, number]; options: nn.ConvTranspose2dLayerOptions;
  xShape: number[]; x: number[]; yShape: number[]; y: number[]; w: number[]; dx: number[]; weightShape: number[]; initBound: number;
  weight: number[]; dweight: number[]; bias?: number[]; dbias?: number[]; outputSize?: number[];
}
const fixtures = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'nn', 'conv_transpose.json'), 'utf8')) as { cases: Case[] };

onEachDevice(() => {
  describe('ConvTranspose2d against PyTorch 1.13', () => {
    for (const c of fixtures.cases) {
      it(`${c.name}: forward, gradients and initialization`, () => {
        const layer = new nn.ConvTranspose2d(c.inChannels, c.outChannels, c.kernelSize, c.options);
        expect([...layer.weight.shape]).toEqual(c.weightShape);
        expect(Object.keys(layer.stateDict())).toEqual(c.bias ? ['weight', 'bias'] : ['weight']);
        for (const p of layer.parameters()) expect(Math.max(...Array.from(p.toArray(), Math.abs))).toBeLessThanOrEqual(c.initBound * (1 + 1e-6));
        layer.loadStateDict({ weight: tensor(c.weight, c.weightShape), ...(c.bias ? { bias: tensor(c.bias) } : {}) });
        const x = tensor(c.x, c.xShape, { requiresGrad: true });
        const y = layer.forward(x, c.outputSize);
        expect([...y.shape]).toEqual(c.yShape);
        expectClose(y.toArray(), c.y, 1e-5);
        y.backward(tensor(c.w, y.shape));
        expectClose(x.grad!.toArray(), c.dx, 1e-5);
        expectClose(layer.weight.grad!.toArray(), c.dweight, 1e-5);
        if (c.dbias) expectClose(layer.bias!.grad!.toArray(), c.dbias, 1e-5);
      });
    }
  });
});

describe('convTranspose2d', () => {
  it('float64 gradient checks: the adjoint of conv2d (stride 2, padding 1, outputPadding 1, groups 2, bias)', () => {
    const gen = new Generator(5);
    const r = (shape: number[]) => randn(shape, { generator: gen });
    // The convolution whose input is the transposed convolution's output [2, 4, 8, 6].
    const conv: Conv = { N: 2, C: 4, H: 8, W: 6, OC: 2, KH: 3, KW: 2, sh: 2, sw: 2, ph: 1, pw: 1, dh: 1, dw: 1, groups: 2 };
    const ref = ([x, w, b]: Float64Array[]) => {
      const y = convBackwardRef(conv, new Float64Array(2 * 4 * 8 * 6), w, x).dx;
      return y.map((v, i) => v + b[Math.floor(i / 48) % 4]);
    };
    expectGradientsMatch(([x, w, b]) => convTranspose2d(x, w, b, { stride: 2, padding: 1, outputPadding: [1, 0], groups: 2 }), ref,
      [r([2, 2, 4, 4]), r([2, 2, 3, 2]), r([4])]);
  });

  it('float64 gradient check through outputSize: the output padding it picks ([1, 0] for [8, 7])', () => {
    const gen = new Generator(6);
    const layer = new nn.ConvTranspose2d(2, 4, 3, { stride: 2, padding: 1, generator: gen });
    const [w, b] = [Float64Array.from(layer.weight.toArray()), Float64Array.from(layer.bias!.toArray())];
    const conv: Conv = { N: 2, C: 4, H: 8, W: 7, OC: 2, KH: 3, KW: 3, sh: 2, sw: 2, ph: 1, pw: 1, dh: 1, dw: 1, groups: 1 };
    const ref = ([x]: Float64Array[]) => {
      const y = convBackwardRef(conv, new Float64Array(2 * 4 * 8 * 7), w, x).dx;
      return y.map((v, i) => v + b[Math.floor(i / 56) % 4]);
    };
    expectGradientsMatch(([x]) => layer.forward(x, [8, 7]), ref, [randn([2, 2, 4, 4], { generator: gen })]);
  });

  it('outputSize: [OH, OW] or [N, C, OH, OW] within the sizes the stride reaches, as PyTorch', () => {
    const layer = new nn.ConvTranspose2d(2, 3, 3, { stride: 2, padding: 1, outputPadding: 1 });
    const x = randn([1, 2, 4, 4]);
    expect([...layer.forward(x).shape]).toEqual([1, 3, 8, 8]);
    expect([...layer.forward(x, [7, 8]).shape]).toEqual([1, 3, 7, 8]);
    expect([...layer.forward(x, [5, 6, 7, 7]).shape]).toEqual([1, 3, 7, 7]);
    expect([...layer.forward(x, null).shape]).toEqual([1, 3, 8, 8]);
    expect(() => layer.forward(x, [9, 8])).toThrow(
      /ConvTranspose2d.forward: outputSize \[9, 8\] is out of range: valid sizes range from \[7, 7\] to \[8, 8\] for an input of \[4, 4\]/);
    expect(() => layer.forward(x, [6, 7])).toThrow(/outputSize \[6, 7\] is out of range/);
    expect(() => layer.forward(x, [1, 3, 8])).toThrow(/ConvTranspose2d.forward: outputSize must have 2 or 4 elements for a 4-D input, got 3/);
    expect(() => layer.forward(x, [7.5, 8])).toThrow(/ConvTranspose2d.forward: outputSize\[0\] must be an integer/);
    expect(() => layer.forward(x, 8 as never)).toThrow(/ConvTranspose2d.forward: argument 'outputSize' must be an array of 2 or 4 integers, got 8/);
  });

  it('names what is wrong', () => {
    expect(() => new nn.ConvTranspose2d(3, 4, 3, { groups: 2 })).toThrow(/ConvTranspose2d: groups 2 must divide inChannels \(3\)/);
    expect(() => new nn.ConvTranspose2d(3, 4, 3, { outputpadding: 1 } as never)).toThrow(/unknown option 'outputpadding' \(did you mean 'outputPadding'\?\)/);
    const layer = new nn.ConvTranspose2d(2, 4, 3, { stride: 2, outputPadding: 2 });
    expect(() => layer.forward(tensor(new Float32Array(2 * 9), [1, 2, 3, 3]))).toThrow(/convTranspose2d: outputPadding \[2, 2\] must be smaller than the stride \[2, 2\]/);
    expect(() => layer.forward(tensor(new Float32Array(3 * 9), [1, 3, 3, 3]))).toThrow(/ConvTranspose2d: expected input \[N, 2, H, W\], got \[1, 3, 3, 3\]/);
  });
});
