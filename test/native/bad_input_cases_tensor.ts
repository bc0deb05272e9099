/**
 * Bad-input specs for the tensor-core and attention bindings (native/napi/strided_napi.cc,
 * gemm_napi.cc's gemmBatched, masked_softmax_napi.cc, layout_napi.cc's indexSelect/indexAdd),
 * spread into `specs` by bad_input_cases.ts. Shapes, strides and the mask geometry are arrays
 * (kind 'any' for the generator); their bad values are hand-written cases.
 */
import { addon as native } from '../../src/backend/addon.js';
import type { Kind, Spec } from './bad_input_cases.js';
import { BF, BFN, BI, F, fn, I, Iof, OFF, OP, SIZE } from './bad_input_kinds.js';

const ANY: Kind = { k: 'any' };
const BOOL: Kind = { k: 'bool' };
const NUM: Kind = { k: 'num' };
const FINITE: Kind = { k: 'finite' };
const STRIDE: Kind = { k: 'int', min: 0, max: 2 ** 32 };
const ld = (min: number): Kind => ({ k: 'int', min, max: 2 ** 32 });

/** The call `valid()` with argument `at` replaced by `v`. */
const withArg = (name: string, valid: () => unknown[], at: number, v: unknown) => () => fn(name)(valid().map((x, i) => (i === at ? v : x)));
/** Bad shape / strides arrays at `at` (a valid one is `good`). */
const arrayCases = (name: string, valid: () => unknown[], at: number, good: number[], what: string) => ({
  [`${what} not an array`]: withArg(name, valid, at, 6),
  [`${what} one entry short`]: withArg(name, valid, at, good.slice(1)),
  [`${what} with a negative`]: withArg(name, valid, at, good.map((v, i) => (i === 0 ? -1 : v))),
  [`${what} with a fraction`]: withArg(name, valid, at, good.map((v, i) => (i === 0 ? 1.5 : v))),
  [`${what} with a string`]: withArg(name, valid, at, good.map((v, i) => (i === 0 ? '2' : v))),
  [`${what} 2^40`]: withArg(name, valid, at, good.map((v, i) => (i === 0 ? 2 ** 40 : v))),
});

// copyStrided: a [2, 3] transpose: source [3, 2] read at strides [1, 2]... as (src [3,1]) -> dst [1,2].
const copy = () => [F(6), 0, [3, 1], F(6), 0, [1, 2], [2, 3]];
// binaryStrided: [2, 3] + a row of 3.
const binary = () => [0, F(6), 0, [3, 1], F(3), 0, [0, 1], F(6), 0, [2, 3]];
// where: a row condition, a full a, a scalar b.
const whereArgs = () => [I(3), 0, [0, 1], F(6), 0, [3, 1], F(1), 0, [0, 0], F(6), 0, [2, 3]];
// gemmBatched: 2 products of [2, 4] x [4, 3].
const gemm = () => [false, false, 2, 3, 4, 1, F(16), 0, 4, 8, F(24), 0, 3, 12, 0, F(12), 0, 3, 6, 2];
// maskedSoftmax: 2 groups of 3 rows of 5 columns, an attn mask [3, 5].
const softmax = () => [F(30), 0, F(30), 0, 6, 5, 0.5, F(15), 0, [3, 1, 0, 5]];
const softmaxBackward = () => [F(30), 0, F(30), 0, F(30), 0, 6, 5, 0.5];
// indexSelect: [2, 3, 2] along the middle at [0, 0].
const select = () => [F(12), 0, 2, 3, 2, I(2), 0, 2, F(8), 0];
const indexAdd = () => [F(8), 0, 2, 2, 2, I(2), 0, F(12), 0, 3];

export const tensorSpecs: Record<string, Spec> = {
  copyStrided: {
    names: ['copyStrided'],
    kinds: [BF, OFF(0), ANY, BF, OFF(3), ANY, ANY],
    valid: copy,
    call: fn('copyStrided'),
    extra: {
      ...arrayCases('copyStrided', copy, 6, [2, 3], 'shape'),
      ...arrayCases('copyStrided', copy, 2, [3, 1], 'source strides'),
      'a stride reaching past the source': withArg('copyStrided', copy, 2, [4, 1]),
      '17 dimensions': withArg('copyStrided', copy, 6, new Array(17).fill(1)),
      'destination overlapping the source': () => { const b = F(12); return native.copyStrided(b, 0, [3, 1], b, 3, [3, 1], [2, 3]); },
      'int32 source, float32 destination': withArg('copyStrided', copy, 0, I(6)),
    },
  },
  binaryStrided: {
    names: ['binaryStrided', 'add', 'sub', 'mul', 'div', 'maximum', 'minimum'],
    kinds: [OP(native.binaryOps), BF, OFF(1), ANY, BF, OFF(4), ANY, BF, OFF(7), ANY],
    valid: binary,
    call: fn('binaryStrided'),
    extra: {
      ...arrayCases('binaryStrided', binary, 9, [2, 3], 'shape'),
      ...arrayCases('binaryStrided', binary, 6, [0, 1], 'b strides'),
      'out overlapping a, shifted': () => { const b = F(9); return native.binaryStrided(0, b, 0, [3, 1], F(3), 0, [0, 1], b, 3, [2, 3]); },
      'out is a read with broadcast strides': () => { const b = F(6); return native.binaryStrided(0, b, 0, [0, 1], F(3), 0, [0, 1], b, 0, [2, 3]); },
    },
  },
  where: {
    names: ['where'],
    kinds: [BI, OFF(0), ANY, BF, OFF(3), ANY, BF, OFF(6), ANY, BF, OFF(9), ANY],
    valid: whereArgs,
    call: fn('where'),
    extra: {
      ...arrayCases('where', whereArgs, 11, [2, 3], 'shape'),
      ...arrayCases('where', whereArgs, 2, [0, 1], 'condition strides'),
      'out is a': () => { const b = F(6); return native.where(I(3), 0, [0, 1], b, 0, [3, 1], F(1), 0, [0, 0], b, 0, [2, 3]); },
    },
  },
  gemmBatched: {
    names: ['gemmBatched'],
    kinds: [BOOL, BOOL, SIZE, SIZE, SIZE, NUM, BF, OFF(6), ld(4), STRIDE, BF, OFF(10), ld(3), STRIDE, NUM, BF, OFF(15), ld(3), STRIDE, SIZE],
    valid: gemm,
    call: fn('gemmBatched'),
    extra: {
      'C products overlapping (strideC below one C)': withArg('gemmBatched', gemm, 18, 5),
      'C is A': () => { const b = F(24); return native.gemmBatched(false, false, 2, 3, 4, 1, b, 0, 4, 8, F(24), 0, 3, 12, 0, b, 0, 3, 6, 2); },
    },
  },
  maskedSoftmax: {
    names: ['maskedSoftmax'],
    kinds: [BF, OFF(0), BF, OFF(2), SIZE, SIZE, FINITE, BFN, OFF(7), ANY],
    valid: softmax,
    call: fn('maskedSoftmax'),
    extra: {
      ...arrayCases('maskedSoftmax', softmax, 9, [3, 1, 0, 5], 'mask geometry'),
      'zero rows per group': withArg('maskedSoftmax', softmax, 9, [0, 1, 0, 5]),
      'a mask stride reaching past the mask': withArg('maskedSoftmax', softmax, 9, [3, 1, 15, 5]),
      'y overlapping x, shifted': () => { const b = F(35); return native.maskedSoftmax(b, 0, b, 5, 6, 5, 1, null, 0, [1, 1, 0, 0]); },
      'y is the mask': () => { const b = F(30); return native.maskedSoftmax(F(30), 0, b, 0, 6, 5, 1, b, 0, [3, 1, 0, 5]); },
    },
  },
  maskedSoftmaxBackward: {
    names: ['maskedSoftmax backward'],
    kinds: [BF, OFF(0), BF, OFF(2), BF, OFF(4), SIZE, SIZE, FINITE],
    valid: softmaxBackward,
    call: fn('maskedSoftmaxBackward'),
    extra: {
      'gradIn overlapping y, shifted': () => { const b = F(35); return native.maskedSoftmaxBackward(b, 0, F(30), 0, b, 5, 6, 5, 1); },
    },
  },
  indexSelect: {
    names: ['indexSelect'],
    kinds: [BF, OFF(0), SIZE, SIZE, SIZE, BI, OFF(5), SIZE, BF, OFF(8)],
    valid: select,
    call: fn('indexSelect'),
    extra: {
      'index past the last row': () => native.indexSelect(F(12), 0, 2, 3, 2, Iof(0, 3), 0, 2, F(8), 0),
      'negative index': () => native.indexSelect(F(12), 0, 2, 3, 2, Iof(-1, 0), 0, 2, F(8), 0),
      'out overlapping the source': () => { const b = F(20); return native.indexSelect(b, 0, 2, 3, 2, I(2), 0, 2, b, 4); },
    },
  },
  indexAdd: {
    names: ['indexAdd'],
    kinds: [BF, OFF(0), SIZE, SIZE, SIZE, BI, OFF(5), BF, OFF(7), SIZE],
    valid: indexAdd,
    call: fn('indexAdd'),
    extra: {
      'index past the last row': () => native.indexAdd(F(8), 0, 2, 2, 2, Iof(3, 0), 0, F(12), 0, 3),
      'out overlapping the source': () => { const b = F(20); return native.indexAdd(b, 0, 2, 2, 2, I(2), 0, b, 4, 3); },
    },
  },
};
