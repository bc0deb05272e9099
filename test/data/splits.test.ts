import { describe, expect, it } from 'vitest';
import { data, tensor } from '../../src/index.js';
import { countsOf, fixture } from './fixtures.js';

interface SplitsFixture {
  y: number[];
  stratified: { testSize: number; train: Record<string, number>; test: Record<string, number> }[];
  kfold: { n: number; k: number; test: number[][] };
  stratifiedKFold: { y: number[]; k: number; test: number[][] };
}
const fx = fixture<SplitsFixture>('splits.json');

describe('trainTestSplit', () => {
  it('stratified splits keep the class counts scikit-learn gives (any seed)', () => {
    for (const c of fx.stratified) {
      for (const seed of [0, 1, 2]) {
        const s = data.trainTestSplitIndices(fx.y.length, { testSize: c.testSize, stratify: fx.y, seed });
        expect(countsOf(Array.from(s.train, (i) => fx.y[i]))).toEqual(c.train);
        expect(countsOf(Array.from(s.test, (i) => fx.y[i]))).toEqual(c.test);
        expect(new Set([...s.train, ...s.test]).size).toBe(fx.y.length);
      }
    }
  });

  it('plain splits: ceil(testSize * n) test samples, seeded, disjoint, gathered natively', () => {
    const x = tensor(Float32Array.from({ length: 20 }, (_, i) => i), [10, 2]);
    const y = tensor(Int32Array.from({ length: 10 }, (_, i) => i));
    const a = data.trainTestSplit(x, y, { testSize: 0.25, seed: 4 });
    const b = data.trainTestSplit(x, y, { testSize: 0.25, seed: 4 });
    expect(a.test.length).toBe(3);
    expect(Array.from(a.test)).toEqual(Array.from(b.test));
    expect(Array.from(a.yTest!.toArray())).toEqual(Array.from(a.test));
    expect(Array.from(a.xTrain.toArray()).filter((_, j) => j % 2 === 0)).toEqual(Array.from(a.train, (i) => 2 * i));
    const none = data.trainTestSplitIndices(10, { testSize: 2, shuffle: false });
    expect(Array.from(none.test)).toEqual([8, 9]);
    expect(() => data.trainTestSplitIndices(10, { testSize: 1.5 })).toThrow(/testSize must be a fraction in \(0, 1\) or a positive integer count, got 1.5/);
    expect(() => data.trainTestSplit(x, tensor(new Int32Array(9)))).toThrow(/features have 10 samples but labels have 9/);
    expect(() => data.trainTestSplitIndices(4, { stratify: [0, 0, 0, 1] })).toThrow(/class 1 has only 1 sample/);
  });

  it('validationSplit holds out a stratified validation part', () => {
    const y = tensor(Int32Array.from({ length: 100 }, (_, i) => (i < 80 ? 0 : 1)));
    const x = tensor(new Float32Array(100), [100, 1]);
    const v = data.validationSplit(x, y, { valSize: 0.2, stratify: y, seed: 1 });
    expect(countsOf(v.yVal!.toArray())).toEqual({ 0: 16, 1: 4 });
    expect(countsOf(v.yTrain!.toArray())).toEqual({ 0: 64, 1: 16 });
  });
});

describe('KFold / StratifiedKFold', () => {
  it('KFold without shuffle matches scikit-learn', () => {
    const folds = new data.KFold({ nSplits: fx.kfold.k }).split(fx.kfold.n);
    expect(folds.map((f) => Array.from(f.test))).toEqual(fx.kfold.test);
    folds.forEach((f) => expect(f.train.length + f.test.length).toBe(fx.kfold.n));
  });

  it('StratifiedKFold without shuffle matches scikit-learn', () => {
    const folds = new data.StratifiedKFold({ nSplits: fx.stratifiedKFold.k }).split(fx.stratifiedKFold.y);
    expect(folds.map((f) => Array.from(f.test))).toEqual(fx.stratifiedKFold.test);
  });

  it('shuffled folds are seeded, cover every sample once and keep class shares', () => {
    const y = fx.stratifiedKFold.y;
    const a = new data.StratifiedKFold({ nSplits: 3, shuffle: true, seed: 5 }).split(y);
    const b = new data.StratifiedKFold({ nSplits: 3, shuffle: true, seed: 5 }).split(y);
    expect(a.map((f) => Array.from(f.test))).toEqual(b.map((f) => Array.from(f.test)));
    const all = a.flatMap((f) => Array.from(f.test)).sort((p, q) => p - q);
    expect(all).toEqual(y.map((_, i) => i));
    const unshuffled = new data.StratifiedKFold({ nSplits: 3 }).split(y);
    a.forEach((f, i) => expect(countsOf(Array.from(f.test, (j) => y[j]))).toEqual(countsOf(Array.from(unshuffled[i].test, (j) => y[j]))));
    const k = new data.KFold({ nSplits: 4, shuffle: true, seed: 1 }).split(10);
    expect(k.map((f) => f.test.length)).toEqual([3, 3, 2, 2]);
    expect(() => new data.KFold({ nSplits: 1 })).toThrow(/KFold: option 'nSplits' must be an integer >= 2/);
    expect(() => new data.StratifiedKFold({ nSplits: 5 }).split([0, 0, 1, 1, 2, 2])).toThrow(/cannot be greater than the number of members in each class/);
  });

  it('crossValidate returns per-fold scores with mean and population std', async () => {
    const r = await data.crossValidate(({ fold, test }) => fold * 10 + test.length, { k: 4, n: 20 });
    expect(r.scores).toEqual([5, 15, 25, 35]);
    expect(r.mean).toBe(20);
    expect(r.std).toBeCloseTo(Math.sqrt(125), 12);
    const strat = await data.crossValidate(async ({ test }) => test.length, { k: 3, y: fx.stratifiedKFold.y });
    expect(strat.scores).toEqual(fx.stratifiedKFold.test.map((t) => t.length));
    await expect(data.crossValidate(() => 1, { k: 3 })).rejects.toThrow(/give the number of samples n, a dataset or the labels y/);
    const fromTensor = await data.crossValidate(({ test }) => test.length, { k: 5, dataset: tensor(new Float32Array(22), [11, 2]) });
    expect(fromTensor.scores).toEqual([3, 2, 2, 2, 2]);
  });
});
