/**
 * Metrics accumulated over batches, and `createMetric` for the names `fit` accepts:
 * 'accuracy', 'top{k}Accuracy', 'precision' | 'recall' | 'f1' (+ 'Macro' | 'Micro' | 'Weighted'),
 * 'confusionMatrix', 'mse', 'mae', 'r2'.
 *
 * @module
 */
import { checkBoolean, checkInteger, checkNumber, checkString, isInstance, optionKeys, readOptions } from '../../validate/index.js';
import { Accuracy } from './accuracy.js';
import { ConfusionMatrix } from './confusion_matrix.js';
import { MeanAbsoluteError } from './mean_absolute_error.js';
import { MeanSquaredError } from './mean_squared_error.js';
import { Metric } from './metric.js';
import { F1Score, Precision, Recall, type Average } from './precision_recall_f1.js';
import { R2Score } from './r2_score.js';
import { TopKAccuracy } from './top_k_accuracy.js';

export { Metric, type MetricValue } from './metric.js';
export { Accuracy, type AccuracyOptions } from './accuracy.js';
export { TopKAccuracy, type TopKAccuracyOptions } from './top_k_accuracy.js';
export { ConfusionMatrix, type ConfusionMatrixOptions } from './confusion_matrix.js';
export { Precision, Recall, F1Score, type Average, type ZeroDivision, type PrecisionRecallF1Options } from './precision_recall_f1.js';
export { MeanSquaredError } from './mean_squared_error.js';
export { MeanAbsoluteError } from './mean_absolute_error.js';
export { R2Score, type R2ScoreOptions } from './r2_score.js';

/** A metric given by name, or a Metric instance used as is. */
export type MetricSpec = string | Metric;

/** What `createMetric` knows of the model: its class count and its binary decision threshold. */
export interface MetricContext {
  numClasses?: number;
  /** For a single-score output [n] / [n, 1]: 0.5 for probabilities (default), 0 for logits. */
  threshold?: number;
}

/**
 * The metric context of a model whose output has `width` columns: one column is a binary
 * model (two classes, a score per sample), thresholded at logit 0 when the loss takes logits.
 */
export function metricContext(width: number, logits: boolean): MetricContext {
  checkInteger('metricContext', 'width', width, { min: 1 });
  checkBoolean('metricContext', 'logits', logits);
  return width === 1 ? { numClasses: 2, threshold: logits ? 0 : 0.5 } : { numClasses: width };
}

const CONTEXT_KEYS = optionKeys<MetricContext>({ numClasses: true, threshold: true });

/**
 * A fresh metric for `spec`. Class-counting metrics need `numClasses` (the model's output
 * width is the natural source, see `metricContext`).
 */
export function createMetric(spec: MetricSpec, context: MetricContext = {}): Metric {
  if (isInstance(spec, Metric)) return spec;
  checkString('createMetric', 'spec', spec, true);
  const { numClasses, threshold } = readOptions<MetricContext>('createMetric', context, CONTEXT_KEYS, 'context');
  if (numClasses !== undefined) checkInteger('createMetric', "context 'numClasses'", numClasses, { min: 1 });
  if (threshold !== undefined) checkNumber('createMetric', "context 'threshold'", threshold);
  context = { numClasses, threshold };
  const needClasses = (): number => {
    if (context.numClasses === undefined) throw new RangeError(`createMetric: metric '${spec}' needs numClasses`);
    return context.numClasses;
  };
  const topK = /^top(\d+)Accuracy$/.exec(spec);
  if (topK) return new TopKAccuracy({ k: Number(topK[1]) });
  const prf = /^(precision|recall|f1)(Macro|Micro|Weighted)?$/.exec(spec);
  if (prf) {
    const average = (prf[2] ?? 'Macro').toLowerCase() as Average;
    const Score = prf[1] === 'precision' ? Precision : prf[1] === 'recall' ? Recall : F1Score;
    return new Score({ numClasses: needClasses(), average, threshold });
  }
  switch (spec) {
    case 'accuracy':
      return new Accuracy({ threshold });
    case 'confusionMatrix':
      return new ConfusionMatrix({ numClasses: needClasses(), threshold });
    case 'mse':
      return new MeanSquaredError();
    case 'mae':
      return new MeanAbsoluteError();
    case 'r2':
      return new R2Score();
    default:
      throw new RangeError(`createMetric: unknown metric '${spec}'; expected accuracy, top{k}Accuracy, precision|recall|f1[Macro|Micro|Weighted], confusionMatrix, mse, mae or r2`);
  }
}
