/** Mean squared error, mean over samples and outputs of (pred - target)^2 (sklearn.metrics.mean_squared_error). */
import { MeanResidual } from './mean_residual.js';

/** Running MSE over batches. */
export class MeanSquaredError extends MeanResidual {
  constructor(options: { name?: string } = {}) {
    super('square', options, 'mse');
  }
}
