/**
 * Coefficient of determination (sklearn.metrics.r2_score), per output k:
 *   R²_k = 1 - SS_res,k / SS_tot,k,  SS_res = Σ (y - ŷ)²,  SS_tot = Σ (y - ȳ)²
 * then averaged uniformly over outputs ('uniformAverage') or returned per output ('rawValues').
 * A constant target (SS_tot = 0) scores 1 when predicted exactly and 0 otherwise, as sklearn's
 * force_finite. SS_tot is merged across batches with Chan et al.'s pairwise update
 * (M2 = M2_a + M2_b + δ² n_a n_b / n), which avoids the cancellation of Σy² - n ȳ².
 */
import { noGrad } from '../../autograd/graph.js';
import { square, sub } from '../../ops/elementwise.js';
import { mean, sum } from '../../ops/reduce.js';
import type { Tensor } from '../../tensor.js';
import { Metric, metricName } from './metric.js';
import { checkChoice, option, optionKeys, readOptions } from '../../validate/index.js';

const KEYS = optionKeys<R2ScoreOptions>({ multioutput: true, name: true });
import { regressionShape, residualColumnSums } from './regression.js';

/** Options of R2Score: 'uniformAverage' (default) or 'rawValues' over several outputs, and the log name. */
export interface R2ScoreOptions {
  multioutput?: 'uniformAverage' | 'rawValues';
  name?: string;
}

/** Running R² over batches. */
export class R2Score extends Metric {
  readonly name: string;
  readonly multioutput: 'uniformAverage' | 'rawValues';
  private n = 0;
  private targetMean: Float64Array | null = null;
  private targetM2: Float64Array | null = null;
  private residual: Float64Array | null = null;

  constructor(options: R2ScoreOptions = {}) {
    super();
    const o = readOptions<R2ScoreOptions>('R2Score', options, KEYS);
    this.multioutput = o.multioutput === undefined ? 'uniformAverage'
      : checkChoice('R2Score', option('multioutput'), o.multioutput, ['uniformAverage', 'rawValues'] as const);
    this.name = metricName('R2Score', o.name, 'r2');
  }

  update(pred: Tensor, target: Tensor): void {
    const cols = regressionShape('R2Score.update', pred, target);
    if (cols.n === 0) return;
    if (this.targetMean && this.targetMean.length !== cols.d) {
      throw new RangeError(`R2Score.update: batch has ${cols.d} outputs, earlier batches had ${this.targetMean.length}`);
    }
    const res = residualColumnSums(pred, target, cols, 'square');
    const [batchMean, batchM2] = noGrad(() => {
      using t = target.reshape(cols.n, cols.d);
      using m = mean(t, 0);
      using centered = sub(t, m);
      using sq = square(centered);
      using m2 = sum(sq, 0);
      return [Float64Array.from(m.toArray()), Float64Array.from(m2.toArray())];
    });
    this.targetMean ??= new Float64Array(cols.d);
    this.targetM2 ??= new Float64Array(cols.d);
    this.residual ??= new Float64Array(cols.d);
    const na = this.n, nb = cols.n, n = na + nb;
    for (let k = 0; k < cols.d; k++) {
      const delta = batchMean[k] - this.targetMean[k];
      this.targetM2[k] += batchM2[k] + (delta * delta * na * nb) / n;
      this.targetMean[k] += (delta * nb) / n;
      this.residual[k] += res[k];
    }
    this.n = n;
  }

  /** NaN with fewer than two samples (R² is not defined there; sklearn warns and gives NaN). */
  result(): number | number[] {
    if (this.n < 2 || !this.targetM2 || !this.residual) return this.multioutput === 'rawValues' ? [] : NaN;
    const perOutput = Array.from(this.targetM2, (tot, k) => {
      const resid = this.residual![k];
      if (tot === 0) return resid === 0 ? 1 : 0;
      return 1 - resid / tot;
    });
    if (this.multioutput === 'rawValues') return perOutput;
    return perOutput.reduce((a, b) => a + b, 0) / perOutput.length;
  }

  reset(): void {
    this.n = 0;
    this.targetMean = this.targetM2 = this.residual = null;
  }
}
