/**
 * Bad-input cases for every function the native addon exports.
 *
 * Each binding is described once: a valid argument list (buffers sized exactly to what the
 * call needs) and the kind of every argument. From the kinds the cases are generated
 * mechanically: wrong argument counts, wrong types, NaN, negative, fractional, zero and huge
 * sizes (1e15, 2^53, 2^32 and all sizes 2^32 at once, the product that wraps int64), buffers
 * one element short, offsets at and past the end, buffers of the wrong dtype and disposed
 * buffers. Content-dependent cases (an index out of range, aliasing) are written by hand.
 *
 * `must` cases have to throw an Error whose message starts with one of the op's names;
 * `either` cases (a zero size, a NaN scalar operand) may also return, they only must not crash.
 */
import { addon as native, type NativeBuffer } from '../../src/backend/addon.js';
import { cpuBackend } from '../../src/backend/cpu.js';
import { type StepGlobal, type StepRow, StepTable, neutralRow } from '../../src/optim/step_table.js';

const optimAddon = native;
import { nnSpecs } from './bad_input_cases_nn.js';
import { convSpecs } from './bad_input_cases_conv.js';
import { tensorSpecs } from './bad_input_cases_tensor.js';
import { recurrentSpecs } from './bad_input_cases_recurrent.js';
import { BF, BI, F, fn, I, MAX_SAFE, OFF, OP, SIZE, SIZE_NZ } from './bad_input_kinds.js';

type DTypeName = 'float32' | 'int32';

export type Kind =
  | { k: 'op'; count: number } // enum code in [0, count)
  | { k: 'buf'; dtype: DTypeName; nullable?: boolean } // a tensor buffer argument
  | { k: 'self' } // the receiver of a NativeBuffer method
  | { k: 'off'; of: number } // element offset into the buffer at argument `of`
  | { k: 'size'; zero: 'ok' | 'throws'; exact?: boolean } // a dimension; exact: buffers are sized by it
  | { k: 'int'; min: number; max: number } // another bounded integer
  | { k: 'num' } // any number: NaN is allowed (IEEE arithmetic on a scalar operand)
  | { k: 'finite' } // a finite number
  | { k: 'bool' }
  | { k: 'typed'; dtype: DTypeName } // a typed array of the buffer's dtype
  | { k: 'f64' } // a Float64Array whose length the binding checks (the optimizer step table)
  | { k: 'dtype' }
  | { k: 'any' }; // accepts every value (documented truthiness flags)

export interface Spec {
  /** Accepted prefixes of the error message: the binding's name and the op names it reports. */
  names: string[];
  kinds: Kind[];
  /** Fewest arguments accepted, when trailing ones are optional (default: all). */
  minArgs?: number;
  /** A valid argument list; the receiver comes first for methods. */
  valid: () => unknown[];
  call: (args: unknown[]) => unknown;
  /** Hand-written cases that must throw. */
  extra?: Record<string, () => unknown>;
}

export interface Case {
  name: string;
  expect: 'must' | 'either';
  run: () => unknown;
}

const disposed = (dtype: DTypeName, n: number) => {
  const b = new native.NativeBuffer(dtype, Math.max(n, 1));
  b.dispose();
  return b;
};
const method = (name: keyof NativeBuffer) => (args: unknown[]) =>
  (native.NativeBuffer.prototype[name] as (...a: unknown[]) => unknown).call(args[0], ...args.slice(1));

const binaryOps = native.binaryOps;
const relu = native.unaryOps.relu;
const MAX_INDEX = 2 ** 31 - 1; // data bindings index rows with int32
const SEED: Kind = { k: 'int', min: 0, max: MAX_SAFE };
const BF_OPT: Kind = { k: 'buf', dtype: 'float32', nullable: true };
const BI_OPT: Kind = { k: 'buf', dtype: 'int32', nullable: true };
const Fv = (values: number[]) => {
  const b = F(values.length);
  b.write(Float32Array.from(values), 0);
  return b;
};
const Iv = (values: number[]) => {
  const b = I(values.length);
  b.write(Int32Array.from(values), 0);
  return b;
};
/** A hand-written case: the spec's valid call with some arguments edited. */
const variant = (key: string, edit: (args: unknown[]) => void) => () => {
  const args = specs[key].valid();
  edit(args);
  return specs[key].call(args);
};

/** An optimizer step table (the TS caller's own writer) over an arena of 4: one Adam group by default. */
function stepTable(rows: Partial<StepRow>[] = [{}], global: Partial<StepGlobal> = {}): Float64Array {
  const t = new StepTable(rows.length);
  t.writeGlobal({ clipValue: Infinity, clipNorm: 0, checkFinite: false, ...global });
  rows.forEach((r, i) =>
    t.writeRow(i, { ...neutralRow(), count: 4, lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, stepSize: 0.1, ...r }));
  return t.data;
}
const kinds = optimAddon.optimKinds;
const optimTable = (rows?: Partial<StepRow>[], global?: Partial<StepGlobal>) =>
  variant('optimStep', (a) => (a[12] = stepTable(rows, global)));

/** Every exported function, and every NativeBuffer method, by name. */
export const specs: Record<string, Spec> = {
  ...nnSpecs,
  ...convSpecs,
  ...tensorSpecs,
  ...recurrentSpecs,
  NativeBuffer: {
    names: ['NativeBuffer'],
    minArgs: 2,
    kinds: [{ k: 'dtype' }, { k: 'size', zero: 'ok', exact: false }, { k: 'any' }],
    // The third argument (zero-fill) is read for its truthiness.
    valid: () => ['float32', 8, false],
    call: (args) => new (native.NativeBuffer as unknown as new (...a: unknown[]) => unknown)(...args),
  },
  'NativeBuffer.prototype.read': {
    names: ['read'],
    kinds: [{ k: 'self' }, OFF(0), SIZE],
    valid: () => [F(4), 0, 4],
    call: method('read'),
  },
  'NativeBuffer.prototype.write': {
    names: ['write'],
    kinds: [{ k: 'self' }, { k: 'typed', dtype: 'float32' }, OFF(0)],
    valid: () => [F(4), new Float32Array(4), 0],
    call: method('write'),
    extra: {
      'int32 buffer given a Float32Array': () => I(2).write(new Float32Array(2), 0),
    },
  },
  'NativeBuffer.prototype.copyFrom': {
    names: ['copyFrom'],
    kinds: [{ k: 'self' }, BF, OFF(1), OFF(0), SIZE],
    valid: () => [F(4), F(4), 0, 0, 4],
    call: method('copyFrom'),
  },
  'NativeBuffer.prototype.dispose': {
    names: ['dispose'],
    kinds: [{ k: 'any' }],
    valid: () => [F(4)],
    call: method('dispose'),
  },
  memoryStats: { names: ['memoryStats'], kinds: [], valid: () => [], call: fn('memoryStats') },
  numThreads: { names: ['numThreads'], kinds: [], valid: () => [], call: fn('numThreads') },
  gemmIsa: { names: ['gemmIsa'], kinds: [], valid: () => [], call: fn('gemmIsa') },
  gemmIsas: { names: ['gemmIsas'], kinds: [], valid: () => [], call: fn('gemmIsas') },
  fmaPeak: {
    names: ['fmaPeak'],
    kinds: [{ k: 'int', min: 1, max: 256 }, { k: 'int', min: 1, max: 1e9 }],
    valid: () => [1, 1000],
    call: fn('fmaPeak'),
  },
  clockGHz: { names: ['clockGHz'], kinds: [{ k: 'int', min: 1, max: 1e9 }], valid: () => [1000], call: fn('clockGHz') },
  gemmSetIsa: {
    names: ['gemmSetIsa'],
    // A string: the wrong-type cases come from the 'dtype' kind; bad names are written out.
    kinds: [{ k: 'dtype' }],
    valid: () => [(native.gemmIsa as () => string)()],
    call: fn('gemmSetIsa'),
    extra: {
      'unknown ISA name': () => (native.gemmSetIsa as (n: string) => void)('sse9'),
      'empty name': () => (native.gemmSetIsa as (n: string) => void)(''),
    },
  },
  setNumThreads: {
    names: ['setNumThreads'],
    kinds: [{ k: 'int', min: 1, max: 256 }],
    valid: () => [native.numThreads()],
    call: fn('setNumThreads'),
  },
  binary: {
    names: ['binary', 'add'],
    // a [2,3] full, b a row of 3, out [2,3]
    kinds: [OP(binaryOps), BF, OFF(1), { k: 'int', min: 0, max: 3 }, BF, OFF(4), { k: 'int', min: 0, max: 3 }, BF, OFF(7), SIZE, SIZE],
    valid: () => [binaryOps.add, F(6), 0, native.broadcastModes.full, F(3), 0, native.broadcastModes.row, F(6), 0, 2, 3],
    call: fn('binary'),
  },
  binaryScalar: {
    names: ['binaryScalar', 'add'],
    kinds: [OP(binaryOps), BF, OFF(1), { k: 'num' }, { k: 'bool' }, BF, OFF(5), SIZE],
    valid: () => [binaryOps.add, F(5), 0, 2, false, F(5), 0, 5],
    call: fn('binaryScalar'),
  },
  unary: {
    names: ['unary', 'relu', 'clamp', 'leakyRelu'],
    kinds: [OP(native.unaryOps), BF, OFF(1), BF, OFF(3), SIZE, { k: 'num' }, { k: 'num' }],
    valid: () => [relu, F(5), 0, F(5), 0, 5, 0, 0],
    call: fn('unary'),
    extra: {
      'clamp with min > max': () => native.unary(native.unaryOps.clamp, F(2), 0, F(2), 0, 2, 1, 0),
      'clamp with a NaN bound': () => native.unary(native.unaryOps.clamp, F(2), 0, F(2), 0, 2, NaN, 1),
      'leakyRelu with a NaN slope': () => native.unary(native.unaryOps.leakyRelu, F(2), 0, F(2), 0, 2, NaN, 0),
    },
  },
  unaryBackward: {
    names: ['unaryBackward', 'relu backward', 'clamp backward'],
    kinds: [OP(native.unaryOps), BF, OFF(1), BF, OFF(3), BF, OFF(5), SIZE, { k: 'num' }, { k: 'num' }],
    valid: () => [relu, F(5), 0, F(5), 0, F(5), 0, 5, 0, 0],
    call: fn('unaryBackward'),
    extra: {
      'clamp backward with min > max': () =>
        native.unaryBackward(native.unaryOps.clamp, F(2), 0, F(2), 0, F(2), 0, 2, 1, 0),
    },
  },
  fill: {
    names: ['fill'],
    kinds: [BF, OFF(0), SIZE, { k: 'num' }],
    valid: () => [F(5), 0, 5, 1.5],
    call: fn('fill'),
    extra: {
      'int32 fill with a fraction': () => native.fill(I(2), 0, 2, 1.5),
      'int32 fill with NaN': () => native.fill(I(2), 0, 2, NaN),
      'int32 fill with 2^31': () => native.fill(I(2), 0, 2, 2 ** 31),
    },
  },
  reduce: {
    names: ['reduce', 'sum', 'max'],
    // [outer 2, n 3, inner 2] -> [2, 2]
    kinds: [OP(native.reduceOps), BF, OFF(1), SIZE, SIZE, SIZE, BF, OFF(6)],
    valid: () => [native.reduceOps.sum, F(12), 0, 2, 3, 2, F(4), 0],
    call: fn('reduce'),
    extra: {
      'max over an empty axis': () => native.reduce(native.reduceOps.max, F(1), 0, 1, 0, 1, F(1), 0),
    },
  },
  argmax: {
    names: ['argmax'],
    kinds: [BF, OFF(0), SIZE, SIZE_NZ, SIZE, BI, OFF(5)],
    valid: () => [F(12), 0, 2, 3, 2, I(4), 0],
    call: fn('argmax'),
  },
  transpose: {
    names: ['transpose'],
    kinds: [BF, OFF(0), SIZE, SIZE, BF, OFF(4)],
    valid: () => [F(6), 0, 2, 3, F(6), 0],
    call: fn('transpose'),
    extra: {
      'input and out the same memory': () => {
        const b = F(6);
        return native.transpose(b, 0, 2, 3, b, 0);
      },
      'input and out overlapping': () => {
        const b = F(9);
        return native.transpose(b, 0, 2, 3, b, 3);
      },
    },
  },
  gatherRows: {
    names: ['gatherRows'],
    // 3 source rows of 2, gather 2 rows (index [0, 0])
    kinds: [BF, OFF(0), SIZE, SIZE, BI, OFF(4), SIZE, BF, OFF(7)],
    valid: () => [F(6), 0, 2, 3, I(2), 0, 2, F(4), 0],
    call: fn('gatherRows'),
    extra: {
      'negative index': () => {
        const index = I(2);
        index.write(Int32Array.of(0, -1), 0);
        return native.gatherRows(F(6), 0, 2, 3, index, 0, 2, F(4), 0);
      },
      'index past the last row': () => {
        const index = I(2);
        index.write(Int32Array.of(3, 0), 0);
        return native.gatherRows(F(6), 0, 2, 3, index, 0, 2, F(4), 0);
      },
      'out overlapping the source': () => {
        const b = F(10);
        return native.gatherRows(b, 0, 2, 3, I(2), 0, 2, b, 4);
      },
      'int32 out aliasing the index': () => {
        const index = I(4);
        return native.gatherRows(I(6), 0, 2, 3, index, 0, 2, index, 0);
      },
    },
  },
  firstNonFinite: {
    names: ['firstNonFinite'],
    kinds: [BF, OFF(0), SIZE],
    valid: () => [F(5), 0, 5],
    call: fn('firstNonFinite'),
  },
  choleskyF64: {
    names: ['choleskyF64'],
    kinds: [{ k: 'f64' }, { k: 'int', min: 0, max: 1 << 15 }],
    valid: () => [Float64Array.of(4, 2, 0, 2, 3, 0, 0, 0, 1), 3],
    call: fn('choleskyF64'),
  },
  triangularSolveF64: {
    names: ['triangularSolveF64'],
    kinds: [{ k: 'f64' }, { k: 'int', min: 0, max: 1 << 15 }, { k: 'f64' }, { k: 'int', min: 0, max: 2 ** 24 }, { k: 'bool' }],
    valid: () => [Float64Array.of(2, 0, 0, 1, 1, 0, 0, 0, 1), 3, new Float64Array(6), 2, false],
    call: fn('triangularSolveF64'),
  },
  choleskyInverseF64: {
    names: ['choleskyInverseF64'],
    kinds: [{ k: 'f64' }, { k: 'int', min: 0, max: 1 << 15 }, { k: 'f64' }],
    valid: () => [Float64Array.of(2, 0, 0, 1, 1, 0, 0, 0, 1), 3, new Float64Array(9)],
    call: fn('choleskyInverseF64'),
  },
  randomUniform: {
    names: ['randomUniform'],
    kinds: [BF, OFF(0), SIZE, { k: 'int', min: 0, max: MAX_SAFE }, { k: 'int', min: 0, max: MAX_SAFE }, { k: 'finite' }, { k: 'finite' }],
    valid: () => [F(5), 0, 5, 1, 0, -1, 1],
    call: fn('randomUniform'),
    extra: { 'low > high': () => native.randomUniform(F(2), 0, 2, 1, 0, 1, -1) },
  },
  randomNormal: {
    names: ['randomNormal'],
    kinds: [BF, OFF(0), SIZE, { k: 'int', min: 0, max: MAX_SAFE }, { k: 'int', min: 0, max: MAX_SAFE }, { k: 'finite' }, { k: 'finite' }],
    valid: () => [F(5), 0, 5, 1, 0, 0, 1],
    call: fn('randomNormal'),
    extra: { 'negative std': () => native.randomNormal(F(2), 0, 2, 1, 0, 0, -1) },
  },
  gemm: {
    names: ['gemm'],
    // C[2,3] = A[2,4] B[4,3] + bias[3]
    kinds: [
      { k: 'bool' }, { k: 'bool' }, SIZE, SIZE, SIZE, { k: 'num' },
      BF, OFF(6), SIZE_NZ, BF, OFF(9), SIZE_NZ, { k: 'num' }, BF, OFF(13), SIZE_NZ,
      { k: 'buf', dtype: 'float32', nullable: true }, OFF(16), { k: 'bool' },
    ],
    valid: () => [false, false, 2, 3, 4, 1, F(8), 0, 4, F(12), 0, 3, 0, F(6), 0, 3, F(3), 0, false],
    call: fn('gemm'),
    extra: {
      'C aliasing A': () => {
        const a = F(16);
        return native.gemm(false, false, 2, 2, 2, 1, a, 0, 2, F(4), 0, 2, 0, a, 8, 2, null, 0, false);
      },
    },
  },
  optimStep: {
    names: ['optimStep', ...Object.keys(kinds)],
    // param, grad and three state arenas of 4; the table holds one Adam group over all of them
    kinds: [OP(kinds), BF, OFF(1), BF, OFF(3), BF_OPT, OFF(5), BF_OPT, OFF(7), BF_OPT, OFF(9), SIZE, { k: 'f64' }],
    valid: () => [kinds.adam, F(4), 0, F(4), 0, F(4), 0, F(4), 0, F(4), 0, 4, stepTable()],
    call: fn('optimStep'),
    extra: {
      'a row field NaN': optimTable([{ lr: NaN }]),
      'a row field Infinity': optimTable([{ eps: Infinity }]),
      'a slice past the arena': optimTable([{ count: 5 }]),
      'a second group past the arena': optimTable([{ count: 2 }, { offset: 2, count: 3 }]),
      'a fractional slice offset': optimTable([{ offset: 0.5, count: 3 }]),
      'a negative slice count': optimTable([{ count: -1 }]),
      'bc2Sqrt zero': optimTable([{ bc2Sqrt: 0 }]),
      'clipValue zero': optimTable(undefined, { clipValue: 0 }),
      'clipValue NaN': optimTable(undefined, { clipValue: NaN }),
      'clipNorm negative': optimTable(undefined, { clipNorm: -1 }),
      'clipNorm Infinity': optimTable(undefined, { clipNorm: Infinity }),
      'adam without state 0': variant('optimStep', (a) => (a[5] = null)),
      'amsgrad without state 2': variant('optimStep', (a) => {
        a[9] = null;
        a[12] = stepTable([{ amsgrad: true }]);
      }),
      'sgd with momentum without state 0': variant('optimStep', (a) => {
        a[0] = kinds.sgd;
        a[5] = null;
        a[12] = stepTable([{ momentum: 0.9 }]);
      }),
      'centered rmsprop without state 2': variant('optimStep', (a) => {
        a[0] = kinds.rmsprop;
        a[9] = null;
        a[12] = stepTable([{ alpha: 0.99, centered: true }]);
      }),
      'param and grad the same memory': variant('optimStep', (a) => (a[3] = a[1])),
      'param and grad overlapping': variant('optimStep', (a) => {
        a[1] = a[3] = F(6);
        a[4] = 2;
      }),
      'state 1 overlapping state 0': variant('optimStep', (a) => {
        a[5] = a[7] = F(5);
        a[8] = 1;
      }),
    },
  },
  copyFloats: {
    names: ['copyFloats'],
    kinds: [BF, OFF(0), BF, OFF(2), SIZE],
    valid: () => [F(5), 0, F(5), 0, 5],
    call: fn('copyFloats'),
    extra: {
      'dst and src the same memory': variant('copyFloats', (a) => (a[2] = a[0])),
      'dst and src overlapping': variant('copyFloats', (a) => {
        a[0] = a[2] = F(8);
        a[3] = 3;
      }),
    },
  },
  gatherBatch: {
    names: ['gatherBatch'],
    // 3 rows of 2 with labels, gather 2 (index [0, 0]) through scale and shift
    kinds: [BF, OFF(0), SIZE, SIZE, BI_OPT, OFF(4), BI, OFF(6), SIZE,
      BF_OPT, OFF(9), BF_OPT, OFF(11), BF, OFF(13), BI_OPT, OFF(15)],
    valid: () => [F(6), 0, 2, 3, I(3), 0, I(2), 0, 2, F(2), 0, F(2), 0, F(4), 0, I(2), 0],
    call: fn('gatherBatch'),
    extra: {
      'negative index': variant('gatherBatch', (a) => (a[6] = Iv([0, -1]))),
      'index past the last row': variant('gatherBatch', (a) => (a[6] = Iv([3, 0]))),
      'y without yOut': variant('gatherBatch', (a) => (a[15] = null)),
      'yOut without y': variant('gatherBatch', (a) => (a[4] = null)),
      'scale without shift': variant('gatherBatch', (a) => (a[11] = null)),
      'shift without scale': variant('gatherBatch', (a) => (a[9] = null)),
      'xOut the same buffer as x': variant('gatherBatch', (a) => {
        a[0] = a[13] = F(10);
        a[14] = 6;
      }),
      'xOut the same buffer as scale': variant('gatherBatch', (a) => {
        a[9] = a[13] = F(6);
        a[14] = 2;
      }),
      'xOut the same buffer as shift': variant('gatherBatch', (a) => (a[11] = a[13])),
      'yOut the same buffer as y': variant('gatherBatch', (a) => {
        a[4] = a[15] = I(5);
        a[16] = 3;
      }),
      'yOut the same buffer as index': variant('gatherBatch', (a) => (a[15] = a[6])),
    },
  },
  knn: {
    names: ['knn'],
    // 3 data rows of 2, 2 separate queries, k 2, with distances
    kinds: [BF, OFF(0), SIZE, SIZE, BF, OFF(4), SIZE, SIZE_NZ, { k: 'bool' }, BI, OFF(9), BF_OPT, OFF(11)],
    valid: () => [Fv([0, 0, 1, 0, 0, 2]), 0, 3, 2, Fv([1, 1, 0, 1]), 0, 2, 2, false, I(4), 0, F(4), 0],
    call: fn('knn'),
    extra: {
      'k more than the rows': variant('knn', (a) => {
        a[7] = 4;
        a[9] = I(8);
        a[11] = F(8);
      }),
      'excludeSelf with k equal to the rows': variant('knn', (a) => {
        Object.assign(a, { 4: a[0], 6: 3, 7: 3, 8: true, 9: I(9), 11: F(9) });
      }),
      'excludeSelf with other queries': variant('knn', (a) => (a[8] = true)),
      'excludeSelf with the same buffer at another offset': variant('knn', (a) => {
        a[0] = a[4] = F(8);
        Object.assign(a, { 5: 2, 6: 3, 8: true, 9: I(6), 11: F(6) });
      }),
      'outDist the same buffer as data': variant('knn', (a) => {
        a[0] = a[11] = F(10);
        a[12] = 6;
      }),
      'outDist the same buffer as query': variant('knn', (a) => {
        a[4] = a[11] = F(8);
        a[12] = 4;
      }),
      'NaN in data': variant('knn', (a) => (a[0] = Fv([0, 0, NaN, 0, 0, 2]))),
      'Infinity in query': variant('knn', (a) => (a[4] = Fv([1, 1, 0, -Infinity]))),
    },
  },
  smoteInterpolate: {
    names: ['smoteInterpolate'],
    // 3 rows of 2, 2 neighbours each (all row 0), 2 synthetic rows
    kinds: [BF, OFF(0), SIZE_NZ, SIZE, BI, OFF(4), SIZE_NZ, SIZE, SEED, SEED, BF, OFF(10)],
    valid: () => [F(6), 0, 3, 2, I(6), 0, 2, 2, 1, 0, F(4), 0],
    call: fn('smoteInterpolate'),
    extra: {
      'negative neighbour': variant('smoteInterpolate', (a) => (a[4] = Iv([0, 1, 2, -1, 0, 1]))),
      'neighbour past the last row': variant('smoteInterpolate', (a) => (a[4] = Iv([0, 1, 2, 3, 0, 1]))),
      'out the same buffer as x': variant('smoteInterpolate', (a) => {
        a[0] = a[10] = F(10);
        a[11] = 6;
      }),
    },
  },
  randperm: {
    names: ['randperm'],
    kinds: [BI, OFF(0), SIZE, SEED, SEED],
    valid: () => [I(5), 0, 5, 1, 0],
    call: fn('randperm'),
  },
  randomIndex: {
    names: ['randomIndex'],
    kinds: [BI, OFF(0), SIZE, { k: 'int', min: 1, max: MAX_INDEX }, SEED, SEED],
    valid: () => [I(5), 0, 5, 3, 1, 0],
    call: fn('randomIndex'),
  },
  weightedIndex: {
    names: ['weightedIndex'],
    kinds: [BF, OFF(0), SIZE_NZ, BI, OFF(3), SIZE, SEED, SEED],
    valid: () => [Fv([1, 0, 2]), 0, 3, I(4), 0, 4, 1, 0],
    call: fn('weightedIndex'),
    extra: {
      'a NaN weight': variant('weightedIndex', (a) => (a[0] = Fv([1, NaN, 2]))),
      'an infinite weight': variant('weightedIndex', (a) => (a[0] = Fv([1, Infinity, 2]))),
      'a negative weight': variant('weightedIndex', (a) => (a[0] = Fv([1, -1, 2]))),
      'all weights zero': variant('weightedIndex', (a) => (a[0] = F(3))),
    },
  },
  columnStats: {
    names: ['columnStats'],
    // [3, 2] -> mean, std, min, max of 2
    kinds: [BF, OFF(0), SIZE, SIZE, BF, OFF(4), BF, OFF(6), BF, OFF(8), BF, OFF(10)],
    valid: () => [F(6), 0, 3, 2, F(2), 0, F(2), 0, F(2), 0, F(2), 0],
    call: fn('columnStats'),
  },
  oneHot: {
    names: ['oneHot'],
    kinds: [BI, OFF(0), SIZE, { k: 'size', zero: 'throws' }, BF, OFF(4)],
    valid: () => [Iv([2, 0]), 0, 2, 3, F(6), 0],
    call: fn('oneHot'),
    extra: {
      'negative label': variant('oneHot', (a) => (a[0] = Iv([0, -1]))),
      'label equal to classes': variant('oneHot', (a) => (a[0] = Iv([3, 0]))),
      'label past int32 classes': variant('oneHot', (a) => (a[0] = Iv([2 ** 31 - 1, 0]))),
    },
  },
};

const huge = [1e15, 2 ** 53];
const badTypes: [string, unknown][] = [['a string', '1'], ['undefined', undefined], ['an object', {}]];

function lengthOf(b: unknown): number {
  return (b as NativeBuffer).length;
}

/** The generated and hand-written cases of one binding. */
export function casesFor(spec: Spec): Case[] {
  const cases: Case[] = [];
  const base = spec.valid();
  const must = (name: string, edit: (args: unknown[]) => unknown[]) =>
    cases.push({ name, expect: 'must', run: () => spec.call(edit(spec.valid())) });
  const either = (name: string, edit: (args: unknown[]) => unknown[]) =>
    cases.push({ name, expect: 'either', run: () => spec.call(edit(spec.valid())) });
  const set = (i: number, v: unknown) => (args: unknown[]) => args.map((a, j) => (j === i ? v : a));

  // Argument counts. Methods keep their receiver.
  const first = spec.kinds[0]?.k === 'self' || spec.names[0] === 'dispose' ? 1 : 0;
  const fewest = spec.minArgs ?? base.length;
  if (fewest > first) must('one argument too few', (a) => a.slice(0, fewest - 1));
  must('one argument too many', (a) => [...a, 0]);
  if (fewest > first + 1) must('no arguments', (a) => a.slice(0, first));

  spec.kinds.forEach((kind, i) => {
    const at = `argument ${i}`;
    const typeCases = (list: [string, unknown][]) => list.forEach(([what, v]) => must(`${at} ${what}`, set(i, v)));
    switch (kind.k) {
      case 'op':
        typeCases([['-1', -1], ['past the last op', kind.count], ['0.5', 0.5], ['NaN', NaN], ...badTypes]);
        break;
      case 'buf': {
        const n = lengthOf(base[i]);
        const other: DTypeName = kind.dtype === 'float32' ? 'int32' : 'float32';
        typeCases([
          ['disposed', disposed(kind.dtype, n)],
          [`of dtype ${other}`, new native.NativeBuffer(other, n)],
          ['a typed array', new Float32Array(n)],
          ['a number', 42],
          ['a string', 'buffer'],
          ['an object', {}],
          ...(kind.nullable ? [] : ([['null', null], ['undefined', undefined]] as [string, unknown][])),
        ]);
        if (n > 0) must(`${at} one element short`, set(i, new native.NativeBuffer(kind.dtype, n - 1)));
        break;
      }
      case 'self':
        must('receiver disposed', (a) => {
          (a[0] as NativeBuffer).dispose();
          return a;
        });
        break;
      case 'off': {
        const n = lengthOf(base[kind.of]);
        typeCases([['-1', -1], ['0.5', 0.5], ['NaN', NaN], ['Infinity', Infinity], ['1e15', 1e15], ['2^53', 2 ** 53],
          ['past the end', n + 1], ['at the end', n], ...badTypes]);
        break;
      }
      case 'size': {
        const v = base[i] as number;
        typeCases([['-1', -1], ['0.5', 0.5], ['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity],
          ...huge.map((h) => [String(h), h] as [string, unknown]), ['null', null], ...badTypes]);
        if (kind.exact !== false) {
          must(`${at} one more than the buffers hold`, set(i, v + 1));
          must(`${at} 2^32`, set(i, 2 ** 32));
        }
        (kind.zero === 'ok' ? either : must)(`${at} zero`, set(i, 0));
        break;
      }
      case 'int':
        typeCases([['below the minimum', kind.min - 1], ['above the maximum', kind.max + 1], ['0.5', kind.min + 0.5],
          ['NaN', NaN], ['1e15', Math.max(1e15, kind.max + 1)], ['2^53', 2 ** 53], ...badTypes]);
        break;
      case 'num':
        typeCases([...badTypes, ['null', null], ['a bigint', 1n], ['a boolean', true]]);
        either(`${at} NaN`, set(i, NaN));
        either(`${at} Infinity`, set(i, Infinity));
        break;
      case 'finite':
        typeCases([['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity], ...badTypes, ['a bigint', 1n]]);
        break;
      case 'bool':
        typeCases([['a number', 1], ['a string', 'true'], ['null', null], ['undefined', undefined]]);
        break;
      case 'typed': {
        const n = (base[i] as Float32Array).length;
        typeCases([['an Int32Array', new Int32Array(n)], ['a Float64Array', new Float64Array(n)],
          ['a plain array', new Array(n).fill(0)], ['one element too long', new Float32Array(n + 1)],
          ['a number', 1], ['null', null], ...badTypes]);
        break;
      }
      case 'f64': {
        const n = (base[i] as Float64Array).length;
        typeCases([['a Float32Array', new Float32Array(n)], ['a plain array', new Array(n).fill(0)],
          ['one element too long', new Float64Array(n + 1)], ['one element short', new Float64Array(n - 1)],
          ['empty', new Float64Array(0)], ['a number', 1], ['null', null], ...badTypes]);
        break;
      }
      case 'dtype':
        typeCases([['float64', 'float64'], ['a number', 0], ['null', null], ['undefined', undefined]]);
        break;
      case 'any':
        break;
    }
  });

  // Every size at once: 2^32 x 2^32 wraps an int64 product to 0, which once let kernels run
  // past zero-length buffers.
  const sizes = spec.kinds.map((k, i) => (k.k === 'size' ? i : -1)).filter((i) => i >= 0);
  if (sizes.length > 1) {
    must('every size 2^32', (a) => a.map((v, j) => (sizes.includes(j) ? 2 ** 32 : v)));
    must('every size 2^32 with empty buffers', (a) =>
      a.map((v, j) => {
        const kind = spec.kinds[j];
        if (sizes.includes(j)) return 2 ** 32;
        if (kind.k !== 'buf') return v;
        return kind.nullable ? null : new native.NativeBuffer(kind.dtype, 0);
      }));
  }
  for (const [name, run] of Object.entries(spec.extra ?? {})) cases.push({ name, expect: 'must', run });
  return cases;
}

/** Names of every function the addon exports and every NativeBuffer method. */
export function addonFunctionNames(): string[] {
  const exported = Object.entries(native)
    .filter(([, v]) => typeof v === 'function')
    .map(([k]) => k);
  const methods = Object.getOwnPropertyNames(native.NativeBuffer.prototype)
    .filter((k) => k !== 'constructor' && typeof Object.getOwnPropertyDescriptor(native.NativeBuffer.prototype, k)?.value === 'function')
    .map((k) => `NativeBuffer.prototype.${k}`);
  return [...exported, ...methods].sort();
}
