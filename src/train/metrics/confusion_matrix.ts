/**
 * Confusion matrix accumulated over batches, sklearn's orientation: entry [i][j] counts
 * samples of true class i predicted as class j (sklearn.metrics.confusion_matrix).
 */
import type { Tensor } from '../../tensor.js';
import { checkLabels, predictedClasses, targetClasses } from './labels.js';
import { checkSamples, Metric } from './metric.js';

export interface ConfusionMatrixOptions {
  numClasses: number;
  /** Binary decision threshold for score predictions [n] (default 0.5). */
  threshold?: number;
  name?: string;
}

/** Running confusion matrix; also the counting core of precision, recall and F1. */
export class ConfusionMatrix extends Metric {
  readonly name: string;
  readonly numClasses: number;
  readonly threshold: number;
  /** Row-major counts, [true][pred]. */
  readonly counts: Float64Array;

  constructor(options: ConfusionMatrixOptions) {
    super();
    const c = options?.numClasses;
    if (!Number.isInteger(c) || c < 1) throw new RangeError(`confusionMatrix: numClasses must be an integer >= 1, got ${c}`);
    this.numClasses = c;
    this.threshold = options.threshold ?? 0.5;
    this.name = options.name ?? 'confusionMatrix';
    this.counts = new Float64Array(c * c);
  }

  update(pred: Tensor, target: Tensor): void {
    const op = this.name;
    checkSamples(op, pred, target);
    const p = predictedClasses(op, pred, this.threshold);
    const t = targetClasses(op, target);
    checkLabels(op, 'prediction', p, this.numClasses);
    checkLabels(op, 'target', t, this.numClasses);
    for (let i = 0; i < p.length; i++) this.counts[t[i] * this.numClasses + p[i]]++;
  }

  result(): number[][] {
    const c = this.numClasses;
    return Array.from({ length: c }, (_, i) => Array.from(this.counts.subarray(i * c, (i + 1) * c)));
  }

  reset(): void {
    this.counts.fill(0);
  }
}
