/** Mean absolute error, mean over samples and outputs of |pred - target| (sklearn.metrics.mean_absolute_error). */
import { MeanResidual } from './mean_residual.js';

/** Running MAE over batches. */
export class MeanAbsoluteError extends MeanResidual {
  constructor(options: { name?: string } = {}) {
    super('abs', options, 'mae');
  }
}
