/**
 * Accuracy: the fraction of samples whose predicted class equals the target
 * (sklearn.metrics.accuracy_score). Multi-class from logits/probabilities [n, C] by argmax;
 * binary from scores [n] by `score >= threshold` (Keras BinaryAccuracy).
 */
import type { Tensor } from '../../tensor.js';
import { checkSamples, Metric, metricName, metricThreshold } from './metric.js';
import { optionKeys, readOptions } from '../../validate/index.js';

const KEYS = optionKeys<AccuracyOptions>({ threshold: true, name: true });
import { predictedClasses, targetClasses } from './labels.js';

/** Options of Accuracy: the binary decision threshold and the log name. */
export interface AccuracyOptions {
  /** Binary decision threshold: 0.5 for probabilities (default), 0 for logits. */
  threshold?: number;
  name?: string;
}

/** Running accuracy over batches. */
export class Accuracy extends Metric {
  readonly name: string;
  readonly threshold: number;
  private correct = 0;
  private total = 0;

  constructor(options: AccuracyOptions = {}) {
    super();
    const o = readOptions<AccuracyOptions>('Accuracy', options, KEYS);
    this.threshold = metricThreshold('Accuracy', o.threshold);
    this.name = metricName('Accuracy', o.name, 'accuracy');
  }

  update(pred: Tensor, target: Tensor): void {
    const op = 'Accuracy.update';
    checkSamples(op, pred, target);
    const p = predictedClasses(op, pred, this.threshold);
    const t = targetClasses(op, target);
    for (let i = 0; i < p.length; i++) if (p[i] === t[i]) this.correct++;
    this.total += p.length;
  }

  /** NaN before any sample was seen. */
  result(): number {
    return this.total === 0 ? NaN : this.correct / this.total;
  }

  reset(): void {
    this.correct = 0;
    this.total = 0;
  }
}
