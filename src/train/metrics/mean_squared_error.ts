/** Mean squared error, mean over samples and outputs of (pred - target)^2 (sklearn.metrics.mean_squared_error). */
import type { Tensor } from '../../tensor.js';
import { Metric } from './metric.js';
import { regressionShape, residualColumnSums } from './regression.js';

/** Running MSE over batches. */
export class MeanSquaredError extends Metric {
  readonly name: string;
  private total = 0;
  private count = 0;

  constructor(options: { name?: string } = {}) {
    super();
    this.name = options.name ?? 'mse';
  }

  update(pred: Tensor, target: Tensor): void {
    const cols = regressionShape(this.name, pred, target);
    for (const s of residualColumnSums(pred, target, cols, 'square')) this.total += s;
    this.count += cols.n * cols.d;
  }

  /** NaN before any sample was seen. */
  result(): number {
    return this.count === 0 ? NaN : this.total / this.count;
  }

  reset(): void {
    this.total = 0;
    this.count = 0;
  }
}
