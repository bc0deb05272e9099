// The convolution and pooling kernels against float64 references written from the definitions
// (conv_reference.ts): forward and every gradient, over strides, padding, dilation, groups, the
// 1x1 fast path and more images than the backward pass has chunks; the gradients are the same
// bits on one thread and on two (and from run to run). On each native device: 'cpu', once per
// GEMM ISA of this CPU (im2col and col2im have AVX-512 and portable row moves,
// native/cpu/conv_rows.h, and 2x2 max pooling AVX-512 and SSE kernels, native/cpu/max_pool_2x2.h,
// chosen with the GEMM's), and 'cuda' where it is available (the bindings dispatch on the
// buffers' device).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addon as native, type NativeBuffer } from '../../src/backend/addon.js';
import { cuda } from '../../src/index.js';
import {
  adaptiveAvgPoolRef, avgPoolRef, convBackwardRef, convForwardRef, geometry, maxPoolRef, outSize, poolGeometry, type Conv, type Pool,
} from './conv_reference.js';

interface ConvAddon {
  conv2dForward(x: NativeBuffer, xo: number, w: NativeBuffer, wo: number, b: NativeBuffer | null, bo: number, y: NativeBuffer, yo: number, g: number[], relu?: boolean): void;
  conv2dBackward(x: NativeBuffer, xo: number, w: NativeBuffer, wo: number, dy: NativeBuffer, dyo: number, dx: NativeBuffer | null, dxo: number,
    dW: NativeBuffer | null, dwo: number, db: NativeBuffer | null, dbo: number, g: number[], accumulate: boolean): void;
  maxPool2dForward(x: NativeBuffer, xo: number, y: NativeBuffer, yo: number, idx: NativeBuffer, io: number, g: number[]): void;
  maxPool2dBackward(dy: NativeBuffer, dyo: number, idx: NativeBuffer, io: number, dx: NativeBuffer, dxo: number, g: number[]): void;
  avgPool2dForward(x: NativeBuffer, xo: number, y: NativeBuffer, yo: number, g: number[], countIncludePad: boolean): void;
  avgPool2dBackward(dy: NativeBuffer, dyo: number, dx: NativeBuffer, dxo: number, g: number[], countIncludePad: boolean): void;
  adaptiveAvgPool2dForward(x: NativeBuffer, xo: number, y: NativeBuffer, yo: number, g: number[]): void;
  adaptiveAvgPool2dBackward(dy: NativeBuffer, dyo: number, dx: NativeBuffer, dxo: number, g: number[]): void;
  gemmIsas(): string[];
  gemmSetIsa(name: string): void;
}
const addon = native as unknown as ConvAddon;
const initialThreads = native.numThreads();
afterAll(() => native.setNumThreads(initialThreads));

let state = 12345;
const random = (n: number) => Float64Array.from({ length: n }, () => {
  state = (state * 1103515245 + 12345) % 2 ** 31;
  return state / 2 ** 30 - 1;
});
const read = (b: NativeBuffer) => Float64Array.from(b.read(0, b.length));
/** Every float32 result within 1e-5 of the float64 reference, relative to the result's scale. */
function expectClose(got: Float64Array, want: Float64Array, what: string) {
  expect(got.length).toBe(want.length);
  const scale = Math.max(1, ...Array.from(want, Math.abs));
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= 1e-5 * scale)) throw new Error(`${what}[${i}]: got ${got[i]}, want ${want[i]} (scale ${scale})`);
  }
}

const variants: [string, string][] = [...addon.gemmIsas().map((isa): [string, string] => ['cpu', isa]), ...(cuda.isAvailable() ? [['cuda', 'cuBLAS'] as [string, string]] : [])];

describe.each(variants)('on %s (%s)', (device, isa) => {
  if (device === 'cpu') {
    beforeAll(() => addon.gemmSetIsa(isa));
    afterAll(() => addon.gemmSetIsa('auto'));
  }
  const alloc = (dtype: 'float32' | 'int32', length: number) =>
    device === 'cuda' ? new native.NativeBuffer(dtype, length, { device: 'cuda', zero: true }) : new native.NativeBuffer(dtype, length, true);
  const buffer = (values: Float64Array) => {
    const b = alloc('float32', values.length);
    b.write(Float32Array.from(values), 0);
    return b;
  };

  const base: Conv = { N: 2, C: 3, H: 7, W: 6, OC: 4, KH: 3, KW: 3, sh: 1, sw: 1, ph: 0, pw: 0, dh: 1, dw: 1, groups: 1 };
  const convCases: [string, Conv][] = [
    ['3x3, no padding', base],
    ['padding 1 ("same")', { ...base, ph: 1, pw: 1 }],
    ['stride 2x1, padding 1x0, 3x2 kernel', { ...base, KW: 2, sh: 2, ph: 1 }],
    ['dilation 2', { ...base, H: 9, W: 9, dh: 2, dw: 2, ph: 2, pw: 1 }],
    ['groups 2', { ...base, C: 4, OC: 6, groups: 2, ph: 1, pw: 1 }],
    ['depthwise (groups = channels)', { ...base, C: 4, OC: 8, groups: 4, ph: 1, pw: 1 }],
    ['1x1 (pointwise fast path)', { ...base, KH: 1, KW: 1 }],
    ['1x1 with stride 2', { ...base, KH: 1, KW: 1, sh: 2, sw: 2 }],
    ['LeNet conv1: 1x28x28 -> 6, 5x5', { ...base, N: 3, C: 1, H: 28, W: 28, OC: 6, KH: 5, KW: 5 }],
    ['11 images (more than the 8 backward chunks)', { ...base, N: 11, ph: 1, pw: 1 }],
    ['rows wider than 16 columns (three vector chunks), 5x5 padding 2', { ...base, C: 2, H: 6, W: 37, KH: 5, KW: 5, ph: 2, pw: 2 }],
    ['column stride 2, row stride 1', { ...base, sw: 2, ph: 1, pw: 1 }],
    ['one image, 16 channels', { ...base, N: 1, C: 16, OC: 8, H: 10, W: 10, ph: 1, pw: 1 }],
  ];

  describe('conv2d against the float64 definition', () => {
    for (const [name, c] of convCases) {
      it(name, () => {
        const OH = outSize(c.H, c.KH, c.sh, c.ph, c.dh), OW = outSize(c.W, c.KW, c.sw, c.pw, c.dw);
        const x = random(c.N * c.C * c.H * c.W), w = random(c.OC * (c.C / c.groups) * c.KH * c.KW), b = random(c.OC);
        const dy = random(c.N * c.OC * OH * OW);
        const y = alloc('float32', dy.length);
        addon.conv2dForward(buffer(x), 0, buffer(w), 0, buffer(b), 0, y, 0, geometry(c));
        expectClose(read(y), convForwardRef(c, x, w, b), 'y');
        addon.conv2dForward(buffer(x), 0, buffer(w), 0, null, 0, y, 0, geometry(c));
        expectClose(read(y), convForwardRef(c, x, w, null), 'y without bias');
        addon.conv2dForward(buffer(x), 0, buffer(w), 0, buffer(b), 0, y, 0, geometry(c), true);
        expectClose(read(y), convForwardRef(c, x, w, b).map((v) => Math.max(v, 0)), 'y with the fused ReLU');

        const want = convBackwardRef(c, x, w, dy);
        const dx = alloc('float32', x.length), dW = alloc('float32', w.length), db = alloc('float32', c.OC);
        addon.conv2dBackward(buffer(x), 0, buffer(w), 0, buffer(dy), 0, dx, 0, dW, 0, db, 0, geometry(c), false);
        expectClose(read(dx), want.dx, 'dx');
        expectClose(read(dW), want.dW, 'dW');
        expectClose(read(db), want.db, 'db');
        // accumulate: dW and db add to what is there (dx is overwritten).
        addon.conv2dBackward(buffer(x), 0, buffer(w), 0, buffer(dy), 0, null, 0, dW, 0, db, 0, geometry(c), true);
        expectClose(read(dW), want.dW.map((v) => 2 * v), 'accumulated dW');
        expectClose(read(db), want.db.map((v) => 2 * v), 'accumulated db');
      });
    }

    it('reads and writes at element offsets', () => {
      const c = { ...base, ph: 1, pw: 1 };
      const x = random(c.N * c.C * c.H * c.W), w = random(c.OC * c.C * 9);
      const xb = alloc('float32', x.length + 5);
      xb.write(Float32Array.from(x), 5);
      const y = alloc('float32', c.N * c.OC * c.H * c.W + 3);
      addon.conv2dForward(xb, 5, buffer(w), 0, null, 0, y, 3, geometry(c));
      expectClose(Float64Array.from(y.read(3, y.length - 3)), convForwardRef(c, x, w, null), 'y at offset');
    });

    it('gives the same gradient bits on one thread and on two, and from run to run', () => {
      const c = { ...base, N: 11, C: 4, OC: 6, ph: 1, pw: 1 };
      const x = buffer(random(c.N * c.C * c.H * c.W)), w = buffer(random(c.OC * c.C * 9)), dy = buffer(random(c.N * c.OC * c.H * c.W));
      const run = (threads: number) => {
        native.setNumThreads(threads);
        const dx = alloc('float32', c.N * c.C * c.H * c.W), dW = alloc('float32', c.OC * c.C * 9), db = alloc('float32', c.OC);
        addon.conv2dBackward(x, 0, w, 0, dy, 0, dx, 0, dW, 0, db, 0, geometry(c), false);
        return [dx, dW, db].map((t) => Array.from(t.read(0, t.length)));
      };
      const one = run(1), two = run(2);
      native.setNumThreads(initialThreads);
      expect(two).toEqual(one);
    });
  });

  // The CUDA kernels run im2col over chunks of images of at most 2^24 workspace values (conv.cu);
  // 120 images of 16 x 32 x 32 under a 3x3 kernel need two, the second partial.
  it.runIf(device === 'cuda')('more images than one im2col chunk: the values of the CPU kernels', () => {
    const c: Conv = { ...base, N: 120, C: 16, OC: 8, H: 32, W: 32, ph: 1, pw: 1 };
    const x = random(c.N * c.C * c.H * c.W), w = random(c.OC * c.C * 9), b = random(c.OC), dy = random(c.N * c.OC * c.H * c.W);
    const on = (dev: string) => {
      const put = (v: Float64Array) => {
        const t = dev === 'cuda' ? alloc('float32', v.length) : new native.NativeBuffer('float32', v.length);
        t.write(Float32Array.from(v), 0);
        return t;
      };
      const y = put(new Float64Array(dy.length)), dx = put(new Float64Array(x.length));
      const dW = put(new Float64Array(w.length)), db = put(new Float64Array(c.OC));
      addon.conv2dForward(put(x), 0, put(w), 0, put(b), 0, y, 0, geometry(c), true);
      addon.conv2dBackward(put(x), 0, put(w), 0, put(dy), 0, dx, 0, dW, 0, db, 0, geometry(c), false);
      return [y, dx, dW, db].map(read);
    };
    const gpu = on('cuda'), cpu = on('cpu');
    ['y', 'dx', 'dW', 'db'].forEach((name, i) => expectClose(gpu[i], cpu[i], name));
  });

  describe('pooling against the float64 definition', () => {
    const pool: Pool = { N: 2, C: 3, H: 7, W: 8, KH: 2, KW: 2, sh: 2, sw: 2, ph: 0, pw: 0, dh: 1, dw: 1 };
    const poolCases: [string, Pool][] = [
      ['2x2 stride 2 (LeNet)', pool],
      ['2x2 stride 2, rows of 4-window groups and a tail', { ...pool, H: 5, W: 21 }],
      ['3x3 stride 1 padding 1', { ...pool, KH: 3, KW: 3, sh: 1, sw: 1, ph: 1, pw: 1 }],
      ['3x2 stride 2x1 padding 1x0', { ...pool, KH: 3, sh: 2, sw: 1, ph: 1 }],
      ['3x3 stride 2 dilation 2 (max only)', { ...pool, KH: 3, KW: 3, dh: 2, dw: 2, ph: 1, pw: 1 }],
    ];
    for (const [name, p] of poolCases) {
      it(`max pooling, ${name}: values, indices and the gradient`, () => {
        const OH = outSize(p.H, p.KH, p.sh, p.ph, p.dh), OW = outSize(p.W, p.KW, p.sw, p.pw, p.dw);
        const x = random(p.N * p.C * p.H * p.W), dy = random(p.N * p.C * OH * OW);
        const y = alloc('float32', dy.length), idx = alloc('int32', dy.length);
        addon.maxPool2dForward(buffer(x), 0, y, 0, idx, 0, poolGeometry(p));
        const want = maxPoolRef(p, Float64Array.from(Float32Array.from(x)));
        expect(Array.from(idx.read(0, idx.length))).toEqual(Array.from(want.idx));
        expectClose(read(y), want.y, 'y');
        const dx = alloc('float32', x.length);
        addon.maxPool2dBackward(buffer(dy), 0, idx, 0, dx, 0, poolGeometry(p));
        const wantDx = new Float64Array(x.length);
        const planeOut = OH * OW, plane = p.H * p.W;
        want.idx.forEach((at, o) => { wantDx[Math.floor(o / planeOut) * plane + at] += dy[o]; });
        expectClose(read(dx), wantDx, 'dx');
      });
      if (p.dh !== 1) continue;
      for (const include of [true, false]) {
        it(`average pooling, ${name}, countIncludePad ${include}`, () => {
          const OH = outSize(p.H, p.KH, p.sh, p.ph, 1), OW = outSize(p.W, p.KW, p.sw, p.pw, 1);
          const x = random(p.N * p.C * p.H * p.W), dy = random(p.N * p.C * OH * OW);
          const y = alloc('float32', dy.length);
          addon.avgPool2dForward(buffer(x), 0, y, 0, poolGeometry(p), include);
          const want = avgPoolRef(p, x, include, dy);
          expectClose(read(y), want.y, 'y');
          const dx = alloc('float32', x.length);
          addon.avgPool2dBackward(buffer(dy), 0, dx, 0, poolGeometry(p), include);
          expectClose(read(dx), want.dx, 'dx');
        });
      }
    }

    it('max pooling returns a NaN in the window at its last position, as PyTorch', () => {
      const p: Pool = { N: 1, C: 1, H: 2, W: 2, KH: 2, KW: 2, sh: 2, sw: 2, ph: 0, pw: 0, dh: 1, dw: 1 };
      const y = alloc('float32', 1), idx = alloc('int32', 1);
      addon.maxPool2dForward(buffer(Float64Array.of(1, NaN, 5, NaN)), 0, y, 0, idx, 0, poolGeometry(p));
      expect(Number.isNaN(y.read(0, 1)[0])).toBe(true);
      expect(idx.read(0, 1)[0]).toBe(3);
    });

    it('2x2 max pooling keeps the rule (first tap, larger value or any NaN takes over) in every lane', () => {
      // Values from a small set, so ties and NaNs land in every SIMD lane and every tap position.
      const p: Pool = { N: 1, C: 3, H: 6, W: 22, KH: 2, KW: 2, sh: 2, sw: 2, ph: 0, pw: 0, dh: 1, dw: 1 };
      const pick = [-1, 0, 0, 1, NaN, -Infinity];
      const x = Float64Array.from({ length: p.C * p.H * p.W }, (_, i) => pick[(i * 7 + (i >> 3)) % pick.length]);
      const n = p.C * 3 * 11;
      const y = alloc('float32', n), idx = alloc('int32', n);
      addon.maxPool2dForward(buffer(x), 0, y, 0, idx, 0, poolGeometry(p));
      const want = maxPoolRef(p, x);
      expect(Array.from(idx.read(0, n))).toEqual(Array.from(want.idx));
      expect(Array.from(y.read(0, n))).toEqual(Array.from(want.y));
    });

    it('max pooling backward refuses an index outside its plane (on cuda: at the next read from the device)', () => {
      const p: Pool = { N: 1, C: 1, H: 2, W: 2, KH: 2, KW: 2, sh: 2, sw: 2, ph: 0, pw: 0, dh: 1, dw: 1 };
      const idx = alloc('int32', 1), dx = alloc('float32', 4);
      idx.write(Int32Array.of(4), 0);
      const backward = () => addon.maxPool2dBackward(buffer(Float64Array.of(1)), 0, idx, 0, dx, 0, poolGeometry(p));
      if (device === 'cpu') {
        expect(backward).toThrow('maxPool2d backward: indices[0] = 4 is outside its plane of 4');
      } else {
        backward();
        expect(() => dx.read(0, 4)).toThrow('maxPool2d backward: indices[0] = 4 is not a position of its pooling window in a plane of 4');
        expect(Array.from(dx.read(0, 4))).toEqual([0, 0, 0, 0]);
      }
    });

    for (const [H, W, OH, OW] of [[7, 8, 1, 1], [7, 8, 3, 5], [6, 6, 6, 6], [5, 9, 2, 4]]) {
      it(`adaptive average pooling ${H}x${W} -> ${OH}x${OW}`, () => {
        const x = random(2 * 3 * H * W), dy = random(2 * 3 * OH * OW);
        const y = alloc('float32', dy.length);
        addon.adaptiveAvgPool2dForward(buffer(x), 0, y, 0, [2, 3, H, W, OH, OW]);
        const want = adaptiveAvgPoolRef(2, 3, H, W, OH, OW, x, dy);
        expectClose(read(y), want.y, 'y');
        const dx = alloc('float32', x.length);
        addon.adaptiveAvgPool2dBackward(buffer(dy), 0, dx, 0, [2, 3, H, W, OH, OW]);
        expectClose(read(dx), want.dx, 'dx');
      });
    }
  });
});
