/**
 * Bad-input specs for the convolution and pooling bindings (native/napi/conv_napi.cc) and the
 * shared-buffer method, spread into `specs` by bad_input_cases.ts. The window geometry is an
 * array (kind 'any' for the generator); its bad values are hand-written cases.
 */
import { addon as native } from '../../src/backend/addon.js';
const convNative = native;
import type { Kind, Spec } from './bad_input_cases.js';
import { BF, BFN, BI, F, fn, I, OFF } from './bad_input_kinds.js';

const ANY: Kind = { k: 'any' };
const BOOL: Kind = { k: 'bool' };
// Convolution: N 2, C 4, 5x5, OC 6, 3x3 kernel, stride 1, pad 1, dilation 1, groups 2 → 5x5 out.
const CONV = [2, 4, 5, 5, 6, 3, 3, 1, 1, 1, 1, 1, 1, 2];
const X = 2 * 4 * 25, WT = 6 * 2 * 9, Y = 2 * 6 * 25;
// Pooling: N 1, C 3, 6x6, 2x2 window, stride 2, no pad, dilation 1 → 3x3 out.
const POOL = [1, 3, 6, 6, 2, 2, 2, 2, 0, 0, 1, 1];
const PIN = 3 * 36, POUT = 3 * 9;
const ADAPT = [1, 3, 6, 6, 4, 2];
const AOUT = 3 * 8;

/** The geometry at `at` replaced by `g`, in an otherwise valid call. */
const withGeometry = (name: string, valid: () => unknown[], at: number, g: unknown) => () => fn(name)(valid().map((v, i) => (i === at ? g : v)));
const geometryCases = (name: string, valid: () => unknown[], at: number, good: number[]) => ({
  'geometry not an array': withGeometry(name, valid, at, 5),
  'geometry one short': withGeometry(name, valid, at, good.slice(1)),
  'geometry with a negative': withGeometry(name, valid, at, good.map((v, i) => (i === 2 ? -1 : v))),
  'geometry with a fraction': withGeometry(name, valid, at, good.map((v, i) => (i === 2 ? 2.5 : v))),
  'geometry with a string': withGeometry(name, valid, at, good.map((v, i) => (i === 0 ? '2' : v))),
  'geometry 2^40': withGeometry(name, valid, at, good.map((v, i) => (i === 3 ? 2 ** 40 : v))),
});

const convForward = () => [F(X), 0, F(WT), 0, F(6), 0, F(Y), 0, CONV];
const convBackward = () => [F(X), 0, F(WT), 0, F(Y), 0, F(X), 0, F(WT), 0, F(6), 0, CONV, false];
const maxForward = () => [F(PIN), 0, F(POUT), 0, I(POUT), 0, POOL];
const maxBackward = () => [F(POUT), 0, I(POUT), 0, F(PIN), 0, POOL];
const avgForward = () => [F(PIN), 0, F(POUT), 0, POOL, true];
const avgBackward = () => [F(POUT), 0, F(PIN), 0, POOL, true];
const adaptForward = () => [F(PIN), 0, F(AOUT), 0, ADAPT];
const adaptBackward = () => [F(AOUT), 0, F(PIN), 0, ADAPT];


/** Calls binding `name`; where CUDA is unavailable, its "device 'cuda' is unavailable" error is the answer. */
function cudaCall(name: string) {
  return (args: unknown[]) => {
    try {
      return fn(name)(args);
    } catch (e) {
      if (e instanceof Error && / device 'cuda' is unavailable: /.test(e.message) && !(native.cudaStatus as () => { available: boolean })().available) {
        return undefined;
      }
      throw e;
    }
  };
}
export const convSpecs: Record<string, Spec> = {
  conv2dForward: {
    names: ['conv2d'],
    kinds: [BF, OFF(0), BF, OFF(2), BFN, OFF(4), BF, OFF(6), ANY],
    valid: convForward,
    call: fn('conv2dForward'),
    extra: {
      ...geometryCases('conv2dForward', convForward, 8, CONV),
      'groups not dividing the channels': withGeometry('conv2dForward', convForward, 8, CONV.map((v, i) => (i === 13 ? 3 : v))),
      'groups 0': withGeometry('conv2dForward', convForward, 8, CONV.map((v, i) => (i === 13 ? 0 : v))),
      'stride 0': withGeometry('conv2dForward', convForward, 8, CONV.map((v, i) => (i === 7 ? 0 : v))),
      'kernel larger than the padded input': withGeometry('conv2dForward', convForward, 8, CONV.map((v, i) => (i === 5 ? 9 : v))),
      'output is the input': () => { const x = F(X * 3); return convNative.conv2dForward(x, 0, F(WT), 0, null, 0, x, 0, CONV); },
    },
  },
  conv2dBackward: {
    names: ['conv2d backward'],
    kinds: [BF, OFF(0), BF, OFF(2), BF, OFF(4), BFN, OFF(6), BFN, OFF(8), BFN, OFF(10), ANY, BOOL],
    valid: convBackward,
    call: fn('conv2dBackward'),
    extra: {
      ...geometryCases('conv2dBackward', convBackward, 12, CONV),
      'gradInput is gradOutput': () => { const g = F(Y * 2); return convNative.conv2dBackward(F(X), 0, F(WT), 0, g, 0, g, 0, null, 0, null, 0, CONV, false); },
      'gradWeight overlaps gradBias': () => { const b = F(WT + 6); return convNative.conv2dBackward(F(X), 0, F(WT), 0, F(Y), 0, null, 0, b, 0, b, 2, CONV, false); },
    },
  },
  maxPool2dForward: {
    names: ['maxPool2d'],
    kinds: [BF, OFF(0), BF, OFF(2), BI, OFF(4), ANY],
    valid: maxForward,
    call: fn('maxPool2dForward'),
    extra: {
      ...geometryCases('maxPool2dForward', maxForward, 6, POOL),
      'padding past half the window': withGeometry('maxPool2dForward', maxForward, 6, POOL.map((v, i) => (i === 8 ? 2 : v))),
    },
  },
  maxPool2dBackward: {
    names: ['maxPool2d backward'],
    kinds: [BF, OFF(0), BI, OFF(2), BF, OFF(4), ANY],
    valid: maxBackward,
    call: fn('maxPool2dBackward'),
    extra: {
      ...geometryCases('maxPool2dBackward', maxBackward, 6, POOL),
      'an index past its plane': () => { const idx = I(POUT); idx.write(new Int32Array(POUT).fill(36), 0); return convNative.maxPool2dBackward(F(POUT), 0, idx, 0, F(PIN), 0, POOL); },
      'an index below -1': () => { const idx = I(POUT); idx.write(new Int32Array(POUT).fill(-2), 0); return convNative.maxPool2dBackward(F(POUT), 0, idx, 0, F(PIN), 0, POOL); },
    },
  },
  avgPool2dForward: {
    names: ['avgPool2d'],
    kinds: [BF, OFF(0), BF, OFF(2), ANY, BOOL],
    valid: avgForward,
    call: fn('avgPool2dForward'),
    extra: geometryCases('avgPool2dForward', avgForward, 4, POOL),
  },
  avgPool2dBackward: {
    names: ['avgPool2d backward'],
    kinds: [BF, OFF(0), BF, OFF(2), ANY, BOOL],
    valid: avgBackward,
    call: fn('avgPool2dBackward'),
    extra: geometryCases('avgPool2dBackward', avgBackward, 4, POOL),
  },
  adaptiveAvgPool2dForward: {
    names: ['adaptiveAvgPool2d'],
    kinds: [BF, OFF(0), BF, OFF(2), ANY],
    valid: adaptForward,
    call: fn('adaptiveAvgPool2dForward'),
    extra: {
      ...geometryCases('adaptiveAvgPool2dForward', adaptForward, 4, ADAPT),
      'output larger than the input': withGeometry('adaptiveAvgPool2dForward', adaptForward, 4, [1, 3, 6, 6, 7, 2]),
    },
  },
  adaptiveAvgPool2dBackward: {
    names: ['adaptiveAvgPool2d backward'],
    kinds: [BF, OFF(0), BF, OFF(2), ANY],
    valid: adaptBackward,
    call: fn('adaptiveAvgPool2dBackward'),
    extra: geometryCases('adaptiveAvgPool2dBackward', adaptBackward, 4, ADAPT),
  },
  scatterAddRows: {
    names: ['scatterAddRows'],
    kinds: [BF, OFF(0), { k: 'size', zero: 'ok' }, BI, OFF(3), { k: 'size', zero: 'ok' }, BF, OFF(6), { k: 'size', zero: 'ok' }],
    valid: () => [F(6), 0, 3, I(2), 0, 2, F(9), 0, 3],
    call: fn('scatterAddRows'),
    extra: {
      'an index past the rows': () => { const i = I(2); i.write(Int32Array.of(0, 3), 0); return fn('scatterAddRows')([F(6), 0, 3, i, 0, 2, F(9), 0, 3]); },
      'out is the source': () => { const b = F(9); return fn('scatterAddRows')([b, 0, 3, I(2), 0, 2, b, 0, 3]); },
    },
  },
  cudaStatus: { names: ['cudaStatus'], kinds: [], valid: () => [], call: fn('cudaStatus') },
  // Where CUDA is unavailable the valid call's answer is that error (bad arguments are refused
  // before it): cudaCall takes exactly that message as the valid outcome.
  cudaMemoryStats: { names: ['cuda.memoryStats'], kinds: [], valid: () => [], call: cudaCall('cudaMemoryStats') },
  cudaSynchronize: { names: ['cuda.synchronize'], kinds: [], valid: () => [], call: cudaCall('cudaSynchronize') },
  cudaEmptyCache: { names: ['cuda.emptyCache'], kinds: [], valid: () => [], call: cudaCall('cudaEmptyCache') },
  cudaSetTf32: { names: ['cuda.setAllowTF32'], kinds: [{ k: 'bool' }], valid: () => [false], call: cudaCall('cudaSetTf32') },
  'NativeBuffer.prototype.share': {
    names: ['share', 'NativeBuffer'],
    kinds: [{ k: 'self' }],
    valid: () => [F(4)],
    call: (args) => ((native.NativeBuffer.prototype as unknown as { share: (...a: unknown[]) => unknown }).share).call(args[0], ...args.slice(1)),
    extra: {
      'an empty buffer': () => (F(0) as unknown as { share(): number }).share(),
      'a shared id that never existed': () => new native.NativeBuffer('float32', 4, { shared: 2 ** 45 }),
      'a shared id that is not a number': () => new native.NativeBuffer('float32', 4, { shared: 'x' } as never),
    },
  },
};
