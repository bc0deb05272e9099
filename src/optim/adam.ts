/**
 * Adam (Kingma & Ba; torch.optim.Adam), fused over the arena — the handbook's Adam:
 *
 *   m = b1 * m + (1 - b1) * g;  v = b2 * v + (1 - b2) * g^2
 *   w -= lr * m_hat / (sqrt(v_hat) + eps),  m_hat = m / (1 - b1^t), v_hat = v / (1 - b2^t)
 *
 * with amsgrad using max(v) so far in place of v, and weightDecay as coupled L2 (use AdamW, or
 * decoupledWeightDecay, for decoupled decay).
 *
 * Defaults are PyTorch's: lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0. Keras's Adam
 * uses epsilon 1e-7 and adds it to sqrt(v) before bias correction ("epsilon hat"): for Keras
 * behaviour pass eps: 1e-7; the remaining difference, eps * sqrt(1 - b2^t) vs eps, only
 * matters in the first steps when v is tiny.
 * Rule and state slots: native/common/optim/adam.h.
 */
import type { StepRow } from './step_table.js';
import { hyperLabel, Optimizer, type BaseHyper, type GlobalOptions, type ParamGroup, type ParamsInput } from './optimizer.js';
import { checkBoolean, checkNumbers, checkNumber, typeError } from '../validate/index.js';

/** Adam / AdamW hyperparameters (per group). */
export interface AdamOptions extends BaseHyper {
  betas: [number, number];
  eps: number;
  amsgrad: boolean;
}

/** Adam's own defaults (PyTorch's); AdamW shares them. */
export const ADAM_DEFAULTS = { betas: [0.9, 0.999] as [number, number], eps: 1e-8, amsgrad: false };

/**
 * Adam (Kingma & Ba), as torch.optim.Adam: m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g², w -= lr m̂ / (√v̂ + eps) with bias-corrected m̂, v̂; PyTorch's defaults (lr 1e-3, betas [0.9, 0.999], eps 1e-8).
 *
 * ```ts
 * const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
 * loss.backward();
 * optimizer.step();
 * optimizer.zeroGrad();
 * ```
 */
export class Adam extends Optimizer<AdamOptions> {
  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> & GlobalOptions = {}) {
    // 'adam', or 'adamw' for AdamW: messages name the class the caller constructed.
    super(new.target.name.toLowerCase(), 'adam', params,
      { ...ADAM_DEFAULTS, betas: [...ADAM_DEFAULTS.betas] }, options);
  }

  protected override validate(group: AdamOptions, where: string): void {
    super.validate(group, where);
    const betas = hyperLabel(where, 'betas');
    if (!Array.isArray(group.betas) || group.betas.length !== 2) typeError(this.op, betas, 'a pair [beta1, beta2]', group.betas);
    checkNumbers(this.op, betas, group.betas, { min: 0, maxOpen: 1 });
    checkNumber(this.op, hyperLabel(where, 'eps'), group.eps, { minOpen: 0 });
    checkBoolean(this.op, hyperLabel(where, 'amsgrad'), group.amsgrad);
  }

  protected fillRow(row: StepRow, group: ParamGroup<AdamOptions>, _g: number, t: number): void {
    const [b1, b2] = group.betas;
    row.beta1 = b1;
    row.beta2 = b2;
    row.eps = group.eps;
    row.amsgrad = group.amsgrad;
    // As PyTorch, in double: step_size = lr / (1 - b1^t), bias_correction2_sqrt = sqrt(1 - b2^t).
    row.stepSize = group.lr / (1 - b1 ** t);
    row.bc2Sqrt = Math.sqrt(1 - b2 ** t);
  }
}
