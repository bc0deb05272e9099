/**
 * The metric contract: state accumulated over batches. `update(pred, target)` folds one batch
 * in (one native pass and one small read-back per batch), `result()` reads the value so far,
 * `reset()` starts over (the trainer resets at each epoch and each validation pass).
 */
import { formatShape, type Tensor } from '../../tensor.js';
import { checkNumber, checkString, checkTensor, option } from '../../validate/index.js';

/** A scalar, a per-class vector (average 'none') or a matrix (confusion matrix). */
export type MetricValue = number | number[] | number[][];

/** A metric accumulated over batches. */
export abstract class Metric {
  /** Key under which the trainer logs the value (`accuracy`, `valAccuracy`, ...). */
  abstract readonly name: string;
  /** Folds one batch of predictions and targets into the running state. */
  abstract update(pred: Tensor, target: Tensor): void;
  /** The metric over every batch since the last reset. */
  abstract result(): MetricValue;
  /** Clears the running state. */
  abstract reset(): void;
}

/** Throws unless pred and target describe the same number of samples. */
export function checkSamples(op: string, pred: Tensor, target: Tensor): number {
  checkTensor(op, 'pred', pred);
  checkTensor(op, 'target', target);
  const n = pred.ndim === 0 ? 1 : pred.shape[0];
  const m = target.ndim === 0 ? 1 : target.shape[0];
  if (n !== m) {
    throw new RangeError(`${op}: pred ${formatShape(pred.shape)} and target ${formatShape(target.shape)} hold different numbers of samples (${n} vs ${m})`);
  }
  return n;
}

/** A metric's `name` option: the key it is logged under (default `fallback`). */
export const metricName = (op: string, name: unknown, fallback: string): string =>
  name === undefined ? fallback : checkString(op, option('name'), name, true);

/** A metric's `threshold` option: the binary decision threshold (default 0.5). */
export const metricThreshold = (op: string, threshold: unknown): number =>
  threshold === undefined ? 0.5 : checkNumber(op, option('threshold'), threshold);
