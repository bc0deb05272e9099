/**
 * Precision, recall and F1 with scikit-learn's semantics (precision_recall_fscore_support):
 *   precision_k = tp / (tp + fp),  recall_k = tp / (tp + fn),  F1_k = 2 tp / (2 tp + fp + fn)
 * per class k, from a confusion matrix accumulated over batches. A 0/0 score takes the
 * `zeroDivision` value (sklearn's zero_division; 'warn' scores 0 like sklearn's default).
 * Averages: 'macro' (unweighted mean over classes), 'micro' (the score of the summed counts),
 * 'weighted' (mean weighted by each class's true count), 'binary' (class `posLabel` only),
 * 'none' (per class). Classes default to those seen in targets or predictions, as sklearn's
 * unique_labels(y_true, y_pred); pass `labels` to fix the set.
 */
import type { Tensor } from '../../tensor.js';
import { ConfusionMatrix } from './confusion_matrix.js';
import { Metric, metricName, metricThreshold } from './metric.js';
import { checkChoice, checkInteger, checkNumbers, option, optionKeys, readOptions } from '../../validate/index.js';

const KEYS = optionKeys<PrecisionRecallF1Options>({
  numClasses: true, average: true, zeroDivision: true, labels: true, posLabel: true, threshold: true, name: true,
});
const AVERAGES = ['macro', 'micro', 'weighted', 'binary', 'none'] as const;

/** How per-class scores are averaged (scikit-learn's `average`): 'macro', 'micro', 'weighted', 'binary' or 'none' (per class). */
export type Average = 'macro' | 'micro' | 'weighted' | 'binary' | 'none';
/** The score of a 0/0 division (scikit-learn's zero_division): 0, 1, or 'warn' (0, as scikit-learn's default). */
export type ZeroDivision = 0 | 1 | 'warn';

/** Options of Precision, Recall and F1Score: the number of classes, the average, zeroDivision, the classes to score, the positive class, the threshold and the log name. */
export interface PrecisionRecallF1Options {
  numClasses: number;
  average?: Average;
  zeroDivision?: ZeroDivision;
  /** The classes to score (default: those present in targets or predictions). */
  labels?: number[];
  /** The positive class for average 'binary' (default 1). */
  posLabel?: number;
  /** Binary decision threshold for score predictions [n] (default 0.5). */
  threshold?: number;
  name?: string;
}

type Score = 'precision' | 'recall' | 'f1';

/** Shared counting and averaging; the three scores differ only in their ratio. */
abstract class ClassificationScore extends Metric {
  readonly name: string;
  readonly average: Average;
  readonly zeroDivision: ZeroDivision;
  private readonly matrix: ConfusionMatrix;
  private readonly labels?: number[];
  private readonly posLabel: number;

  protected constructor(private readonly score: Score, options: PrecisionRecallF1Options, op: string) {
    super();
    const o = readOptions<PrecisionRecallF1Options>(op, options, KEYS);
    const c = checkInteger(op, option('numClasses'), o.numClasses, { min: 1, max: 4096 });
    this.average = o.average === undefined ? 'macro' : checkChoice(op, option('average'), o.average, AVERAGES);
    this.zeroDivision = o.zeroDivision === undefined ? 'warn' : checkChoice(op, option('zeroDivision'), o.zeroDivision, [0, 1, 'warn'] as const);
    this.posLabel = o.posLabel === undefined ? 1 : checkInteger(op, option('posLabel'), o.posLabel);
    if (this.average === 'binary' && (this.posLabel < 0 || this.posLabel >= c)) {
      throw new RangeError(`${op}: posLabel must be a class in [0, ${c}), got ${this.posLabel}`);
    }
    if (o.labels !== undefined) {
      this.labels = Array.from(checkNumbers(op, option('labels'), o.labels, { integer: true, min: 0, maxOpen: c }));
    }
    const suffix = this.average === 'binary' || this.average === 'none' ? '' : this.average[0].toUpperCase() + this.average.slice(1);
    this.name = metricName(op, o.name, score + suffix);
    this.matrix = new ConfusionMatrix({ numClasses: c, threshold: metricThreshold(op, o.threshold) });
  }

  update(pred: Tensor, target: Tensor): void {
    this.matrix.update(pred, target);
  }

  reset(): void {
    this.matrix.reset();
  }

  /** A scalar for every average but 'none', which gives one score per class in `labels` order. */
  result(): number | number[] {
    const c = this.matrix.numClasses;
    const m = this.matrix.counts;
    const tp = new Float64Array(c), predicted = new Float64Array(c), actual = new Float64Array(c);
    for (let i = 0; i < c; i++) {
      for (let j = 0; j < c; j++) {
        actual[i] += m[i * c + j];
        predicted[j] += m[i * c + j];
      }
      tp[i] = m[i * c + i];
    }
    const labels = this.average === 'binary' ? [this.posLabel]
      : this.labels ?? Array.from({ length: c }, (_, k) => k).filter((k) => actual[k] > 0 || predicted[k] > 0);
    const zd = this.zeroDivision === 1 ? 1 : 0;
    const perClass = labels.map((k) => this.ratio(tp[k], predicted[k] - tp[k], actual[k] - tp[k], zd));
    switch (this.average) {
      case 'none':
        return perClass;
      case 'binary':
        return perClass[0];
      case 'micro': {
        let t = 0, fp = 0, fn = 0;
        for (const k of labels) {
          t += tp[k];
          fp += predicted[k] - tp[k];
          fn += actual[k] - tp[k];
        }
        return this.ratio(t, fp, fn, zd);
      }
      case 'macro':
        return perClass.length === 0 ? zd : perClass.reduce((a, b) => a + b, 0) / perClass.length;
      case 'weighted': {
        const weights = labels.map((k) => actual[k]);
        const total = weights.reduce((a, b) => a + b, 0);
        if (total === 0) {
          // sklearn: with no true samples among `labels`, recall is 0/0; precision and F1
          // are 0/0 too only when nothing was predicted either.
          const anyPredicted = labels.some((k) => predicted[k] > 0);
          return this.score === 'recall' || !anyPredicted ? zd : 0;
        }
        return perClass.reduce((a, s, i) => a + s * weights[i], 0) / total;
      }
    }
  }

  private ratio(tp: number, fp: number, fn: number, zd: number): number {
    const [num, den] = this.score === 'precision' ? [tp, tp + fp]
      : this.score === 'recall' ? [tp, tp + fn] : [2 * tp, 2 * tp + fp + fn];
    return den === 0 ? zd : num / den;
  }
}

/** Precision, tp / (tp + fp), averaged as configured (sklearn.metrics.precision_score). */
export class Precision extends ClassificationScore {
  constructor(options: PrecisionRecallF1Options) {
    super('precision', options, 'Precision');
  }
}

/** Recall, tp / (tp + fn), averaged as configured (sklearn.metrics.recall_score). */
export class Recall extends ClassificationScore {
  constructor(options: PrecisionRecallF1Options) {
    super('recall', options, 'Recall');
  }
}

/** F1, 2 tp / (2 tp + fp + fn), averaged as configured (sklearn.metrics.f1_score). */
export class F1Score extends ClassificationScore {
  constructor(options: PrecisionRecallF1Options) {
    super('f1', options, 'F1Score');
  }
}
