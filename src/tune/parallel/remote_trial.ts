/**
 * The `trial` an objective receives in a worker thread: the same methods as tune.Trial, each
 * forwarded synchronously to the study's real Trial in the main thread (sync_call.ts).
 */
import type { CategoricalChoice, RangeOptions } from '../distributions.js';
import type { JsonValue } from '../json.js';
import { TrialPruned } from '../trial_pruned.js';
import { callMain, type CallRequest } from './sync_call.js';

export class RemoteTrial {
  private pruned: string | null = null;
  private readonly controller = new AbortController();

  constructor(readonly number: number, private readonly buffer: SharedArrayBuffer, private readonly post: (r: CallRequest) => void) {}

  private call(method: string, ...args: unknown[]): unknown {
    return callMain(this.buffer, this.post, method, args);
  }

  /** Aborts when the main thread gives up on the trial (never, today: a timed-out worker is terminated). */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get params(): Record<string, unknown> {
    return this.call('params') as Record<string, unknown>;
  }

  get prunedMessage(): string | null {
    return this.pruned;
  }

  suggestFloat(name: string, low: number, high: number, options: RangeOptions = {}): number {
    return this.call('suggestFloat', name, low, high, options) as number;
  }

  suggestInt(name: string, low: number, high: number, options: RangeOptions = {}): number {
    return this.call('suggestInt', name, low, high, options) as number;
  }

  suggestCategorical<const T extends readonly CategoricalChoice[]>(name: string, choices: T): T[number] {
    return this.call('suggestCategorical', name, choices) as T[number];
  }

  report(value: number, step: number): void {
    this.call('report', value, step);
  }

  shouldPrune(): boolean {
    return this.call('shouldPrune') as boolean;
  }

  markPruned(message = `Trial ${this.number} was pruned`): void {
    this.pruned = message;
  }

  setUserAttr(key: string, value: JsonValue): void {
    this.call('setUserAttr', key, value);
  }

  /** For symmetry with Trial: throws TrialPruned when shouldPrune() says so. */
  pruneIfNeeded(): void {
    if (this.shouldPrune()) throw new TrialPruned(`Trial ${this.number} was pruned`);
  }
}
