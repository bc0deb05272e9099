/**
 * Confusion matrix accumulated over batches, sklearn's orientation: entry [i][j] counts
 * samples of true class i predicted as class j (sklearn.metrics.confusion_matrix).
 */
import { checkInteger, option, optionKeys, readOptions } from '../../validate/index.js';
import type { Tensor } from '../../tensor.js';
import { checkLabels, predictedClasses, targetClasses } from './labels.js';
import { checkSamples, Metric, metricName, metricThreshold } from './metric.js';

/** Options of ConfusionMatrix: the number of classes, the binary decision threshold and the log name. */
export interface ConfusionMatrixOptions {
  numClasses: number;
  /** Binary decision threshold for score predictions [n] (default 0.5). */
  threshold?: number;
  name?: string;
}

/** Running confusion matrix; also the counting core of precision, recall and F1. */
const KEYS = optionKeys<ConfusionMatrixOptions>({ numClasses: true, threshold: true, name: true });

export class ConfusionMatrix extends Metric {
  readonly name: string;
  readonly numClasses: number;
  readonly threshold: number;
  /** Row-major counts, [true][pred]. */
  readonly counts: Float64Array;

  constructor(options: ConfusionMatrixOptions) {
    super();
    const op = 'ConfusionMatrix';
    const o = readOptions<ConfusionMatrixOptions>(op, options, KEYS);
    // The counts are a c x c Float64Array: 4096 classes make 128 MiB of them.
    const c = checkInteger(op, option('numClasses'), o.numClasses, { min: 1, max: 4096 });
    this.numClasses = c;
    this.threshold = metricThreshold(op, o.threshold);
    this.name = metricName(op, o.name, 'confusionMatrix');
    this.counts = new Float64Array(c * c);
  }

  update(pred: Tensor, target: Tensor): void {
    const op = 'ConfusionMatrix.update';
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
