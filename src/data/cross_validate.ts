/**
 * crossValidate: trains and scores once per fold, as scikit-learn's cross_val_score.
 * With labels the folds are stratified (StratifiedKFold), otherwise plain KFold.
 * std is the population standard deviation of the fold scores (numpy's default, ddof 0).
 */
import { Tensor } from '../tensor.js';
import { type KFoldOptions, KFold, StratifiedKFold } from './kfold.js';
import { labelArray, type Labels } from './labels.js';
import {
  checkBoolean, checkFunction, checkInt32, checkInteger, checkTensor, isInstance, option, optionKeys, readOptions, readSafely, typeError,
} from '../validate/index.js';
import type { IndexSplit } from './train_test_split.js';

/** What the per-fold function receives. */
export interface Fold extends IndexSplit {
  /** 0-based fold number. */
  fold: number;
}

/** Options of crossValidate. */
export interface CrossValidateOptions extends Omit<KFoldOptions, 'nSplits'> {
  /** Number of folds (default 5). */
  k?: number;
  /** Number of samples (when no labels are given)... */
  n?: number;
  /** ...or a dataset (anything with a length, or a tensor of samples) to take it from. */
  dataset?: { readonly length: number } | Tensor;
  /** Labels: folds are stratified by them unless `stratified` is false. */
  y?: Labels;
  stratified?: boolean;
}

const KEYS = optionKeys<CrossValidateOptions>({ k: true, n: true, dataset: true, y: true, stratified: true, shuffle: true, seed: true });

/** Per-fold scores and their summary. */
export interface CrossValidateResult {
  scores: number[];
  mean: number;
  std: number;
}

/** Runs `fn` on every fold (one after the other) and summarizes its scores. */
export async function crossValidate(
  fn: (fold: Fold) => number | Promise<number>, options: CrossValidateOptions,
): Promise<CrossValidateResult> {
  const op = 'crossValidate';
  checkFunction(op, 'fn', fn);
  const o = readOptions<CrossValidateOptions>(op, options, KEYS);
  const k = o.k === undefined ? 5 : checkInt32(op, option('k'), o.k, 2);
  const stratified = o.stratified === undefined ? true : checkBoolean(op, option('stratified'), o.stratified);
  const shuffle = o.shuffle === undefined ? undefined : checkBoolean(op, option('shuffle'), o.shuffle);
  const seed = o.seed === undefined ? undefined : checkInteger(op, option('seed'), o.seed, { min: 0 });
  const { y, dataset } = o;
  let n = o.n === undefined ? undefined : checkInt32(op, option('n'), o.n);
  if (n === undefined && dataset !== undefined) {
    n = isInstance(dataset, Tensor) ? checkTensor(op, option('dataset'), dataset).shape[0]
      : readSafely(op, option('dataset'), () => {
        if (typeof dataset !== 'object' || dataset === null) typeError(op, option('dataset'), 'a dataset (with a length) or a tensor', dataset);
        return checkInt32(op, `${option('dataset')} length`, (dataset as { length: unknown }).length);
      });
  }
  const count = (m: number) => {
    if (m < k) throw new RangeError(`${op}: cannot make ${k} folds of ${m} samples`);
  };
  let splits: IndexSplit[] = [];
  try {
    if (y !== undefined) {
      const labels = labelArray(op, y, option('y'));
      if (n !== undefined && n !== labels.length) throw new RangeError(`crossValidate: n is ${n} but there are ${labels.length} labels`);
      count(labels.length);
      splits = stratified ? new StratifiedKFold({ nSplits: k, shuffle, seed }).split(labels)
        : new KFold({ nSplits: k, shuffle, seed }).split(labels.length);
    } else if (n !== undefined) {
      count(n);
      splits = new KFold({ nSplits: k, shuffle, seed }).split(n);
    } else {
      throw new TypeError('crossValidate: give the number of samples n, a dataset or the labels y');
    }
  } catch (e) {
    // The splitters' own messages (StratifiedKFold's class counts) name this call.
    if (e instanceof Error && !e.message.startsWith(`${op}:`)) e.message = `${op}: ${e.message}`;
    throw e;
  }
  const scores: number[] = [];
  for (const [fold, split] of splits.entries()) {
    const score = await fn({ ...split, fold });
    if (typeof score !== 'number' || Number.isNaN(score)) throw new TypeError(`crossValidate: fold ${fold} returned ${score}, expected a number`);
    scores.push(score);
  }
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  const std = Math.sqrt(scores.reduce((a, s) => a + (s - mean) ** 2, 0) / scores.length);
  return { scores, mean, std };
}
