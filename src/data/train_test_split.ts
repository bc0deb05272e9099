/**
 * Hold-out splits, as scikit-learn's train_test_split (ShuffleSplit / StratifiedShuffleSplit
 * semantics): the test set has ceil(testSize * n) samples for a fraction, the training set the
 * rest; with `stratify` each class keeps its share in both parts (up to rounding).
 */
import {
  checkBoolean, checkInt32, checkInteger, checkNumber, checkOptionalTensor, checkString, checkTensor, option, optionKeys, readOptions,
} from '../validate/index.js';
import { gatherRows } from '../ops/layout.js';
import { Generator } from '../random.js';
import { Tensor } from '../tensor.js';
import { indexTensor, indicesByClass, labelArray, type Labels } from './labels.js';
import { permutationArray } from './permutation.js';
import { approximateMode } from './stratify.js';

/** Options of a hold-out split. */
export interface SplitOptions {
  /** Fraction in (0, 1) or a number of samples for the test part (default 0.25). */
  testSize?: number;
  /** Labels to stratify by: both parts keep the class proportions. */
  stratify?: Labels;
  /** Shuffle before splitting (default true; stratified splits always shuffle). */
  shuffle?: boolean;
  /** Seed (default 0); the same seed gives the same split on any machine. */
  seed?: number;
}

const SPLIT_KEYS = optionKeys<SplitOptions>({ testSize: true, stratify: true, shuffle: true, seed: true });
const VALIDATION_KEYS = optionKeys<ValidationSplitOptions>({ valSize: true, stratify: true, shuffle: true, seed: true });

/** Options of validationSplit: a SplitOptions with valSize (default 0.2) for testSize. */
export type ValidationSplitOptions = Omit<SplitOptions, 'testSize'> & { valSize?: number };

/** The options, read once and checked (the labels to stratify by are checked where they are used). */
function splitOptions(op: string, options: unknown, keys: readonly string[] = SPLIT_KEYS): SplitOptions {
  const o = readOptions<SplitOptions>(op, options, keys as readonly (keyof SplitOptions)[]);
  if (o.testSize !== undefined) checkNumber(op, option('testSize'), o.testSize, { minOpen: 0 });
  if (o.shuffle !== undefined) checkBoolean(op, option('shuffle'), o.shuffle);
  if (o.seed !== undefined) checkInteger(op, option('seed'), o.seed, { min: 0 });
  return o;
}

/** Index sets of a split. */
export interface IndexSplit {
  train: Int32Array;
  test: Int32Array;
}

function testCount(op: string, n: number, testSize: number): number {
  if (n < 2) throw new RangeError(`${op}: needs at least 2 samples, got ${n}`);
  let nTest: number;
  if (Number.isInteger(testSize) && testSize >= 1) nTest = testSize;
  else if (testSize > 0 && testSize < 1) nTest = Math.ceil(testSize * n);
  else throw new RangeError(`${op}: testSize must be a fraction in (0, 1) or a positive integer count, got ${testSize}`);
  if (nTest >= n) throw new RangeError(`${op}: testSize ${testSize} leaves no training samples out of ${n}`);
  return nTest;
}

/** The index sets of a train/test split of n samples. */
export function trainTestSplitIndices(n: number, options: SplitOptions = {}, op = 'trainTestSplitIndices'): IndexSplit {
  checkString('trainTestSplitIndices', 'op', op, true);
  checkInt32(op, 'n', n);
  options = splitOptions(op, options);
  const nTest = testCount(op, n, options.testSize ?? 0.25);
  const nTrain = n - nTest;
  const g = new Generator(options.seed ?? 0);
  if (options.stratify === undefined) {
    if (options.shuffle === false) {
      return { train: Int32Array.from({ length: nTrain }, (_, i) => i), test: Int32Array.from({ length: nTest }, (_, i) => nTrain + i) };
    }
    const perm = permutationArray(n, g);
    return { train: perm.slice(nTest), test: perm.slice(0, nTest) };
  }
  if (options.shuffle === false) throw new RangeError(`${op}: a stratified split needs shuffle`);
  const y = labelArray(op, options.stratify, option('stratify'));
  if (y.length !== n) throw new RangeError(`${op}: ${n} samples but ${y.length} stratify labels`);
  const byClass = [...indicesByClass(y).entries()].sort((a, b) => a[0] - b[0]);
  const counts = byClass.map(([, idx]) => idx.length);
  const smallest = byClass.find(([, idx]) => idx.length < 2);
  if (smallest) throw new RangeError(`${op}: class ${smallest[0]} has only 1 sample; stratifying needs at least 2 per class`);
  if (nTrain < counts.length || nTest < counts.length) {
    throw new RangeError(`${op}: train (${nTrain}) and test (${nTest}) sizes must be at least the number of classes (${counts.length})`);
  }
  const trainPer = approximateMode(counts, nTrain, g);
  const testPer = approximateMode(counts.map((c, i) => c - trainPer[i]), nTest, g);
  const train: number[] = [];
  const test: number[] = [];
  byClass.forEach(([, idx], i) => {
    const perm = permutationArray(idx.length, g);
    for (let j = 0; j < trainPer[i]; j++) train.push(idx[perm[j]]);
    for (let j = trainPer[i]; j < trainPer[i] + testPer[i]; j++) test.push(idx[perm[j]]);
  });
  const shuffled = (a: number[]) => permutationArray(a.length, g).map((p) => a[p]);
  return { train: shuffled(train), test: shuffled(test) };
}

/** Result of trainTestSplit. */
export interface TrainTestSplit extends IndexSplit {
  xTrain: Tensor;
  xTest: Tensor;
  yTrain: Tensor | null;
  yTest: Tensor | null;
}

function splitTensors(op: string, x: Tensor, y: Tensor | null, options: SplitOptions): TrainTestSplit {
  checkTensor(op, 'x', x);
  checkOptionalTensor(op, 'y', y);
  const n = x.ndim === 0 ? 0 : x.shape[0];
  if (y && y.shape[0] !== n) throw new RangeError(`${op}: features have ${n} samples but labels have ${y.shape[0]}`);
  const split = trainTestSplitIndices(n, options, op);
  const trainIndex = indexTensor(split.train);
  const testIndex = indexTensor(split.test);
  const result = {
    ...split,
    xTrain: gatherRows(x, trainIndex), xTest: gatherRows(x, testIndex),
    yTrain: y ? gatherRows(y, trainIndex) : null, yTest: y ? gatherRows(y, testIndex) : null,
  };
  trainIndex.dispose();
  testIndex.dispose();
  return result;
}

/**
 * Splits features (and labels) into training and test parts, rows gathered natively. Pass
 * `stratify: y` to keep class proportions.
 */
export function trainTestSplit(x: Tensor, y: Tensor | null = null, options: SplitOptions = {}): TrainTestSplit {
  return splitTensors('trainTestSplit', x, y, options);
}

/** Result of validationSplit. */
export interface ValidationSplit {
  xTrain: Tensor;
  yTrain: Tensor | null;
  xVal: Tensor;
  yVal: Tensor | null;
  train: Int32Array;
  val: Int32Array;
}

/**
 * Holds out a validation part of the training data (`valSize`, default 0.2, as a fraction or
 * a count), seeded and optionally stratified: fit transforms and tune on `train`, check on `val`.
 */
export function validationSplit(x: Tensor, y: Tensor | null = null, options: ValidationSplitOptions = {}): ValidationSplit {
  const { valSize, ...rest } = readOptions<ValidationSplitOptions>('validationSplit', options, VALIDATION_KEYS);
  if (valSize !== undefined) checkNumber('validationSplit', option('valSize'), valSize, { minOpen: 0 });
  const s = splitTensors('validationSplit', x, y, { ...rest, testSize: valSize ?? 0.2 });
  return { xTrain: s.xTrain, yTrain: s.yTrain, xVal: s.xTest, yVal: s.yTest, train: s.train, val: s.test };
}
