/** Specs of the top-level exports: tensor creation, ops, autograd, randomness, runtime; Tensor and Generator. */
import * as s from '../../../src/index.js';
import type { CallSpec, ClassSpec } from '../spec.js';
import { b42, gen, lossOf, param, t43, x42, x43, y4 } from './fixtures.js';

const unary = (): CallSpec => ({ args: () => [x43()] });
const binary = (): CallSpec => ({ args: () => [x43(), t43()] });
const reduce = (): CallSpec => ({ args: () => [x43(), 1, false] });


/** Where CUDA cannot run, its functions answer a valid call with the reason (never on a GPU machine). */
const cudaUnavailable = s.cuda.isAvailable() ? undefined : /: device 'cuda' is unavailable: /;
export const coreFunctions: Record<string, CallSpec> = {
  abs: unary(), exp: unary(), log: unary(), neg: unary(), relu: unary(), sigmoid: unary(), sign: unary(),
  sqrt: unary(), square: unary(), tanh: unary(), gelu: unary(), transpose: unary(),
  add: binary(), sub: binary(), mul: binary(), div: binary(),
  sum: reduce(), mean: reduce(), max: reduce(), min: reduce(), argmax: reduce(),
  leakyRelu: { args: () => [x43(), 0.2] },
  clamp: { args: () => [x43(), -1, 1] },
  softmax: { args: () => [x43(), -1] },
  logSoftmax: { args: () => [x43(), -1] },
  matmul: { args: () => [x43(), s.ones([3, 2])] },
  gemm: {
    args: () => [x43(), s.ones([3, 2]), { transA: false, transB: false, alpha: 1, beta: 0, bias: s.zeros([2]), relu: false }],
    names: ['matmul'],
  },
  linear: { args: () => [x43(), s.ones([2, 3]), s.zeros([2]), false] },
  gatherRows: { args: () => [x43(), s.tensor(Int32Array.of(3, 0), [2]), s.zeros([2, 3])] },
  dropout: { args: () => [x43(), 0.5, true, gen()] },
  batchNorm: {
    args: () => [x43(), {
      runningMean: s.zeros([3]), runningVar: s.ones([3]), weight: s.ones([3]), bias: s.zeros([3]),
      training: true, momentum: 0.1, eps: 1e-5,
    }],
  },
  conv2d: { args: () => [s.ones([2, 2, 5, 5]), s.ones([4, 1, 3, 3]), s.zeros([4]), { stride: 1, padding: 'same', dilation: [1, 1], groups: 2 }] },
  conv1d: { args: () => [s.ones([2, 2, 7]), s.ones([3, 2, 3]), s.zeros([3]), { stride: 2, padding: 1, dilation: 1, groups: 1 }] },
  maxPool2d: { args: () => [s.ones([1, 2, 6, 6]), 2, { stride: 2, padding: 1, dilation: 1 }] },
  avgPool2d: { args: () => [s.ones([1, 2, 6, 6]), [3, 2], { stride: [2, 1], padding: 1, countIncludePad: false }] },
  adaptiveAvgPool2d: { args: () => [s.ones([1, 2, 6, 6]), [2, 3]] },
  embedding: { args: () => [s.ones([5, 3]), s.tensor(Int32Array.of(0, 4, 4), [3]), { paddingIdx: 1 }] },
  crossEntropy: { args: () => [x43(), y4(), { weight: s.ones([3]), ignoreIndex: -100, labelSmoothing: 0.1, reduction: 'mean' }] },
  nllLoss: { args: () => [s.logSoftmax(x43()), y4(), { weight: s.ones([3]), ignoreIndex: -100, reduction: 'sum' }] },
  binaryCrossEntropyWithLogits: { args: () => [x42(), b42(), { posWeight: s.ones([2]), reduction: 'mean' }] },
  mseLoss: { args: () => [x43(), t43(), 'mean'] },
  l1Loss: { args: () => [x43(), t43(), 'sum'] },
  huberLoss: { args: () => [x43(), t43(), 'mean', 1] },
  tensor: { args: () => [[1, 2, 3, 4, 5, 6], [2, 3], { dtype: 'float32', requiresGrad: false }] },
  full: { args: () => [[2, 3], 1.5, { dtype: 'float32', requiresGrad: false }] },
  zeros: { args: () => [[2, 3], { dtype: 'int32' }] },
  ones: { args: () => [[2, 3], { requiresGrad: true }] },
  fullLike: { args: () => [x43(), 2] },
  zerosLike: { args: () => [x43()] },
  arange: { args: () => [0, 5, 1, { dtype: 'float32' }] },
  rand: { args: () => [[2, 3], { generator: gen(), requiresGrad: false }] },
  randn: { args: () => [[2, 3], { generator: gen(), mean: 0, std: 1, requiresGrad: false }] },
  uniform: { args: () => [[2, 3], -1, 1, { generator: gen() }] },
  backward: { args: () => [lossOf()] },
  noGrad: { args: () => [() => 1] },
  setGradEnabled: { args: () => [s.isGradEnabled()] },
  isGradEnabled: { args: () => [] },
  manualSeed: { args: () => [0] },
  emptyPool: { args: () => [] },
  numThreads: { args: () => [] },
  setNumThreads: { args: () => [s.numThreads()] },
  memoryStats: { args: () => [] },
  'cuda.isAvailable': { args: () => [] },
  'cuda.unavailableReason': { args: () => [] },
  'cuda.devices': { args: () => [] },
  'cuda.deviceCount': { args: () => [] },
  'cuda.libraryPath': { args: () => [] },
  'cuda.memoryStats': { args: () => [], unavailable: cudaUnavailable },
  'cuda.synchronize': { args: () => [], unavailable: cudaUnavailable },
  'cuda.emptyCache': { args: () => [], unavailable: cudaUnavailable },
  'cuda.setAllowTF32': { args: () => [false], unavailable: cudaUnavailable },
};

const m = (args?: (self: s.Tensor) => unknown[]) => ({ args: args as ((self: never) => unknown[]) | undefined });
const other = () => [t43()];

export const coreClasses: Record<string, ClassSpec> = {
  Tensor: {
    // The constructor is @internal: tensors come from the creation functions.
    make: x43,
    internal: ['_rebind', '_parkInJsHeap', 'unpark', '_moveTo', 'newEmpty', 'viewAs', 'empty'],
    methods: {
      toArray: m(), toFloat32Array: m(), toList: m(), detach: m(), dispose: m(), toString: m(),
      item: { make: () => s.tensor(3) },
      reshape: m(() => [3, 4]),
      rows: m(() => [1, 3]),
      requiresGrad_: m(() => [true]),
      add: m(other), sub: m(other), mul: m(other), div: m(other),
      neg: m(), exp: m(), log: m(), sqrt: m(), abs: m(), sign: m(), square: m(), relu: m(), sigmoid: m(), tanh: m(), gelu: m(),
      clamp: m(() => [-1, 1]),
      leakyRelu: m(() => [0.1]),
      sum: m(() => [0, true]), mean: m(() => [1, false]), max: m(() => [0, false]), min: m(() => [-1, true]), argmax: m(() => [1, false]),
      matmul: m(() => [s.ones([3, 2])]),
      transpose: m(),
      to: m(() => ['int32']), float: m(), int: m(),
      backward: { make: () => s.mul(param(), 2), args: () => [s.ones([3])] },
    },
  },
  Generator: {
    ctor: { args: () => [5] },
    methods: {
      manualSeed: m(() => [3]), take: m(() => [4]), nextFloat: m(), nextInt: m(() => [10]), getState: m(),
      setState: m(() => [{ seed: 2, offset: 6 }]),
    },
  },
};
