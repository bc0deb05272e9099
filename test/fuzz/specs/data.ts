/** Specs of data: datasets, the loader, samplers, transforms, splits, resamplers and the file readers. */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { data, tensor, zeros } from '../../../src/index.js';
import type { CallSpec, ClassSpec, MethodSpec } from '../spec.js';
import { gen, tmp, x43, x82, y4, y8 } from './fixtures.js';

const m = (args?: (self: never) => unknown[]): MethodSpec => ({ args });
const fashionDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples', 'data', 'fashion-mnist');

/** A tiny IDX file: unsigned bytes, one dimension of 3. */
const idxBytes = () => Uint8Array.of(0, 0, 0x08, 1, 0, 0, 0, 3, 7, 8, 9);
const idxFile = () => {
  const path = tmp('tiny.idx');
  writeFileSync(path, idxBytes());
  return path;
};
const csvFile = () => {
  const path = tmp('tiny.csv');
  writeFileSync(path, 'a,b,label\n1,2,0\n3,4,1\n5,6,0\n');
  return path;
};
const index2 = () => tensor(Int32Array.of(2, 0), [2]);
const loader = () => new data.DataLoader(new data.TensorDataset(x43(), y4()), { batchSize: 2, shuffle: true, dropLast: false, seed: 1 });
const fitted = <T extends { fit(x: unknown): T }>(s: T) => s.fit(x43());

export const dataClasses: Record<string, ClassSpec> = {
  'data.TensorDataset': {
    ctor: { args: () => [x43(), y4(), { checkFinite: true }] },
    methods: { getBatch: m(() => [index2()]) },
    statics: { fromTypedArrays: { args: () => [new Float32Array(6), [3], Int32Array.of(0, 1)] } },
  },
  'data.ArrayDataset': { ctor: { args: () => [[[1, 2], [3, 4], [5, 6]], [0, 1, 0]] }, methods: { getBatch: m(() => [index2()]) } },
  'data.DataLoader': {
    ctor: { args: () => [new data.TensorDataset(x43(), y4()), { batchSize: 2, shuffle: false, dropLast: true, seed: 1, generator: gen() }] },
    make: loader,
    internal: ['fetch', 'prepareOrder'],
    methods: { state: m(), setState: m(() => [{ epoch: 1, batch: 1 }]) },
  },
  'data.SequentialSampler': { ctor: { args: () => [4] }, methods: { fill: m(() => [zeros([4], { dtype: 'int32' }), 0]) } },
  'data.RandomSampler': { ctor: { args: () => [4, { seed: 1 }] }, methods: { fill: m(() => [zeros([4], { dtype: 'int32' }), 2]) } },
  'data.WeightedRandomSampler': {
    ctor: { args: () => [[1, 2, 3], 5, { seed: 1, replacement: true }] },
    methods: { fill: m(() => [zeros([5], { dtype: 'int32' }), 1]) },
  },
  'data.Standardize': {
    ctor: { args: () => [] },
    make: () => fitted(new data.Standardize()),
    internal: ['setStats', 'fitted'],
    methods: {
      fit: m(() => [x43()]), transform: m(() => [x43(), zeros([4, 3])]), fitTransform: m(() => [x43()]),
      inverseTransform: m(() => [x43(), zeros([4, 3])]), toJSON: m(),
    },
    statics: { fromJSON: { args: () => [{ type: 'Standardize', mean: [0, 1], std: [1, 2] }] } },
  },
  'data.MinMaxScale': {
    ctor: { args: () => [[-1, 1]] },
    make: () => fitted(new data.MinMaxScale()),
    internal: ['setRange'],
    methods: { fit: m(() => [x43()]), transform: m(() => [x43(), zeros([4, 3])]), fitTransform: m(() => [x43()]), toJSON: m() },
    statics: { fromJSON: { args: () => [{ type: 'MinMaxScale', featureRange: [0, 1], min: [0, 1], max: [1, 2] }] } },
  },
  'data.KFold': {
    ctor: { args: () => [{ nSplits: 2, shuffle: true, seed: 1 }] },
    internal: ['testFolds', 'foldsToSplits'],
    methods: { split: m(() => [4]) },
  },
  'data.StratifiedKFold': {
    ctor: { args: () => [{ nSplits: 2, shuffle: false, seed: 0 }] },
    internal: ['testFolds', 'foldsToSplits'],
    methods: { split: m(() => [y8()]) },
  },
  'data.SMOTE': { ctor: { args: () => [{ kNeighbors: 2, samplingStrategy: 'auto', seed: 0 }] }, methods: { fitResample: m(() => [x82(), y8()]) } },
  'data.RandomOverSampler': { ctor: { args: () => [{ samplingStrategy: 'all', seed: 1 }] }, methods: { fitResample: m(() => [x82(), y8()]) } },
  'data.RandomUnderSampler': { ctor: { args: () => [{ samplingStrategy: 'auto', seed: 1 }] }, methods: { fitResample: m(() => [x82(), y8()]) } },
};

export const dataFunctions: Record<string, CallSpec> = {
  'data.columnStats': { args: () => [x43(), true] },
  'data.computeClassWeight': { args: () => ['balanced', y4(), { classes: [0, 1, 2] }] },
  'data.crossValidate': { args: () => [() => 1, { k: 2, n: 4, shuffle: true, seed: 0 }] },
  // The CSV parser's messages are loadCsv's for both readers.
  'data.csvRows': { args: () => [csvFile(), { header: true, skipRows: 0, delimiter: ',', labelColumn: 'label', chunkRows: 2 }], names: ['loadCsv'] },
  'data.loadCsv': {
    args: () => [csvFile(), {
      header: 'auto', comment: '#', delimiter: ',', target: 'label', targetDtype: 'int32', columns: ['a', 'b'], chunkRows: 2, numClasses: 2,
    }],
  },
  'data.kNeighbors': { args: () => [x82(), 2, x82()] },
  'data.loadFashionMnist': { args: () => [fashionDir] },
  'data.oneHot': { args: () => [y4(), 3] },
  // The IDX parser's messages name the source (the file), as a reader's should.
  'data.parseIdx': { args: () => [idxBytes(), 'tiny'], names: ['tiny'] },
  'data.readIdx': { args: () => [idxFile()], names: ['tiny.idx'] },
  'data.permutation': { args: () => [5, gen(), zeros([5], { dtype: 'int32' })] },
  // Its first argument is the name its messages use (the resampler that calls it).
  'data.resolveSamplingStrategy': { args: () => ['SMOTE', 'auto', Int32Array.of(0, 0, 1), 'over'], names: ['SMOTE'] },
  'data.trainTestSplit': { args: () => [x82(), y8(), { testSize: 0.25, stratify: y8(), shuffle: true, seed: 0 }] },
  'data.trainTestSplitIndices': { args: () => [8, { testSize: 2, shuffle: false, seed: 1 }] },
  'data.validationSplit': { args: () => [x82(), y8(), { valSize: 0.25, shuffle: true, seed: 2 }] },
};
