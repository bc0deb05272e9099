/**
 * AdamW (Loshchilov & Hutter; torch.optim.AdamW): Adam with decoupled weight decay,
 * w *= 1 - lr * weightDecay before the Adam update, instead of adding weightDecay * w to the
 * gradient. Defaults are PyTorch's: lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 1e-2
 * (Keras's AdamW: weight_decay 0.004, epsilon 1e-7).
 */
import { Adam, type AdamOptions } from './adam.js';
import type { GlobalOptions, ParamsInput } from './optimizer.js';

export class AdamW extends Adam {
  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> & GlobalOptions = {}) {
    super(params, { weightDecay: 1e-2, ...options, decoupledWeightDecay: true });
  }
}
