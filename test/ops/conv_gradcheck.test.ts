// Float64 finite-difference gradient checks of the convolution and pooling ops (the project's
// rule for every differentiable op): the analytic float32 gradients against central
// differences of the float64 definitions in test/native/conv_reference.ts, on every device.
import { describe, it } from 'vitest';
import { adaptiveAvgPool2d, avgPool2d, conv1d, conv2d, Generator, maxPool2d, randn } from '../../src/index.js';
import { onEachDevice } from '../helpers/devices.js';
import { expectGradientsMatch } from '../helpers/gradcheck.js';
import { adaptiveAvgPoolRef, avgPoolRef, convForwardRef, maxPoolRef, type Conv, type Pool } from '../native/conv_reference.js';

const gen = new Generator(11);
const r = (shape: number[]) => randn(shape, { generator: gen });

onEachDevice(() => {
  describe('conv2d and conv1d gradients', () => {
    const cases: [string, Conv][] = [
      ['3x3 padding 1 with bias', { N: 2, C: 3, H: 5, W: 4, OC: 2, KH: 3, KW: 3, sh: 1, sw: 1, ph: 1, pw: 1, dh: 1, dw: 1, groups: 1 }],
      ['stride 2, dilation 2, groups 2', { N: 2, C: 4, H: 7, W: 7, OC: 4, KH: 3, KW: 2, sh: 2, sw: 1, ph: 1, pw: 0, dh: 2, dw: 1, groups: 2 }],
      ['1x1', { N: 3, C: 3, H: 3, W: 3, OC: 2, KH: 1, KW: 1, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1, groups: 1 }],
    ];
    for (const [name, c] of cases) {
      it(name, () => {
        const options = { stride: [c.sh, c.sw] as [number, number], padding: [c.ph, c.pw] as [number, number], dilation: [c.dh, c.dw] as [number, number], groups: c.groups };
        expectGradientsMatch(([x, w, b]) => conv2d(x, w, b, options), ([x, w, b]) => convForwardRef(c, x, w, b),
          [r([c.N, c.C, c.H, c.W]), r([c.OC, c.C / c.groups, c.KH, c.KW]), r([c.OC])]);
      });
    }
    it('conv1d (stride 2, padding 1, no bias)', () => {
      const c: Conv = { N: 2, C: 2, H: 1, W: 9, OC: 3, KH: 1, KW: 3, sh: 1, sw: 2, ph: 0, pw: 1, dh: 1, dw: 1, groups: 1 };
      expectGradientsMatch(([x, w]) => conv1d(x, w, null, { stride: 2, padding: 1 }), ([x, w]) => convForwardRef(c, x, w, null),
        [r([2, 2, 9]), r([3, 2, 3])]);
    });
  });

  describe('pooling gradients', () => {
    const p: Pool = { N: 2, C: 2, H: 6, W: 5, KH: 3, KW: 2, sh: 2, sw: 1, ph: 1, pw: 1, dh: 1, dw: 1 };
    it('maxPool2d (random inputs: no ties, so the max is differentiable)', () => {
      expectGradientsMatch(([x]) => maxPool2d(x, [3, 2], { stride: [2, 1], padding: 1 }), ([x]) => maxPoolRef(p, x).y, [r([2, 2, 6, 5])]);
    });
    it('avgPool2d, countIncludePad true and false', () => {
      for (const include of [true, false]) {
        expectGradientsMatch(([x]) => avgPool2d(x, [3, 2], { stride: [2, 1], padding: 1, countIncludePad: include }),
          ([x]) => avgPoolRef(p, x, include).y, [r([2, 2, 6, 5])]);
      }
    });
    it('adaptiveAvgPool2d to 4x3', () => {
      expectGradientsMatch(([x]) => adaptiveAvgPool2d(x, [4, 3]), ([x]) => adaptiveAvgPoolRef(2, 2, 6, 5, 4, 3, x).y, [r([2, 2, 6, 5])]);
    });
  });
});
