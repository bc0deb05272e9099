/**
 * K-fold cross-validation splits with scikit-learn's semantics.
 *  KFold: fold i tests a contiguous block of the (optionally shuffled) indices; the first
 *    n % k folds have floor(n / k) + 1 samples, the others floor(n / k).
 *  StratifiedKFold (scikit-learn >= 0.22): classes are numbered by first appearance; fold i
 *    gets bincount(sorted_labels[i::k]) samples of each class, and within a class the samples
 *    (in order) fill fold 0 first, then fold 1, ...; with shuffle the fold assignment within
 *    each class is permuted.
 * Index lists are ascending, as scikit-learn returns them.
 */
import { Generator } from '../random.js';
import { classCounts, labelArray, type Labels } from './labels.js';
import { permutationArray } from './permutation.js';
import { checkBoolean, checkInt32, checkInteger, option, optionKeys, readOptions } from '../validate/index.js';
import type { IndexSplit } from './train_test_split.js';

/** Options of KFold / StratifiedKFold. */
export interface KFoldOptions {
  /** Number of folds (default 5, at least 2). */
  nSplits?: number;
  /** Shuffle before assigning folds (default false). */
  shuffle?: boolean;
  /** Seed of the shuffle (default 0). */
  seed?: number;
}

const KFOLD_KEYS = optionKeys<KFoldOptions>({ nSplits: true, shuffle: true, seed: true });

abstract class FoldSplitter {
  readonly nSplits: number;
  readonly shuffle: boolean;
  readonly seed: number;
  constructor(options: KFoldOptions = {}) {
    const op = new.target.name;
    const o = readOptions<KFoldOptions>(op, options, KFOLD_KEYS);
    this.nSplits = o.nSplits === undefined ? 5 : checkInt32(op, option('nSplits'), o.nSplits, 2);
    this.shuffle = o.shuffle === undefined ? false : checkBoolean(op, option('shuffle'), o.shuffle);
    this.seed = o.seed === undefined ? 0 : checkInteger(op, option('seed'), o.seed, { min: 0 });
  }

  /** The fold (0..nSplits-1) each sample is tested in. */
  protected abstract testFolds(n: number, y: Int32Array | null): Int32Array;

  /** Train/test index splits from the test fold of each sample: split f tests the samples of fold f and trains on the rest. */
  protected foldsToSplits(folds: Int32Array): IndexSplit[] {
    return Array.from({ length: this.nSplits }, (_, f) => {
      const test: number[] = [];
      const train: number[] = [];
      for (let i = 0; i < folds.length; i++) (folds[i] === f ? test : train).push(i);
      return { train: Int32Array.from(train), test: Int32Array.from(test) };
    });
  }
}

/** K folds over n samples. */
export class KFold extends FoldSplitter {
  /** The nSplits (train, test) index pairs for n samples. */
  split(n: number): IndexSplit[] {
    checkInt32('KFold.split', 'n', n);
    if (n < this.nSplits) {
      throw new RangeError(`KFold: cannot have nSplits=${this.nSplits} greater than the number of samples n=${n}`);
    }
    return this.foldsToSplits(this.testFolds(n));
  }

  protected testFolds(n: number): Int32Array {
    const order = this.shuffle ? permutationArray(n, new Generator(this.seed)) : Int32Array.from({ length: n }, (_, i) => i);
    const folds = new Int32Array(n);
    let at = 0;
    for (let f = 0; f < this.nSplits; f++) {
      const size = Math.floor(n / this.nSplits) + (f < n % this.nSplits ? 1 : 0);
      for (let j = 0; j < size; j++) folds[order[at++]] = f;
    }
    return folds;
  }
}

/** K folds that keep each class's share in every fold. */
export class StratifiedKFold extends FoldSplitter {
  /** The nSplits (train, test) index pairs for labels y. */
  split(y: Labels): IndexSplit[] {
    const labels = labelArray('StratifiedKFold.split', y, 'y');
    if (labels.length < this.nSplits) {
      throw new RangeError(`StratifiedKFold: cannot have nSplits=${this.nSplits} greater than the number of samples n=${labels.length}`);
    }
    return this.foldsToSplits(this.testFolds(labels.length, labels));
  }

  protected testFolds(n: number, y: Int32Array): Int32Array {
    const counts = [...classCounts(y).entries()];
    if (counts.every(([, c]) => c < this.nSplits)) {
      throw new RangeError(`StratifiedKFold: nSplits=${this.nSplits} cannot be greater than the number of members in each class ` +
        `(largest class has ${Math.max(...counts.map(([, c]) => c))})`);
    }
    // Class codes by first appearance; the sorted code sequence dealt round-robin to folds.
    const code = new Map(counts.map(([c], i) => [c, i]));
    const nClasses = counts.length;
    const allocation = Array.from({ length: this.nSplits }, () => new Array<number>(nClasses).fill(0));
    let position = 0;
    for (let k = 0; k < nClasses; k++) {
      for (let j = 0; j < counts[k][1]; j++) allocation[position++ % this.nSplits][k]++;
    }
    const g = new Generator(this.seed);
    const folds = new Int32Array(n);
    const members = Array.from({ length: nClasses }, () => [] as number[]);
    for (let i = 0; i < n; i++) members[code.get(y[i])!].push(i);
    for (let k = 0; k < nClasses; k++) {
      const assignment: number[] = [];
      for (let f = 0; f < this.nSplits; f++) for (let j = 0; j < allocation[f][k]; j++) assignment.push(f);
      const order = this.shuffle ? permutationArray(assignment.length, g) : null;
      members[k].forEach((sample, j) => (folds[sample] = assignment[order ? order[j] : j]));
    }
    return folds;
  }
}
