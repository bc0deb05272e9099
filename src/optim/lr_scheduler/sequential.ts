/**
 * SequentialLR (torch.optim.lr_scheduler.SequentialLR): runs schedulers one after another,
 * switching at the milestones; each new scheduler restarts from epoch 0 (its closed form).
 * ChainedScheduler: steps several schedulers together, so their factors multiply.
 */
import { checkArray, checkInteger, checkNumbers, checkPlainObject, isInstance, typeError } from '../../validate/index.js';
import { checkScheduleState, checkSchedulable, LRScheduler, type SchedulableOptimizer } from './scheduler.js';

function sameOptimizer(name: string, optimizer: SchedulableOptimizer, schedulers: readonly LRScheduler[]): void {
  checkArray(name, 'schedulers', schedulers, 'an array of schedules (LRScheduler)');
  if (schedulers.length === 0) throw new Error(`${name}: got no schedulers`);
  schedulers.forEach((s, i) => {
    if (!isInstance(s, LRScheduler)) typeError(name, `schedulers[${i}]`, 'an LRScheduler', s);
    if (s.optimizer !== optimizer) throw new Error(`${name}: scheduler ${i} belongs to another optimizer`);
  });
}

/** A composite's state: its own fields and one state per scheduler, all checked before any is loaded. */
function loadComposite(name: string, state: unknown, current: Record<string, unknown>, schedulers: readonly LRScheduler[]): Record<string, unknown> {
  const op = `${name}.loadStateDict`;
  const own = checkScheduleState(op, state, current);
  const list = own.schedulers === undefined ? [] : (own.schedulers as unknown[]);
  if (list.length !== 0 && list.length !== schedulers.length) {
    throw new RangeError(`${op}: state has ${list.length} scheduler states, there are ${schedulers.length} schedulers`);
  }
  list.forEach((s, i) => checkScheduleState(`${op}: scheduler ${i}`, checkPlainObject(op, `schedulers[${i}]`, s), schedulers[i].stateDict()));
  return own;
}

/** Runs schedulers one after another, switching at the given milestones (torch.optim.lr_scheduler.SequentialLR): e.g. a linear warm-up, then cosine annealing. */
export class SequentialLR {
  lastEpoch: number;
  private lastLr: number[];

  constructor(readonly optimizer: SchedulableOptimizer, readonly schedulers: LRScheduler[], readonly milestones: number[],
    lastEpoch = -1) {
    const name = 'SequentialLR';
    checkSchedulable(name, optimizer);
    sameOptimizer(name, optimizer, schedulers);
    checkNumbers(name, 'milestones', milestones, { min: 0, integer: true });
    if (milestones.length !== schedulers.length - 1) {
      throw new RangeError(`${name}: expected ${schedulers.length - 1} milestones for ${schedulers.length} schedulers, got ${milestones.length}`);
    }
    checkInteger(name, 'lastEpoch', lastEpoch, { min: -1 });
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

  /** The learning rate of each parameter group after the last step. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The state of every scheduler and the step count, for a checkpoint. */
  stateDict(): Record<string, unknown> {
    return { lastEpoch: this.lastEpoch, lastLr: [...this.lastLr], schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  /** Restores a state from stateDict(). */
  loadStateDict(state: Record<string, unknown>): void {
    const s = loadComposite('SequentialLR', state, this.stateDict(), this.schedulers);
    if (s.lastEpoch !== undefined) this.lastEpoch = s.lastEpoch as number;
    if (s.lastLr !== undefined) this.lastLr = s.lastLr as number[];
    ((s.schedulers ?? []) as Record<string, unknown>[]).forEach((x, i) => this.schedulers[i].loadStateDict(x));
  }
}

/** Steps several schedulers together, each multiplying its change into the learning rate (torch.optim.lr_scheduler.ChainedScheduler). */
export class ChainedScheduler {
  readonly optimizer: SchedulableOptimizer;
  private lastLr: number[];

  constructor(readonly schedulers: LRScheduler[]) {
    checkArray('ChainedScheduler', 'schedulers', schedulers, 'an array of schedules (LRScheduler)');
    if (schedulers.length === 0) throw new Error('ChainedScheduler: got no schedulers');
    if (!isInstance(schedulers[0], LRScheduler)) typeError('ChainedScheduler', 'schedulers[0]', 'an LRScheduler', schedulers[0]);
    this.optimizer = schedulers[0].optimizer;
    sameOptimizer('ChainedScheduler', this.optimizer, schedulers);
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Steps every scheduler, in order. */
  step(): void {
    for (const s of this.schedulers) s.step();
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The learning rate of each parameter group after the last step. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The state of every scheduler, for a checkpoint. */
  stateDict(): Record<string, unknown> {
    return { lastLr: [...this.lastLr], schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  /** Restores a state from stateDict(). */
  loadStateDict(state: Record<string, unknown>): void {
    const s = loadComposite('ChainedScheduler', state, this.stateDict(), this.schedulers);
    if (s.lastLr !== undefined) this.lastLr = s.lastLr as number[];
    ((s.schedulers ?? []) as Record<string, unknown>[]).forEach((x, i) => this.schedulers[i].loadStateDict(x));
  }
}
