/**
 * AdamW (Loshchilov & Hutter; torch.optim.AdamW): Adam with decoupled weight decay,
 * w *= 1 - lr * weightDecay before the Adam update, instead of adding weightDecay * w to the
 * gradient. Defaults are PyTorch's: lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 1e-2
 * (Keras's AdamW: weight_decay 0.004, epsilon 1e-7).
 */
import { Adam, ADAM_DEFAULTS, type AdamOptions } from './adam.js';
import { optimizerKeys, type GlobalOptions, type ParamsInput } from './optimizer.js';
import { readOptions } from '../validate/index.js';

/** Adam with decoupled weight decay (Loshchilov & Hutter), as torch.optim.AdamW: w *= 1 - lr * weightDecay before the Adam update (default weightDecay 1e-2). */
export class AdamW extends Adam {
  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> & GlobalOptions = {}) {
    const given = readOptions<Record<string, unknown>>('adamw', options, optimizerKeys(ADAM_DEFAULTS));
    if ('decoupledWeightDecay' in given) {
      throw new RangeError("adamw: option 'decoupledWeightDecay' cannot be set: AdamW's weight decay is always decoupled (use Adam for coupled decay)");
    }
    super(params, { weightDecay: 1e-2, ...given, decoupledWeightDecay: true });
  }
}
