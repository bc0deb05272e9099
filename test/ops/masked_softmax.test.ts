/**
 * The fused attention softmax, softmax(scale * x + mask) over the last axis: every mask layout
 * the kernel reads in place (attn [L, S], key padding [N, 1, 1, S], combined [N, 1, L, S], full)
 * and one it must expand, against a float64 reference; -Infinity entries give exact zeros; the
 * float64 gradient check.
 */
import { describe, expect, it } from 'vitest';
import { maskedSoftmax, tensor } from '../../src/index.js';
import { expectGradientsMatch } from '../helpers/gradcheck.js';
import { onEachDevice } from '../helpers/devices.js';
import { broadcastRef, expectClose, lcgValues, size } from './reference.js';

function softmaxRef(x: ArrayLike<number>, shape: number[], scale: number, mask?: { v: ArrayLike<number>; shape: number[] }): Float64Array {
  const t = mask ? broadcastRef(x, shape, mask.v, mask.shape, (a, m) => scale * a + m).values : Float64Array.from(x, (a) => scale * a);
  const S = shape[shape.length - 1];
  const out = new Float64Array(t.length);
  for (let r = 0; r < t.length / S; r++) {
    const row = t.subarray(r * S, (r + 1) * S);
    const top = Math.max(...row);
    const e = Array.from(row, (v) => Math.exp(v - top));
    const sum = e.reduce((a, b) => a + b, 0);
    e.forEach((v, c) => (out[r * S + c] = v / sum));
  }
  return out;
}

const masks = (N: number, H: number, L: number, S: number): [string, number[]][] => [
  ['attn mask [L, S]', [L, S]], ['key padding [N, 1, 1, S]', [N, 1, 1, S]], ['combined [N, 1, L, S]', [N, 1, L, S]],
  ['full [N, H, L, S]', [N, H, L, S]], ['per head [H, L, S] (expanded)', [H, L, S]], ['keys only [S]', [S]],
];

onEachDevice(() => {
  describe('maskedSoftmax', () => {
    const [N, H, L, S] = [2, 3, 4, 5];
    const shape = [N, H, L, S];
    const x = lcgValues(size(shape), 1, -3, 3);
    it('without a mask is softmax(scale x)', () => {
      expectClose(maskedSoftmax(tensor(x, shape), { scale: 0.5 }).toArray(), softmaxRef(x, shape, 0.5), 1e-6, 1e-7);
    });
    for (const [name, ms] of masks(N, H, L, S)) {
      it(`adds a mask ${name}, -Infinity giving exact zeros`, () => {
        const mv = lcgValues(size(ms), 2, -1, 1).map((v, i) => (i % 3 === 1 ? -Infinity : v));
        const y = maskedSoftmax(tensor(x, shape), { scale: 0.7, mask: tensor(mv, ms) });
        const want = softmaxRef(x, shape, 0.7, { v: mv, shape: ms });
        expectClose(y.toArray(), want, 1e-6, 1e-7);
        expect(Array.from(y.toArray()).filter((_, i) => want[i] === 0).every((v) => v === 0)).toBe(true);
      });
    }
    it('gradient (float64 finite differences), masked', () => {
      const ms = [N, 1, 1, S];
      const mv = lcgValues(size(ms), 3);
      expectGradientsMatch(([t]) => maskedSoftmax(t, { scale: 0.4, mask: tensor(mv, ms) }), ([t]) => softmaxRef(t, shape, 0.4, { v: mv, shape: ms }),
        [tensor(x, shape)]);
    });
    it('rows longer than a GPU warp, forward and backward against float64; a fully masked row is NaN', () => {
      const big = [2, 3, 4, 300], ms = [2, 1, 4, 300];
      const xb = lcgValues(size(big), 5, -4, 4), g = lcgValues(size(big), 6);
      // Query 1 of sample 0 sees no key.
      const mv = lcgValues(size(ms), 7).map((v, i) => (i % 5 === 2 || (i >= 300 && i < 600) ? -Infinity : v));
      const t = tensor(xb, big, { requiresGrad: true });
      const y = maskedSoftmax(t, { scale: 0.3, mask: tensor(mv, ms) });
      y.backward(tensor(g, big));
      const want = softmaxRef(xb, big, 0.3, { v: mv, shape: ms });
      expectClose(y.toArray(), want, 1e-5, 1e-7);
      expect(Number.isNaN(y.toArray()[300]) && Number.isNaN(want[300])).toBe(true);
      const dx = new Float64Array(want.length);
      for (let o = 0; o < want.length; o += 300) {
        let dot = 0;
        for (let c = 0; c < 300; c++) dot += g[o + c] * want[o + c];
        for (let c = 0; c < 300; c++) dx[o + c] = 0.3 * want[o + c] * (g[o + c] - dot);
      }
      expectClose(t.grad!.toArray(), dx, 1e-4, 1e-7);
    });
    it('rejects a mask that does not broadcast to x and unknown options', () => {
      expect(() => maskedSoftmax(tensor(x, shape), { mask: tensor(lcgValues(4, 1), [4]) })).toThrow(/maskedSoftmax: shapes \[2, 3, 4, 5\] and \[4\] do not broadcast/);
      expect(() => maskedSoftmax(tensor(x, shape), { mask: tensor(lcgValues(30, 1), [3, 2, 1, 1, 5]) })).toThrow(/maskedSoftmax: mask \[3, 2, 1, 1, 5\] must broadcast to x's shape/);
      expect(() => maskedSoftmax(tensor(x, shape), { scal: 1 } as never)).toThrow(/maskedSoftmax: unknown option 'scal'/);
    });
  });
});
