/**
 * softmax and logSoftmax over the last axis: rows of 1000 (longer than a GPU warp, whose lanes
 * stride over a row in the CUDA kernel) against float64, forward and backward, and the NaN and
 * infinity rules of native/common/softmax.h: a NaN makes its row NaN, -Infinity gives an exact 0
 * (log: -Infinity), a row of only -Infinity or holding +Infinity is NaN, as in PyTorch.
 */
import { describe, expect, it } from 'vitest';
import { logSoftmax, softmax, tensor } from '../../src/index.js';
import { onEachDevice } from '../helpers/devices.js';
import { expectClose, lcgValues } from './reference.js';

/** y and dx = d(sum g y)/dx of softmax (or log_softmax) over rows of `cols`, in float64. */
function softmaxRef(x: Float32Array, g: Float32Array, cols: number, log: boolean): { y: Float64Array; dx: Float64Array } {
  const y = new Float64Array(x.length), dx = new Float64Array(x.length);
  for (let o = 0; o < x.length; o += cols) {
    let m = -Infinity;
    for (let c = 0; c < cols; c++) m = Math.max(m, x[o + c]);
    let s = 0;
    for (let c = 0; c < cols; c++) s += Math.exp(x[o + c] - m);
    let dot = 0;
    for (let c = 0; c < cols; c++) {
      const p = Math.exp(x[o + c] - m) / s;
      y[o + c] = log ? x[o + c] - m - Math.log(s) : p;
      dot += log ? g[o + c] : g[o + c] * p;
    }
    for (let c = 0; c < cols; c++) {
      const p = Math.exp(x[o + c] - m) / s;
      dx[o + c] = log ? g[o + c] - p * dot : p * (g[o + c] - dot);
    }
  }
  return { y, dx };
}

onEachDevice(() => {
  describe('softmax and logSoftmax', () => {
    const [R, C] = [37, 1000];
    const x = lcgValues(R * C, 3, -8, 8), g = lcgValues(R * C, 4, -1, 1);
    for (const log of [false, true]) {
      it(`${log ? 'logSoftmax' : 'softmax'} of rows of ${C}, forward and backward, against float64`, () => {
        const xt = tensor(x, [R, C], { requiresGrad: true });
        const y = log ? logSoftmax(xt) : softmax(xt);
        y.backward(tensor(g, [R, C]));
        const want = softmaxRef(x, g, C, log);
        expectClose(y.toArray(), want.y, 1e-5, 1e-7);
        expectClose(xt.grad!.toArray(), want.dx, 1e-4, 1e-7);
      });
    }

    it('NaN and infinities: a NaN or +Infinity poisons its row, -Infinity gives 0', () => {
      const x = tensor([[1, NaN, 2], [0, -Infinity, 0], [-Infinity, -Infinity, -Infinity], [Infinity, 0, 1], [0, 0, Math.log(2)]]);
      const nan = [NaN, NaN, NaN];
      expectClose(softmax(x).toArray(), [...nan, 0.5, 0, 0.5, ...nan, ...nan, 0.25, 0.25, 0.5], 1e-6, 1e-7);
      const y = logSoftmax(x).toArray();
      expectClose(y, [...nan, -Math.LN2, -Infinity, -Math.LN2, ...nan, ...nan, -2 * Math.LN2, -2 * Math.LN2, -Math.LN2], 1e-6, 1e-7);
      expect(y[4]).toBe(-Infinity);
    });
  });
});
