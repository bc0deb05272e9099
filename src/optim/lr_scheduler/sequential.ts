/**
 * SequentialLR (torch.optim.lr_scheduler.SequentialLR): runs schedulers one after another,
 * switching at the milestones; each new scheduler restarts from epoch 0 (its closed form).
 * ChainedScheduler: steps several schedulers together, so their factors multiply.
 */
import { checkNumber } from '../validate.js';
import { LRScheduler, type SchedulableOptimizer } from './scheduler.js';

function sameOptimizer(name: string, optimizer: SchedulableOptimizer, schedulers: readonly LRScheduler[]): void {
  if (schedulers.length === 0) throw new Error(`${name}: got no schedulers`);
  schedulers.forEach((s, i) => {
    if (s.optimizer !== optimizer) throw new Error(`${name}: scheduler ${i} belongs to another optimizer`);
  });
}

export class SequentialLR {
  lastEpoch: number;
  private lastLr: number[];

  constructor(readonly optimizer: SchedulableOptimizer, readonly schedulers: LRScheduler[], readonly milestones: number[],
    lastEpoch = -1) {
    const name = 'SequentialLR';
    sameOptimizer(name, optimizer, schedulers);
    if (milestones.length !== schedulers.length - 1) {
      throw new RangeError(`${name}: expected ${schedulers.length - 1} milestones for ${schedulers.length} schedulers, got ${milestones.length}`);
    }
    milestones.forEach((m, i) => checkNumber(name, `milestones[${i}]`, m, { min: 0, integer: true }));
    this.lastEpoch = lastEpoch + 1;
    // Undo what the schedulers' own construction did, then start the first one afresh.
    for (const g of optimizer.paramGroups) g.lr = g.initialLr!;
    for (const s of schedulers) s.lastEpoch -= 1;
    (schedulers[0] as unknown as { initialStep(): void }).initialStep();
    this.lastLr = schedulers[0].getLastLr();
  }

  /** Advances one epoch, handing over to the next scheduler at a milestone. */
  step(): void {
    this.lastEpoch++;
    const idx = this.milestones.filter((m) => m <= this.lastEpoch).length;
    const scheduler = this.schedulers[idx];
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) scheduler.step(0);
    else scheduler.step();
    this.lastLr = scheduler.getLastLr();
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  stateDict(): Record<string, unknown> {
    return { lastEpoch: this.lastEpoch, lastLr: [...this.lastLr], schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  loadStateDict(state: Record<string, unknown>): void {
    this.lastEpoch = state.lastEpoch as number;
    this.lastLr = [...(state.lastLr as number[])];
    (state.schedulers as Record<string, unknown>[]).forEach((s, i) => this.schedulers[i].loadStateDict(s));
  }
}

export class ChainedScheduler {
  readonly optimizer: SchedulableOptimizer;
  private lastLr: number[];

  constructor(readonly schedulers: LRScheduler[]) {
    if (schedulers.length === 0) throw new Error('ChainedScheduler: got no schedulers');
    this.optimizer = schedulers[0].optimizer;
    sameOptimizer('ChainedScheduler', this.optimizer, schedulers);
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Steps every scheduler, in order. */
  step(): void {
    for (const s of this.schedulers) s.step();
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  stateDict(): Record<string, unknown> {
    return { lastLr: [...this.lastLr], schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  loadStateDict(state: Record<string, unknown>): void {
    this.lastLr = [...(state.lastLr as number[])];
    (state.schedulers as Record<string, unknown>[]).forEach((s, i) => this.schedulers[i].loadStateDict(s));
  }
}
