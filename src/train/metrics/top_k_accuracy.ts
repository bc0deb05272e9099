/**
 * Top-k accuracy: a sample counts when its true class is among the k highest scores
 * (sklearn.metrics.top_k_accuracy_score). Computed natively as a rank: with s the score of
 * the true class, rank = #{j : score_j > s}, and the sample is a hit when rank < k. Ties with
 * the true class therefore count in its favour (sklearn breaks exact ties by class index; the
 * two agree whenever scores are distinct).
 */
import { noGrad } from '../../autograd/graph.js';
import { tensor } from '../../ops/creation.js';
import { relu, sign, sub } from '../../ops/elementwise.js';
import { gatherRows } from '../../ops/layout.js';
import { sum } from '../../ops/reduce.js';
import { formatShape, type Tensor } from '../../tensor.js';
import { checkLabels, targetClasses } from './labels.js';
import { checkSamples, Metric, metricName } from './metric.js';
import { checkFloat } from '../../ops/kernels.js';
import { checkInt32, option, optionKeys, readOptions } from '../../validate/index.js';

const KEYS = optionKeys<TopKAccuracyOptions>({ k: true, name: true });

/** Options of TopKAccuracy: k (default 5) and the log name. */
export interface TopKAccuracyOptions {
  k?: number;
  name?: string;
}

/** Running top-k accuracy over batches of scores [n, C] and int32 labels [n]. */
export class TopKAccuracy extends Metric {
  readonly name: string;
  readonly k: number;
  private hits = 0;
  private total = 0;

  constructor(options: TopKAccuracyOptions = {}) {
    super();
    const o = readOptions<TopKAccuracyOptions>('TopKAccuracy', options, KEYS);
    this.k = o.k === undefined ? 5 : checkInt32('TopKAccuracy', option('k'), o.k, 1);
    this.name = metricName('TopKAccuracy', o.name, `top${this.k}Accuracy`);
  }

  update(pred: Tensor, target: Tensor): void {
    const op = 'TopKAccuracy.update';
    checkFloat(op, 'pred', pred);
    if (pred.ndim !== 2) {
      throw new RangeError(`${op}: predictions must be float32 scores [n, classes], got ${formatShape(pred.shape)} ${pred.dtype}`);
    }
    const n = checkSamples(op, pred, target);
    const c = pred.shape[1];
    const labels = targetClasses(op, target);
    checkLabels(op, 'target', labels, c);
    if (n === 0) return;
    // Flat position of each true-class score: i * C + label_i (O(n) bookkeeping).
    const flat = new Int32Array(n);
    for (let i = 0; i < n; i++) flat[i] = i * c + labels[i];
    const ranks = noGrad(() => {
      using index = tensor(flat);
      using scores = pred.reshape(n * c, 1);
      using trueScore = gatherRows(scores, index);             // [n, 1]
      using diff = sub(pred, trueScore);                        // score_j - s, per row
      using s = sign(diff);
      using above = relu(s);                                   // 1 where score_j > s
      using count = sum(above, 1);                             // rank of the true class
      return count.toArray();
    });
    for (let i = 0; i < n; i++) if (ranks[i] < this.k) this.hits++;
    this.total += n;
  }

  /** NaN before any sample was seen. */
  result(): number {
    return this.total === 0 ? NaN : this.hits / this.total;
  }

  reset(): void {
    this.hits = 0;
    this.total = 0;
  }
}
