/**
 * OneCycleLR (Smith & Topin, super-convergence; torch.optim.lr_scheduler.OneCycleLR), stepped
 * once per batch: lr rises from maxLr / divFactor to maxLr over the first pctStart of the
 * steps, then anneals to (maxLr / divFactor) / finalDivFactor; momentum (or Adam's beta1)
 * moves the opposite way between maxMomentum and baseMomentum. threePhase adds PyTorch's
 * symmetric descent back to the initial lr before the final annealing.
 * Annealing: cos, end + (start - end) / 2 * (1 + cos(pi * pct)), or linear.
 * Defaults are PyTorch's: pctStart 0.3, cos, baseMomentum 0.85, maxMomentum 0.95,
 * divFactor 25, finalDivFactor 1e4.
 */
import { checkBoolean, checkChoice, checkNumber, option, optionKeys, readOptions } from '../../validate/index.js';
import { checkSchedulable, LRScheduler, type SchedulableGroup, type SchedulableOptimizer } from './scheduler.js';

/** OneCycleLR options: totalSteps, or epochs and stepsPerEpoch. */
export interface OneCycleLROptions {
  maxLr: number | number[];
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  pctStart?: number;
  annealStrategy?: 'cos' | 'linear';
  cycleMomentum?: boolean;
  baseMomentum?: number | number[];
  maxMomentum?: number | number[];
  divFactor?: number;
  finalDivFactor?: number;
  threePhase?: boolean;
  lastEpoch?: number;
}

const KEYS = optionKeys<OneCycleLROptions>({
  maxLr: true, totalSteps: true, epochs: true, stepsPerEpoch: true, pctStart: true, annealStrategy: true, cycleMomentum: true,
  baseMomentum: true, maxMomentum: true, divFactor: true, finalDivFactor: true, threePhase: true, lastEpoch: true,
});

type LrKey = 'initialLr' | 'maxLr' | 'minLr';
type MomentumKey = 'maxMomentum' | 'baseMomentum';

interface Phase {
  endStep: number;
  startLr: LrKey;
  endLr: LrKey;
  startMomentum: MomentumKey;
  endMomentum: MomentumKey;
}

/** The one-cycle policy (Smith & Topin; torch.optim.lr_scheduler.OneCycleLR), stepped once per batch: lr rises to maxLr over pctStart of the steps, then anneals far below the start, with momentum moving the opposite way. */
export class OneCycleLR extends LRScheduler {
  readonly totalSteps: number;
  readonly annealStrategy: 'cos' | 'linear';
  readonly cycleMomentum: boolean;
  /** Whether momentum lives in Adam-style betas[0] rather than `momentum`. */
  readonly useBeta1: boolean;
  readonly phases: Phase[];

  constructor(optimizer: SchedulableOptimizer, options: OneCycleLROptions) {
    const name = 'OneCycleLR';
    checkSchedulable(name, optimizer);
    const o = readOptions<OneCycleLROptions>(name, options, KEYS);
    const groups = optimizer.paramGroups;
    const perGroup = (key: string, v: number | number[]): number[] => {
      const list = Array.isArray(v) ? v : groups.map(() => v);
      if (list.length !== groups.length) throw new RangeError(`${name}: expected ${groups.length} values for ${key}, got ${list.length}`);
      return list.map((x, i) => checkNumber(name, `${option(key)}[${i}]`, x, { min: 0 }));
    };
    let total: number;
    if (o.totalSteps !== undefined) total = checkNumber(name, option('totalSteps'), o.totalSteps, { minOpen: 0, integer: true });
    else if (o.epochs !== undefined && o.stepsPerEpoch !== undefined) {
      total = checkNumber(name, option('epochs'), o.epochs, { minOpen: 0, integer: true })
        * checkNumber(name, option('stepsPerEpoch'), o.stepsPerEpoch, { minOpen: 0, integer: true });
    } else throw new Error(`${name}: give totalSteps, or epochs and stepsPerEpoch`);
    const pct = checkNumber(name, option('pctStart'), o.pctStart ?? 0.3, { min: 0, max: 1 });
    const divFactor = checkNumber(name, option('divFactor'), o.divFactor ?? 25, { minOpen: 0 });
    const finalDivFactor = checkNumber(name, option('finalDivFactor'), o.finalDivFactor ?? 1e4, { minOpen: 0 });
    const lastEpoch = o.lastEpoch ?? -1;
    checkNumber(name, option('lastEpoch'), lastEpoch, { min: -1, integer: true });
    const maxLrs = perGroup('maxLr', o.maxLr as number | number[]);
    const cycle = checkBoolean(name, option('cycleMomentum'), o.cycleMomentum ?? true);
    const anneal = checkChoice(name, option('annealStrategy'), o.annealStrategy ?? 'cos', ['cos', 'linear'] as const);
    const threePhase = checkBoolean(name, option('threePhase'), o.threePhase ?? false);
    const useBeta1 = 'betas' in optimizer.defaults;
    if (cycle && !('momentum' in optimizer.defaults) && !useBeta1) {
      throw new Error(`${name}: the optimizer has no momentum or betas to cycle; pass cycleMomentum: false`);
    }
    const maxM = cycle ? perGroup('maxMomentum', o.maxMomentum ?? 0.95) : [];
    const baseM = cycle ? perGroup('baseMomentum', o.baseMomentum ?? 0.85) : [];
    // Everything is checked: only now are the groups given their schedule fields.
    if (lastEpoch === -1) {
      maxLrs.forEach((maxLr, i) => {
        const g = groups[i];
        g.initialLr = maxLr / divFactor;
        g.maxLr = maxLr;
        g.minLr = g.initialLr / finalDivFactor;
        if (!cycle) return;
        OneCycleLR.setMomentum(g, useBeta1, maxM[i]);
        g.maxMomentum = maxM[i];
        g.baseMomentum = baseM[i];
      });
    }
    super(optimizer, name, lastEpoch);
    this.totalSteps = total;
    this.annealStrategy = anneal;
    this.cycleMomentum = cycle;
    this.useBeta1 = useBeta1;
    this.phases = threePhase
      ? [
        { endStep: pct * total - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
        { endStep: 2 * pct * total - 2, startLr: 'maxLr', endLr: 'initialLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
        { endStep: total - 1, startLr: 'initialLr', endLr: 'minLr', startMomentum: 'maxMomentum', endMomentum: 'maxMomentum' },
      ]
      : [
        { endStep: pct * total - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
        { endStep: total - 1, startLr: 'maxLr', endLr: 'minLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
      ];
    this.initialStep();
  }

  private static setMomentum(g: SchedulableGroup, useBeta1: boolean, m: number): void {
    if (useBeta1) g.betas = [m, g.betas![1]];
    else g.momentum = m;
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
  }

  protected getLr(): number[] {
    const step = this.lastEpoch;
    if (step > this.totalSteps) {
      throw new RangeError(`${this.name}: tried to step ${step + 1} times; totalSteps is ${this.totalSteps}`);
    }
    return this.optimizer.paramGroups.map((g) => {
      let start = 0;
      for (let i = 0; i < this.phases.length; i++) {
        const phase = this.phases[i];
        if (step <= phase.endStep || i === this.phases.length - 1) {
          const pct = (step - start) / (phase.endStep - start);
          if (this.cycleMomentum) {
            const m = this.anneal(g[phase.startMomentum]!, g[phase.endMomentum]!, pct);
            OneCycleLR.setMomentum(g, this.useBeta1, m);
          }
          return this.anneal(g[phase.startLr]!, g[phase.endLr]!, pct);
        }
        start = phase.endStep;
      }
      throw new Error(`${this.name}: no phase for step ${step}`);
    });
  }
}
