/**
 * SGD with optional momentum and Nesterov momentum (torch.optim.SGD), fused over the arena.
 *
 *   buf = g (first step), then buf = momentum * buf + (1 - dampening) * g
 *   w -= lr * (nesterov ? g + momentum * buf : buf)
 *
 * `emaMomentum: true` gives the handbook's form instead, v = beta * v + (1 - beta) * g with
 * v starting at zero and beta = momentum (dampening is ignored): the step is then (1 - beta)
 * times PyTorch's, so the same lr moves less. Keras's SGD (v = m * v - lr * g; w += v) equals
 * PyTorch's form at a constant lr.
 *
 * Defaults: lr 1e-3 (PyTorch >= 2.2; 1.13 required it; Keras uses 0.01), momentum 0.
 * Rule and state slots: native/common/optim/sgd.h.
 */
import type { StepRow } from './step_table.js';
import { hyperLabel, Optimizer, type BaseHyper, type GlobalOptions, type ParamGroup, type ParamsInput } from './optimizer.js';
import { checkBoolean, checkNumber } from '../validate/index.js';

/** SGD hyperparameters (per group). */
export interface SgdOptions extends BaseHyper {
  momentum: number;
  dampening: number;
  nesterov: boolean;
  /** The handbook's EMA momentum v = beta * v + (1 - beta) * g (beta = momentum). */
  emaMomentum: boolean;
}

/**
 * Stochastic gradient descent with optional momentum and Nesterov momentum, as torch.optim.SGD: buf = momentum * buf + (1 - dampening) * g; w -= lr * (nesterov ? g + momentum * buf : buf).
 *
 * ```ts
 * const optimizer = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
 * ```
 */
export class SGD extends Optimizer<SgdOptions> {
  private readonly started: boolean[];

  constructor(params: ParamsInput<SgdOptions>, options: Partial<SgdOptions> & GlobalOptions = {}) {
    super('sgd', 'sgd', params,
      { momentum: 0, dampening: 0, nesterov: false, emaMomentum: false }, options);
    this.started = this.paramGroups.map(() => false);
  }

  protected override validate(group: SgdOptions, where: string): void {
    super.validate(group, where);
    checkNumber(this.op, hyperLabel(where, 'momentum'), group.momentum, { min: 0 });
    checkNumber(this.op, hyperLabel(where, 'dampening'), group.dampening);
    checkBoolean(this.op, hyperLabel(where, 'nesterov'), group.nesterov);
    checkBoolean(this.op, hyperLabel(where, 'emaMomentum'), group.emaMomentum);
    if (group.nesterov && (group.momentum <= 0 || group.dampening !== 0)) {
      throw new RangeError(`${this.op}: nesterov needs momentum > 0 and dampening 0 (${where}), got momentum ${group.momentum}, dampening ${group.dampening}`);
    }
    if (group.emaMomentum && group.momentum >= 1) {
      throw new RangeError(`${this.op}: emaMomentum needs momentum (beta) < 1 (${where}), got ${group.momentum}`);
    }
  }

  protected fillRow(row: StepRow, group: ParamGroup<SgdOptions>, g: number): void {
    row.momentum = group.momentum;
    row.dampening = group.emaMomentum ? group.momentum : group.dampening;
    row.nesterov = group.nesterov;
    row.firstStep = group.momentum !== 0 && !group.emaMomentum && !this.started[g];
  }

  protected override slotHasState(k: number, g: number): boolean {
    return super.slotHasState(k, g) && this.started[g];
  }

  protected override afterStep(g: number): void {
    if (this.paramGroups[g].momentum !== 0) this.started[g] = true;
  }

  protected override restoredSlot(k: number, g: number, present: boolean): void {
    if (k === 0) this.started[g] = present;
  }
}
