/**
 * Bad-input specs for the nn bindings (native/napi/{loss,dropout,batchnorm,linear}_napi.cc),
 * spread into `specs` by bad_input_cases.ts. `reductions` and `pointwiseLosses` are plain enum
 * objects, not functions, so they need no spec.
 *
 * Hand-written cases cover what the generated ones cannot: labels out of range, class weights
 * that are negative or not finite, option values out of range, and outputs sharing memory with
 * the tensors the kernels read while other threads write.
 */
import { addon as native } from '../../src/backend/addon.js';
import type { NativeAddon as NnAddon } from '../../src/backend/addon.js';
import type { Kind, Spec } from './bad_input_cases.js';
import { BF, BFN, BI, F, Fof, fn, I, Iof, MAX_SAFE, OFF, OP, SIZE, SIZE_NZ } from './bad_input_kinds.js';

const nn = native as unknown as NnAddon;
const { reductions, pointwiseLosses } = nn;
const BOOL: Kind = { k: 'bool' };
const FINITE: Kind = { k: 'finite' };
const SEED: Kind = { k: 'int', min: 0, max: MAX_SAFE };

// classLoss over N = 2 rows of C = 3 classes, reduction 'none' (so out holds N values).
const classArgs = (o: { z?: unknown; labels?: unknown; weight?: unknown; smoothing?: number; logProb?: boolean } = {}) => [
  o.z ?? F(6), 0, o.labels ?? Iof(0, 2), 0, o.weight === undefined ? Fof(1, 2, 0.5) : o.weight, 0, 2, 3, -100,
  o.smoothing ?? 0.1, o.logProb ?? false, reductions.none, F(2), 0, F(6), 0,
];
const classLoss = (args: unknown[]) => fn('classLoss')(args);
/** classArgs with some positions replaced: [index, value] pairs. */
const edit = (args: unknown[], ...changes: [number, unknown][]) => {
  for (const [i, v] of changes) args[i] = v;
  return args;
};

// pointwiseLoss of n = 6 elements as rows of cols = 3.
const pointArgs = (op = pointwiseLosses.bceWithLogits) => [
  op, F(6), 0, F(6), 0, Fof(1, 2, 3), 0, 6, 3, 1, reductions.none, F(6), 0, F(6), 0,
];
const pointwiseLoss = (args: unknown[]) => fn('pointwiseLoss')(args);

// batchNorm over N = 2, C = 3, L = 2.
const bnForwardArgs = () => [
  F(12), 0, 2, 3, 2, F(3), 0, F(3), 0, F(3), 0, Fof(1, 1, 1), 0, true, 0.1, 1e-5, F(12), 0, F(3), 0, F(3), 0,
];
const bnBackwardArgs = () => [
  F(12), 0, F(12), 0, 2, 3, 2, F(3), 0, F(3), 0, Fof(1, 1, 1), 0, true, F(12), 0, F(3), 0, F(3), 0,
];
const batchNormForward = (args: unknown[]) => fn('batchNormForward')(args);
const batchNormBackward = (args: unknown[]) => fn('batchNormBackward')(args);

// linearBackward with M = 2 rows, N = 3 outputs, K = 4 inputs, through a ReLU.
const linearArgs = () => [
  F(6), 0, F(6), 0, true, F(8), 0, F(12), 0, 2, 3, 4, F(8), 0, F(12), 0, 0, F(3), 0, 0,
];
const linearBackward = (args: unknown[]) => fn('linearBackward')(args);

export const nnSpecs: Record<string, Spec> = {
  classLoss: {
    names: ['classLoss', 'crossEntropy', 'nllLoss'],
    kinds: [
      BF, OFF(0), BI, OFF(2), BFN, OFF(4), SIZE, SIZE_NZ, { k: 'int', min: -(2 ** 31), max: 2 ** 31 - 1 }, FINITE, BOOL,
      OP(reductions), BF, OFF(12), BFN, OFF(14),
    ],
    valid: () => classArgs(),
    call: classLoss,
    extra: {
      'negative label': () => classLoss(classArgs({ labels: Iof(0, -1) })),
      'label equal to the class count': () => classLoss(classArgs({ labels: Iof(3, 0) })),
      'label -100 when ignoreIndex is another value': () => classLoss(edit(classArgs({ labels: Iof(-100, 0) }), [8, 5])),
      'float32 labels': () => classLoss(classArgs({ labels: Fof(0, 1) })),
      'negative class weight': () => classLoss(classArgs({ weight: Fof(1, -1, 1) })),
      'NaN class weight': () => classLoss(classArgs({ weight: Fof(1, NaN, 1) })),
      'infinite class weight': () => classLoss(classArgs({ weight: Fof(Infinity, 1, 1) })),
      'negative labelSmoothing': () => classLoss(classArgs({ smoothing: -0.1 })),
      'labelSmoothing above 1': () => classLoss(classArgs({ smoothing: 1.5 })),
      'label smoothing with log-probability input': () => classLoss(classArgs({ logProb: true, smoothing: 0.1 })),
      'out overlapping the input': () => {
        const z = F(8);
        return classLoss(edit(classArgs({ z }), [12, z], [13, 4]));
      },
      'out aliasing the class weights': () => {
        const w = Fof(1, 1, 1);
        return classLoss(edit(classArgs({ weight: w }), [12, w], [13, 0]));
      },
      'grad aliasing the input (same memory)': () => {
        const z = F(6);
        return classLoss(edit(classArgs({ z }), [14, z], [15, 0]));
      },
      'grad overlapping out': () => {
        const b = F(8);
        return classLoss(edit(classArgs(), [12, b], [13, 0], [14, b], [15, 1]));
      },
    },
  },
  pointwiseLoss: {
    names: ['pointwiseLoss', ...Object.keys(pointwiseLosses)],
    kinds: [
      OP(pointwiseLosses), BF, OFF(1), BF, OFF(3), BFN, OFF(5), SIZE, SIZE_NZ, FINITE, OP(reductions),
      BF, OFF(11), BFN, OFF(13),
    ],
    valid: () => pointArgs(),
    call: pointwiseLoss,
    extra: {
      'n not a multiple of cols': () => pointwiseLoss(edit(pointArgs(), [7, 5])),
      'huber with delta 0': () => pointwiseLoss(edit(pointArgs(pointwiseLosses.huber), [5, null], [9, 0])),
      'huber with a negative delta': () => pointwiseLoss(edit(pointArgs(pointwiseLosses.huber), [5, null], [9, -1])),
      'posWeight given to huber': () => pointwiseLoss(pointArgs(pointwiseLosses.huber)),
      'posWeight given to mse': () => pointwiseLoss(pointArgs(pointwiseLosses.mse)),
      'out aliasing the input': () => {
        const x = F(6);
        return pointwiseLoss(edit(pointArgs(), [1, x], [11, x]));
      },
      'out overlapping the target': () => {
        const t = F(8);
        return pointwiseLoss(edit(pointArgs(), [3, t], [11, t], [12, 2]));
      },
      'grad aliasing the input': () => {
        const x = F(6);
        return pointwiseLoss(edit(pointArgs(), [1, x], [13, x]));
      },
      'grad overlapping posWeight': () => {
        const b = Fof(1, 1, 1, 0, 0, 0, 0, 0);
        return pointwiseLoss(edit(pointArgs(), [5, b], [13, b], [14, 2]));
      },
      'grad overlapping out': () => {
        const b = F(8);
        return pointwiseLoss(edit(pointArgs(), [11, b], [13, b], [14, 2]));
      },
      'mean reduction with out aliasing the input': () => {
        const x = F(6);
        return pointwiseLoss(edit(pointArgs(), [1, x], [10, reductions.mean], [11, x], [12, 5]));
      },
    },
  },
  softmax: {
    names: ['softmax', 'logSoftmax'],
    kinds: [BF, OFF(0), BF, OFF(2), SIZE, SIZE, BOOL],
    valid: () => [F(6), 0, F(6), 0, 2, 3, false],
    call: fn('softmax'),
    extra: {
      'y overlapping x shifted by one': () => {
        const b = F(7);
        return nn.softmax(b, 0, b, 1, 2, 3, false);
      },
      'log: y overlapping x shifted back by one': () => {
        const b = F(7);
        return nn.softmax(b, 1, b, 0, 2, 3, true);
      },
    },
  },
  softmaxBackward: {
    names: ['softmaxBackward', 'softmax backward', 'logSoftmax backward'],
    kinds: [BF, OFF(0), BF, OFF(2), BF, OFF(4), SIZE, SIZE, BOOL],
    valid: () => [F(6), 0, F(6), 0, F(6), 0, 2, 3, false],
    call: fn('softmaxBackward'),
    extra: {
      'gradIn overlapping gradOut shifted by one': () => {
        const b = F(7);
        return nn.softmaxBackward(F(6), 0, b, 0, b, 1, 2, 3, false);
      },
      'log: gradIn overlapping y shifted by three': () => {
        const b = F(9);
        return nn.softmaxBackward(b, 3, F(6), 0, b, 0, 2, 3, true);
      },
    },
  },
  dropout: {
    names: ['dropout'],
    kinds: [BF, OFF(0), BF, OFF(2), SIZE, FINITE, SEED, SEED],
    valid: () => [F(5), 0, F(5), 0, 5, 0.5, 1, 0],
    call: fn('dropout'),
    extra: {
      'p above 1': () => nn.dropout(F(2), 0, F(2), 0, 2, 1.5, 1, 0),
      'negative p': () => nn.dropout(F(2), 0, F(2), 0, 2, -0.1, 1, 0),
      'out overlapping x shifted by one': () => {
        const b = F(6);
        return nn.dropout(b, 0, b, 1, 5, 0.5, 1, 0);
      },
    },
  },
  batchNormForward: {
    names: ['batchNormForward', 'batchNorm'],
    kinds: [
      BF, OFF(0), SIZE, SIZE_NZ, SIZE, BFN, OFF(5), BFN, OFF(7), BFN, OFF(9), BFN, OFF(11), BOOL, FINITE, FINITE,
      BF, OFF(16), BF, OFF(18), BF, OFF(20),
    ],
    valid: bnForwardArgs,
    call: batchNormForward,
    extra: {
      'negative momentum': () => batchNormForward(edit(bnForwardArgs(), [14, -0.1])),
      'momentum above 1': () => batchNormForward(edit(bnForwardArgs(), [14, 1.5])),
      'eps 0': () => batchNormForward(edit(bnForwardArgs(), [15, 0])),
      'negative eps': () => batchNormForward(edit(bnForwardArgs(), [15, -1e-5])),
      'training with one value per channel': () =>
        batchNormForward(edit(bnForwardArgs(), [0, F(3)], [2, 1], [4, 1], [16, F(3)])),
      'eval without running statistics': () => batchNormForward(edit(bnForwardArgs(), [9, null], [11, null], [13, false])),
      'eval without runningVar': () => batchNormForward(edit(bnForwardArgs(), [11, null], [13, false])),
      'y overlapping x shifted by one': () => {
        const b = F(13);
        return batchNormForward(edit(bnForwardArgs(), [0, b], [1, 0], [16, b], [17, 1]));
      },
      'y overlapping the weight': () => {
        const b = F(14);
        return batchNormForward(edit(bnForwardArgs(), [5, b], [6, 11], [16, b], [17, 0]));
      },
      'saveMean aliasing runningMean': () => {
        const b = F(3);
        return batchNormForward(edit(bnForwardArgs(), [9, b], [18, b]));
      },
      'saveMean aliasing saveInvstd': () => {
        const b = F(3);
        return batchNormForward(edit(bnForwardArgs(), [18, b], [20, b]));
      },
      'runningMean aliasing runningVar': () => {
        const b = Fof(1, 1, 1);
        return batchNormForward(edit(bnForwardArgs(), [9, b], [11, b]));
      },
    },
  },
  batchNormBackward: {
    names: ['batchNormBackward', 'batchNorm backward'],
    kinds: [
      BF, OFF(0), BF, OFF(2), SIZE, SIZE_NZ, SIZE, BFN, OFF(7), BF, OFF(9), BF, OFF(11), BOOL,
      BFN, OFF(14), BFN, OFF(16), BFN, OFF(18),
    ],
    valid: bnBackwardArgs,
    call: batchNormBackward,
    extra: {
      'gradInput overlapping gradOut shifted by one': () => {
        const b = F(13);
        return batchNormBackward(edit(bnBackwardArgs(), [2, b], [3, 1], [14, b], [15, 0]));
      },
      'gradInput overlapping saveMean': () => {
        const b = F(12);
        return batchNormBackward(edit(bnBackwardArgs(), [9, b], [10, 0], [14, b], [15, 0]));
      },
      'gradWeight aliasing gradBias': () => {
        const b = F(3);
        return batchNormBackward(edit(bnBackwardArgs(), [16, b], [18, b]));
      },
      'gradWeight aliasing saveInvstd': () => {
        const b = Fof(1, 1, 1);
        return batchNormBackward(edit(bnBackwardArgs(), [11, b], [16, b]));
      },
    },
  },
  linearBackward: {
    names: ['linearBackward', 'linear backward'],
    kinds: [
      BF, OFF(0), BF, OFF(2), BOOL, BF, OFF(5), BF, OFF(7), SIZE, SIZE, SIZE,
      BFN, OFF(12), BFN, OFF(14), FINITE, BFN, OFF(17), FINITE,
    ],
    valid: linearArgs,
    call: linearBackward,
    extra: {
      'relu without the output': () => linearBackward(edit(linearArgs(), [2, null])),
      'gradInput aliasing gradOut': () => {
        const g = F(8);
        return linearBackward(edit(linearArgs(), [0, g], [12, g]));
      },
      'gradWeight aliasing the weight': () => {
        const w = F(12);
        return linearBackward(edit(linearArgs(), [7, w], [14, w]));
      },
      'gradInput overlapping gradWeight': () => {
        const b = F(16);
        return linearBackward(edit(linearArgs(), [12, b], [13, 0], [14, b], [15, 4]));
      },
      'gradBias overlapping gradWeight': () => {
        const b = F(13);
        return linearBackward(edit(linearArgs(), [14, b], [15, 0], [17, b], [18, 10]));
      },
    },
  },
};
