// Metrics against scikit-learn fixtures (bench/reference/metrics_fixtures.py), fed in the
// fixture's batches to check accumulation.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/ops/creation.js';
import type { Tensor } from '../../src/tensor.js';
import {
  Accuracy, ConfusionMatrix, createMetric, F1Score, MeanAbsoluteError, MeanSquaredError, type Metric,
  Precision, R2Score, Recall, TopKAccuracy,
} from '../../src/train/metrics/index.js';

const fixtures = JSON.parse(readFileSync(new URL('../fixtures/train/metrics.json', import.meta.url), 'utf8'));

/** Feeds rows [start, end) of pred/target per batch size and returns the result. */
function feed(metric: Metric, pred: Tensor, target: Tensor, batches: number[]) {
  metric.reset();
  let start = 0;
  for (const b of batches) {
    metric.update(pred.rows(start, start + b), target.rows(start, start + b));
    start += b;
  }
  expect(start).toBe(pred.shape[0]);
  return metric.result();
}

const close = (got: number | number[], want: number | number[], rel = 1e-12) => {
  const g = Array.isArray(got) ? got : [got];
  const w = Array.isArray(want) ? want : [want];
  expect(g.length).toBe(w.length);
  g.forEach((v, i) => expect(Math.abs(v - w[i])).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(w[i]))));
};

describe('classification metrics match sklearn', () => {
  for (const fx of fixtures.classification) {
    describe(fx.name, () => {
      const logits = tensor(Float32Array.from(fx.logits), [fx.n, fx.classes]);
      const target = tensor(Int32Array.from(fx.target));
      it('accuracy', () => close(feed(new Accuracy(), logits, target, fx.batches) as number, fx.accuracy));
      it('top-k accuracy', () => {
        for (const k of [1, 2, 3]) close(feed(new TopKAccuracy({ k }), logits, target, fx.batches) as number, fx.topK[k]);
      });
      it('confusion matrix', () => {
        expect(feed(new ConfusionMatrix({ numClasses: fx.classes }), logits, target, fx.batches)).toEqual(fx.confusion);
      });
      it('precision / recall / F1, every average and zero_division', () => {
        for (const [key, want] of Object.entries(fx.prf) as [string, Record<string, number | number[]>][]) {
          const [avg, zd] = key.split('/');
          const options = { numClasses: fx.classes, average: avg as 'macro', zeroDivision: Number(zd) as 0 | 1 };
          close(feed(new Precision(options), logits, target, fx.batches) as number, want.precision);
          close(feed(new Recall(options), logits, target, fx.batches) as number, want.recall);
          close(feed(new F1Score(options), logits, target, fx.batches) as number, want.f1);
        }
      });
    });
  }

  it('binary scores with a threshold', () => {
    const fx = fixtures.binary;
    const scores = tensor(Float32Array.from(fx.scores));
    const target = tensor(Int32Array.from(fx.target));
    close(feed(new Accuracy(), scores, target, fx.batches) as number, fx.accuracy);
    for (const [avg, want] of Object.entries(fx.prf) as [string, Record<string, number>][]) {
      const options = { numClasses: 2, average: avg as 'binary', zeroDivision: 0 as const };
      close(feed(new Precision(options), scores, target, fx.batches) as number, want.precision);
      close(feed(new Recall(options), scores, target, fx.batches) as number, want.recall);
      close(feed(new F1Score(options), scores, target, fx.batches) as number, want.f1);
    }
  });

  it('zero division: unpredicted, unseen and pinned absent classes', () => {
    const fx = fixtures.zeroDivision;
    const pred = tensor(Int32Array.from(fx.pred));
    const target = tensor(Int32Array.from(fx.target));
    const n = fx.target.length;
    for (const [key, want] of Object.entries(fx.prf) as [string, Record<string, number | number[]>][]) {
      const [avg, zd] = key.split('/');
      const pinned = avg === 'macroPinned';
      const options = {
        numClasses: 5, average: (pinned ? 'macro' : avg) as 'macro', zeroDivision: Number(zd) as 0 | 1,
        labels: pinned ? [0, 1, 2, 3, 4] : undefined,
      };
      close(feed(new Precision(options), pred, target, [n]) as number, want.precision);
      close(feed(new Recall(options), pred, target, [n]) as number, want.recall);
      close(feed(new F1Score(options), pred, target, [n]) as number, want.f1);
    }
  });
});

describe('regression metrics match sklearn', () => {
  for (const fx of fixtures.regression) {
    it(fx.name, () => {
      const pred = tensor(Float32Array.from(fx.pred), fx.shape);
      const target = tensor(Float32Array.from(fx.target), fx.shape);
      // Native float32 kernels against sklearn's float64: relative 1e-5.
      close(feed(new MeanSquaredError(), pred, target, fx.batches) as number, fx.mse, 1e-5);
      close(feed(new MeanAbsoluteError(), pred, target, fx.batches) as number, fx.mae, 1e-5);
      close(feed(new R2Score(), pred, target, fx.batches) as number, fx.r2, 1e-5);
      close(feed(new R2Score({ multioutput: 'rawValues' }), pred, target, fx.batches) as number[], fx.r2Raw, 1e-5);
    });
  }
});

describe('metric errors and edge cases', () => {
  it('names the op and the mismatch', () => {
    const acc = new Accuracy();
    expect(() => acc.update(tensor([[1, 2]]), tensor(Int32Array.from([0, 1])))).toThrow(/Accuracy.update: .*different numbers of samples \(1 vs 2\)/);
    const cm = new ConfusionMatrix({ numClasses: 2 });
    expect(() => cm.update(tensor(Int32Array.from([0])), tensor(Int32Array.from([3])))).toThrow(/ConfusionMatrix.update: target 0 is 3, outside \[0, 2\)/);
    expect(() => new TopKAccuracy({ k: 0 })).toThrow(/TopKAccuracy: option 'k' must be an integer >= 1 and <= 2147483647, got 0/);
    expect(() => new MeanSquaredError().update(tensor([1, 2]), tensor([1, 2, 3]))).toThrow(/MeanSquaredError.update: .*same samples/);
    expect(() => new Precision({ numClasses: 3, average: 'bogus' as 'macro' })).toThrow(/Precision: option 'average' must be one of 'macro', 'micro', 'weighted', 'binary', 'none', got string 'bogus'/);
    expect(() => createMetric('nope')).toThrow(/unknown metric 'nope'/);
  });

  it('results before any batch, and reset', () => {
    const acc = new Accuracy();
    expect(acc.result()).toBeNaN();
    acc.update(tensor([[0, 1], [1, 0]]), tensor(Int32Array.from([1, 1])));
    expect(acc.result()).toBe(0.5);
    acc.reset();
    expect(acc.result()).toBeNaN();
    expect(new R2Score().result()).toBeNaN();
  });

  it('accepts float 0/1 targets for binary accuracy and logits with threshold 0', () => {
    const acc = new Accuracy({ threshold: 0 });
    acc.update(tensor([-2, 0.5, 3, -0.1]), tensor([0, 1, 0, 0]));
    expect(acc.result()).toBe(0.75);
  });

  it('createMetric builds each named metric', () => {
    expect(createMetric('top3Accuracy')).toBeInstanceOf(TopKAccuracy);
    expect((createMetric('f1Weighted', { numClasses: 3 }) as F1Score).average).toBe('weighted');
    expect(createMetric('recall', { numClasses: 3 }).name).toBe('recallMacro');
    expect(() => createMetric('precision')).toThrow(/needs numClasses/);
    expect(createMetric('r2')).toBeInstanceOf(R2Score);
  });
});
