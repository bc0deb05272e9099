/**
 * Adagrad (Duchi et al.; torch.optim.Adagrad), fused over the arena:
 *
 *   sum += g^2;   w -= clr * g / (sqrt(sum) + eps),   clr = lr / (1 + (t - 1) * lrDecay)
 *
 * Defaults are PyTorch's: lr 1e-2, lrDecay 0, initialAccumulatorValue 0, eps 1e-10. Keras's
 * Adagrad uses lr 1e-3, initial_accumulator_value 0.1 and epsilon 1e-7.
 * Rule and state slots: native/common/optim/adagrad.h.
 */
import type { StepRow } from './step_table.js';
import { hyperLabel, Optimizer, type BaseHyper, type GlobalOptions, type ParamGroup, type ParamsInput } from './optimizer.js';
import { checkNumber } from '../validate/index.js';

/** Adagrad hyperparameters (per group). */
export interface AdagradOptions extends BaseHyper {
  lrDecay: number;
  initialAccumulatorValue: number;
  eps: number;
}

/** Adagrad (Duchi et al.), as torch.optim.Adagrad: sum += g², w -= clr g / (√sum + eps) with clr = lr / (1 + (t - 1) lrDecay); PyTorch's defaults (lr 1e-2, eps 1e-10). */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: ParamsInput<AdagradOptions>, options: Partial<AdagradOptions> & GlobalOptions = {}) {
    super('adagrad', 'adagrad', params,
      { lr: 1e-2, lrDecay: 0, initialAccumulatorValue: 0, eps: 1e-10 }, options);
    const sum = this.stateStorage(0);
    this.paramGroups.forEach((group, g) => {
      const slice = this.arena.slices[g];
      this.arena.backend.fill(sum.buffer, slice.offset, slice.count, group.initialAccumulatorValue);
    });
  }

  protected override validate(group: AdagradOptions, where: string): void {
    super.validate(group, where);
    checkNumber(this.op, hyperLabel(where, 'lrDecay'), group.lrDecay, { min: 0 });
    checkNumber(this.op, hyperLabel(where, 'initialAccumulatorValue'), group.initialAccumulatorValue, { min: 0 });
    checkNumber(this.op, hyperLabel(where, 'eps'), group.eps, { minOpen: 0 });
  }

  protected fillRow(row: StepRow, group: ParamGroup<AdagradOptions>, _g: number, t: number): void {
    row.clr = group.lr / (1 + (t - 1) * group.lrDecay);
    row.eps = group.eps;
  }

  protected override slotHasState(k: number): boolean {
    return k === 0;
  }
}
