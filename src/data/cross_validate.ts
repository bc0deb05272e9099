/**
 * crossValidate: trains and scores once per fold, as scikit-learn's cross_val_score.
 * With labels the folds are stratified (StratifiedKFold), otherwise plain KFold.
 * std is the population standard deviation of the fold scores (numpy's default, ddof 0).
 */
import { Tensor } from '../tensor.js';
import { type KFoldOptions, KFold, StratifiedKFold } from './kfold.js';
import { labelArray, type Labels } from './labels.js';
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
  const { k = 5, y, stratified = true, shuffle, seed, dataset } = options;
  const n = options.n ?? (dataset instanceof Tensor ? dataset.shape[0] : dataset?.length);
  let splits: IndexSplit[];
  if (y !== undefined) {
    const labels = labelArray('crossValidate', y);
    if (n !== undefined && n !== labels.length) throw new RangeError(`crossValidate: n is ${n} but there are ${labels.length} labels`);
    splits = stratified ? new StratifiedKFold({ nSplits: k, shuffle, seed }).split(labels)
      : new KFold({ nSplits: k, shuffle, seed }).split(labels.length);
  } else if (n !== undefined) {
    splits = new KFold({ nSplits: k, shuffle, seed }).split(n);
  } else {
    throw new TypeError('crossValidate: give the number of samples n, a dataset or the labels y');
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
