/** Specs of nn: the Module base methods, every layer and loss (class and factory), nn.init. */
import { nn, ones, tensor, zeros } from '../../../src/index.js';
import type { CallSpec, ClassSpec, MethodSpec } from '../spec.js';
import { b42, gen, stateCopy, t43, x42, x43, y4 } from './fixtures.js';

const weight = () => zeros([2, 3]);
const m = (args?: (self: never) => unknown[]): MethodSpec => ({ args });
/** forward(x [4, 3]). */
const fwd = { forward: m(() => [x43()]) };

const layer = (args: () => unknown[], methods: Record<string, MethodSpec> = fwd): ClassSpec => ({ ctor: { args }, methods });

const bceOptions = () => ({ posWeight: ones([2]), reduction: 'mean' });
const ceOptions = () => ({ weight: ones([3]), ignoreIndex: -100, labelSmoothing: 0.1, reduction: 'mean' });
const nllOptions = () => ({ weight: ones([3]), ignoreIndex: -100, reduction: 'mean' });
const bnOptions = () => ({ eps: 1e-5, momentum: 0.1, affine: true, trackRunningStats: true });
const convOptions = () => ({ stride: 1, padding: 'same', dilation: 1, groups: 2, bias: true, generator: gen() });
/** An image batch [2, 2, 6, 6]. */
const img = () => zeros([2, 2, 6, 6]);
/** int32 indices. */
const s32 = (values: number[]) => tensor(Int32Array.from(values), [values.length], { dtype: 'int32' });

export const nnClasses: Record<string, ClassSpec> = {
  'nn.Module': {
    internal: ['registerParameter', 'registerBuffer', 'registerModule', 'checkName', 'describe', 'stateLoaded'],
    methods: {
      namedChildren: m(), namedModules: m(() => ['prefix']), modules: m(), namedParameters: m(), parameters: m(),
      namedBuffers: m(), train: m(() => [false]), eval: m(), zeroGrad: m(), stateDict: m(), toString: m(),
      loadStateDict: m((self: nn.Module) => [stateCopy(self), true]),
      to: m(() => ['cpu']),
    },
  },
  'nn.Linear': { ...layer(() => [3, 2, { bias: true, generator: gen() }]) },
  'nn.ReLU': layer(() => []),
  'nn.Sigmoid': layer(() => []),
  'nn.Tanh': layer(() => []),
  'nn.GELU': layer(() => []),
  'nn.LeakyReLU': layer(() => [0.2]),
  'nn.Softmax': layer(() => [-1]),
  'nn.LogSoftmax': layer(() => [-1]),
  'nn.Flatten': layer(() => [1, -1], { forward: m(() => [zeros([2, 3, 2])]) }),
  'nn.Dropout': layer(() => [0.5, { generator: gen() }]),
  'nn.BatchNorm1d': { ...layer(() => [3, bnOptions()]), internal: ['normalize'] },
  'nn.BatchNorm2d': { ...layer(() => [2, bnOptions()], { forward: m(() => [img()]) }), internal: ['normalize'] },
  'nn.Embedding': layer(() => [5, 3, { paddingIdx: 0, generator: gen() }], { forward: m(() => [s32([1, 4, 4])]) }),
  'nn.LayerNorm': layer(() => [[3], { eps: 1e-5, elementwiseAffine: true }]),
  'nn.GroupNorm': layer(() => [2, 4, { eps: 1e-5, affine: true }], { forward: m(() => [zeros([2, 4, 3, 3])]) }),
  'nn.Dropout2d': layer(() => [0.5, { generator: gen() }], { forward: m(() => [img()]) }),
  'nn.Conv2d': layer(() => [2, 4, 3, convOptions()], { forward: m(() => [img()]) }),
  'nn.Conv1d': layer(() => [2, 3, 3, { stride: 1, padding: 1, dilation: 1, groups: 1, bias: true, generator: gen() }], { forward: m(() => [zeros([2, 2, 7])]) }),
  // forward's outputSize [12, 11]: from 6 x 6, sizes 11 and 12 are reachable at stride 2.
  'nn.ConvTranspose2d': { ...layer(() => [2, 4, 3, { stride: 2, padding: 1, outputPadding: 1, dilation: 1, groups: 2, bias: true, generator: gen() }],
    { forward: m(() => [img(), [12, 11]]) }), internal: ['outputPaddingFor'] },
  'nn.MaxPool2d': layer(() => [2, { stride: 2, padding: 1, dilation: 1 }], { forward: m(() => [img()]) }),
  'nn.AvgPool2d': layer(() => [[3, 2], { stride: [2, 1], padding: 1, countIncludePad: true }], { forward: m(() => [img()]) }),
  'nn.AdaptiveAvgPool2d': layer(() => [[2, 3]], { forward: m(() => [img()]) }),
  'nn.MultiheadAttention': {
    ...layer(() => [4, 2, {
      dropout: 0, bias: true, addBiasKv: true, addZeroAttn: true, kdim: 3, vdim: 5, batchFirst: false, generator: gen(),
    }], {
      forward: m(() => [zeros([3, 2, 4]), zeros([5, 2, 3]), zeros([5, 2, 5]), { keyPaddingMask: zeros([2, 5]), attnMask: zeros([3, 5]) }]),
      forwardWithWeights: m(() => [zeros([3, 2, 4]), zeros([3, 2, 3]), zeros([3, 2, 5]), { averageAttnWeights: false }]),
    }),
    internal: ['attend', 'combinedMask', 'everySequence'],
  },
  'nn.TransformerEncoderLayer': layer(() => [4, 2, {
    dimFeedforward: 8, dropout: 0.1, activation: 'gelu', layerNormEps: 1e-5, batchFirst: true, normFirst: true, generator: gen(),
  }], { forward: { args: () => [zeros([2, 3, 4]), { srcMask: zeros([3, 3]), srcKeyPaddingMask: zeros([2, 3]) }], names: ['MultiheadAttention', 'LayerNorm'] } }),
  'nn.LSTM': {
    ...layer(() => [3, 4, { numLayers: 2, bias: true, batchFirst: true, dropout: 0.1, bidirectional: true, generator: gen() }],
      { forward: m(() => [zeros([2, 5, 3]), [zeros([4, 2, 4]), zeros([4, 2, 4])]]) }),
    internal: ['run'],
  },
  'nn.GRU': { ...layer(() => [3, 4, { numLayers: 1, generator: gen() }], { forward: m(() => [zeros([5, 2, 3]), zeros([1, 2, 4])]) }), internal: ['run'] },
  'nn.Sequential': {
    ctor: { args: () => [nn.linear(3, 4, { generator: gen() }), nn.relu(), nn.linear(4, 2, { generator: gen() })] },
    // forward's shape errors name the layer that found them (Linear, linear).
    methods: { at: m(() => [-1]), forward: { args: () => [x43()], names: ['Linear', 'linear'] } },
  },
  'nn.CrossEntropyLoss': layer(() => [ceOptions()], { forward: m(() => [x43(), y4()]) }),
  'nn.NLLLoss': layer(() => [nllOptions()], { forward: m(() => [x43(), y4()]) }),
  'nn.BCEWithLogitsLoss': layer(() => [bceOptions()], { forward: m(() => [x42(), b42()]) }),
  'nn.MSELoss': layer(() => [{ reduction: 'mean' }], { forward: m(() => [x43(), t43()]) }),
  'nn.L1Loss': layer(() => [{ reduction: 'sum' }], { forward: m(() => [x43(), t43()]) }),
  'nn.HuberLoss': layer(() => [{ reduction: 'mean', delta: 0.5 }], { forward: m(() => [x43(), t43()]) }),
};

/** Factories delegate to their class: a message may name either. */
const factory = (cls: string, args: () => unknown[]): CallSpec => ({ args, names: [cls] });

export const nnFunctions: Record<string, CallSpec> = {
  'nn.linear': factory('Linear', () => [3, 2, { bias: false, generator: gen() }]),
  'nn.relu': factory('ReLU', () => []),
  'nn.sigmoid': factory('Sigmoid', () => []),
  'nn.tanh': factory('Tanh', () => []),
  'nn.gelu': factory('GELU', () => []),
  'nn.leakyRelu': factory('LeakyReLU', () => [0.2]),
  'nn.softmax': factory('Softmax', () => [-1]),
  'nn.logSoftmax': factory('LogSoftmax', () => [-1]),
  'nn.flatten': factory('Flatten', () => [1, -1]),
  'nn.dropout': factory('Dropout', () => [0.3, { generator: gen() }]),
  'nn.batchNorm1d': factory('BatchNorm1d', () => [3, bnOptions()]),
  'nn.batchNorm2d': factory('BatchNorm2d', () => [2, bnOptions()]),
  'nn.embedding': factory('Embedding', () => [5, 3, { paddingIdx: -1 }]),
  'nn.layerNorm': factory('LayerNorm', () => [[2, 3], { elementwiseAffine: false }]),
  'nn.groupNorm': factory('GroupNorm', () => [1, 3, { affine: false }]),
  'nn.dropout2d': factory('Dropout2d', () => [0.2, { generator: gen() }]),
  'nn.conv2d': factory('Conv2d', () => [2, 4, [3, 3], convOptions()]),
  'nn.conv1d': factory('Conv1d', () => [2, 3, 3, { padding: 'same', generator: gen() }]),
  'nn.convTranspose2d': factory('ConvTranspose2d', () => [2, 3, [2, 3], { bias: false }]),
  'nn.maxPool2d': factory('MaxPool2d', () => [[2, 2], { stride: 1 }]),
  'nn.avgPool2d': factory('AvgPool2d', () => [2, { countIncludePad: false }]),
  'nn.adaptiveAvgPool2d': factory('AdaptiveAvgPool2d', () => [1]),
  'nn.lstm': factory('LSTM', () => [3, 4, { batchFirst: false }]),
  'nn.gru': factory('GRU', () => [3, 4, { bidirectional: true }]),
  'nn.sequential': factory('Sequential', () => [nn.linear(3, 2, { generator: gen() }), nn.tanh()]),
  'nn.multiheadAttention': factory('MultiheadAttention', () => [4, 2, { batchFirst: true }]),
  'nn.transformerEncoderLayer': factory('TransformerEncoderLayer', () => [4, 2, { dimFeedforward: 8 }]),
  'nn.generateSquareSubsequentMask': { args: () => [4] },
  'nn.crossEntropyLoss': factory('CrossEntropyLoss', () => [ceOptions()]),
  'nn.nllLoss': factory('NLLLoss', () => [nllOptions()]),
  'nn.bceWithLogitsLoss': factory('BCEWithLogitsLoss', () => [bceOptions()]),
  'nn.mseLoss': factory('MSELoss', () => [{ reduction: 'none' }]),
  'nn.l1Loss': factory('L1Loss', () => [{ reduction: 'mean' }]),
  'nn.huberLoss': factory('HuberLoss', () => [{ reduction: 'mean', delta: 2 }]),
  'nn.init.calculateFans': { args: () => [weight()] },
  'nn.init.calculateGain': { args: () => ['leaky_relu', 0.2] },
  'nn.init.constant': { args: () => [weight(), 0.5] },
  'nn.init.zeros': { args: () => [weight()] },
  'nn.init.ones': { args: () => [weight()] },
  'nn.init.uniform': { args: () => [weight(), -1, 1, { generator: gen() }] },
  'nn.init.normal': { args: () => [weight(), 0, 1, { generator: gen() }] },
  'nn.init.xavierUniform': { args: () => [weight(), 1, { generator: gen() }] },
  'nn.init.xavierNormal': { args: () => [weight(), 1, { generator: gen() }] },
  'nn.init.kaimingUniform': { args: () => [weight(), { a: 0, mode: 'fanIn', nonlinearity: 'relu', generator: gen() }] },
  'nn.init.kaimingNormal': { args: () => [weight(), { a: 0.1, mode: 'fanOut', nonlinearity: 'leaky_relu', generator: gen() }] },
};
