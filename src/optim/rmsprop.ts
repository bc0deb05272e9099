/**
 * RMSprop (Hinton; torch.optim.RMSprop), fused over the arena:
 *
 *   sq = alpha * sq + (1 - alpha) * g^2
 *   avg = sqrt(sq - ga^2) + eps   (centered, ga = alpha * ga + (1 - alpha) * g)  or  sqrt(sq) + eps
 *   buf = momentum * buf + g / avg; w -= lr * buf     (momentum > 0)   or   w -= lr * g / avg
 *
 * `epsInsideSqrt: true` gives the handbook's literal form w -= lr / sqrt(v + eps) * g (and
 * TensorFlow's raw op) instead.
 *
 * Defaults are PyTorch's: lr 1e-2, alpha 0.99, eps 1e-8. Keras's RMSprop uses lr 1e-3,
 * rho (alpha) 0.9 and epsilon 1e-7: pass { lr: 1e-3, alpha: 0.9, eps: 1e-7 } for Keras
 * behaviour.
 * Rule and state slots: native/common/optim/rmsprop.h.
 */
import type { StepRow } from './step_table.js';
import { hyperLabel, Optimizer, type BaseHyper, type GlobalOptions, type ParamGroup, type ParamsInput } from './optimizer.js';
import { checkBoolean, checkNumber } from '../validate/index.js';

/** RMSprop hyperparameters (per group). */
export interface RmspropOptions extends BaseHyper {
  alpha: number;
  eps: number;
  momentum: number;
  centered: boolean;
  /** The handbook's sqrt(v + eps) instead of PyTorch's sqrt(v) + eps. */
  epsInsideSqrt: boolean;
}

/** RMSprop, as torch.optim.RMSprop: sq = alpha sq + (1 - alpha) g², w -= lr g / (√sq + eps), optionally centered and with momentum; PyTorch's defaults (lr 1e-2, alpha 0.99, eps 1e-8). */
export class RMSprop extends Optimizer<RmspropOptions> {
  constructor(params: ParamsInput<RmspropOptions>, options: Partial<RmspropOptions> & GlobalOptions = {}) {
    super('rmsprop', 'rmsprop', params,
      { lr: 1e-2, alpha: 0.99, eps: 1e-8, momentum: 0, centered: false, epsInsideSqrt: false }, options);
  }

  protected override validate(group: RmspropOptions, where: string): void {
    super.validate(group, where);
    checkNumber(this.op, hyperLabel(where, 'alpha'), group.alpha, { min: 0, max: 1 });
    checkNumber(this.op, hyperLabel(where, 'eps'), group.eps, { minOpen: 0 });
    checkNumber(this.op, hyperLabel(where, 'momentum'), group.momentum, { min: 0 });
    checkBoolean(this.op, hyperLabel(where, 'centered'), group.centered);
    checkBoolean(this.op, hyperLabel(where, 'epsInsideSqrt'), group.epsInsideSqrt);
  }

  protected fillRow(row: StepRow, group: ParamGroup<RmspropOptions>): void {
    row.alpha = group.alpha;
    row.eps = group.epsInsideSqrt ? 0 : group.eps;
    row.epsIn = group.epsInsideSqrt ? group.eps : 0;
    row.momentum = group.momentum;
    row.centered = group.centered;
  }
}
