/** The running mean over samples and outputs of a residual function: MAE and MSE share it. */
import type { Tensor } from '../../tensor.js';
import { Metric, metricName } from './metric.js';
import { optionKeys, readOptions } from '../../validate/index.js';

const KEYS = optionKeys<{ name?: string }>({ name: true });
import { regressionShape, residualColumnSums } from './regression.js';

export abstract class MeanResidual extends Metric {
  readonly name: string;
  private total = 0;
  private count = 0;

  protected constructor(private readonly residual: 'abs' | 'square', options: { name?: string }, fallback: string) {
    super();
    const op = new.target.name;
    this.name = metricName(op, readOptions<{ name?: string }>(op, options, KEYS).name, fallback);
  }

  update(pred: Tensor, target: Tensor): void {
    const cols = regressionShape(`${this.constructor.name}.update`, pred, target);
    for (const s of residualColumnSums(pred, target, cols, this.residual)) this.total += s;
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
