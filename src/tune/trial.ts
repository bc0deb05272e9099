/**
 * Trial (optuna.trial.Trial): the handle an objective gets. Define-by-run: each suggest* call
 * declares a parameter and returns its value for this trial, so a search space can depend on
 * earlier values (conditional parameters). Where a value comes from, in Optuna's order:
 *   1. the same name suggested earlier in this trial: the same value again;
 *   2. an enqueued value (study.enqueueTrial);
 *   3. a distribution with one value: that value;
 *   4. the sampler's joint sample (sampleRelative), when it covers this name and distribution;
 *   5. the sampler's sampleIndependent.
 * A name keeps a compatible distribution across the study (same kind, same log flag, same
 * categorical choices). report/shouldPrune feed the pruner.
 */
import {
  CategoricalDistribution, checkDistributionCompatibility, FloatDistribution, IntDistribution, singleValue,
  type CategoricalChoice, type Distribution, type ParamValue, type RangeOptions, type SearchSpace,
} from './distributions.js';
import { FrozenTrial, type TrialState } from './frozen_trial.js';
import { checkJsonValue, type JsonValue } from './json.js';
import { checkOptionKeys } from './options.js';
import type { Pruner } from './pruners/base.js';
import type { ParamMap, Sampler } from './samplers/base.js';
import type { Storage } from './storages/base.js';
import type { StudyView } from './study_view.js';
import { checkString, typeError } from '../validate/index.js';

/** What a trial needs from its study (kept off the Study's public surface). */
export interface TrialHost {
  readonly view: StudyView;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  /** Throws when `name` was suggested with an incompatible distribution elsewhere in the study. */
  checkCompatible(fn: string, name: string, distribution: Distribution): void;
  /** Queues a storage write; the study flushes the queue before the trial is reported finished. */
  write(op: (storage: Storage) => Promise<unknown>): void;
  /** After a report: a study on a shared storage re-reads other workers' trials now and then, for the pruner. */
  reported?(): void;
}

/**
 * The handle an objective gets (optuna.trial.Trial): each suggest* call declares a parameter and returns its value for this trial; report and shouldPrune feed the pruner.
 *
 * ```ts
 * async function objective(trial: tune.Trial) {
 *   const lr = trial.suggestFloat('lr', 1e-5, 1e-1, { log: true });
 *   const layers = trial.suggestInt('layers', 1, 3);
 *   return trainAndValidate(lr, layers);
 * }
 * ```
 */
export class Trial {
  readonly number: number;
  /** The storage's id of this trial. */
  readonly trialId: number;
  readonly datetimeStart: Date;
  private readonly params_ = new Map<string, ParamValue>();
  private readonly distributions_ = new Map<string, Distribution>();
  private readonly intermediate = new Map<number, number>();
  private readonly systemAttrs_: Record<string, JsonValue>;
  private readonly userAttrs_: Record<string, JsonValue>;
  private readonly controller = new AbortController();
  private state: TrialState = 'RUNNING';
  private frozen: FrozenTrial | null = null;
  private relativeSpace: SearchSpace = {};
  private relativeParams: ParamMap = {};
  private prunedMessage_: string | null = null;
  private abandoned: string | null = null;

  /** @internal The study creates trials (ask); objectives receive them. */
  constructor(private readonly host: TrialHost, stored: FrozenTrial) {
    this.number = stored.number;
    this.trialId = stored.trialId;
    this.datetimeStart = stored.datetimeStart ?? new Date();
    for (const [name, value] of Object.entries(stored.params)) {
      this.params_.set(name, value);
      this.distributions_.set(name, stored.distributions[name]);
    }
    this.systemAttrs_ = { ...stored.systemAttrs };
    this.userAttrs_ = { ...stored.userAttrs };
  }

  /**
   * Aborted when the trial's time (`trialTimeoutMs`) runs out: pass it to `train.fit({ signal })`
   * so an abandoned trial stops training.
   */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get params(): Readonly<Record<string, ParamValue>> {
    return Object.fromEntries(this.params_);
  }

  get distributions(): Readonly<Record<string, Distribution>> {
    return Object.fromEntries(this.distributions_);
  }

  get userAttrs(): Readonly<Record<string, JsonValue>> {
    return { ...this.userAttrs_ };
  }

  get systemAttrs(): Readonly<Record<string, JsonValue>> {
    return { ...this.systemAttrs_ };
  }

  /** The message given to markPruned, or null. */
  get prunedMessage(): string | null {
    return this.prunedMessage_;
  }

  /** A float in [low, high]; `log` samples in log space, `step` on the grid low, low + step, ... */
  suggestFloat(name: string, low: number, high: number, options: RangeOptions = {}): number {
    checkString('suggestFloat', 'name', name, true);
    checkOptionKeys('suggestFloat', options, ['log', 'step']);
    return this.suggest('suggestFloat', name, new FloatDistribution(low, high, options, 'suggestFloat')) as number;
  }

  /** An integer in [low, high] on the grid low, low + step, ... (`log` needs step 1). */
  suggestInt(name: string, low: number, high: number, options: RangeOptions = {}): number {
    checkString('suggestInt', 'name', name, true);
    checkOptionKeys('suggestInt', options, ['log', 'step']);
    return this.suggest('suggestInt', name, new IntDistribution(low, high, options, 'suggestInt')) as number;
  }

  /** One of `choices`, typed as the union of the choices (pass them `as const` or inline). */
  suggestCategorical<const T extends readonly CategoricalChoice[]>(name: string, choices: T): T[number] {
    checkString('suggestCategorical', 'name', name, true);
    return this.suggest('suggestCategorical', name, new CategoricalDistribution(choices, 'suggestCategorical')) as T[number];
  }

  /** Reports the objective's intermediate value at `step` (an epoch, say) for the pruner. */
  report(value: number, step: number): void {
    if (typeof step !== 'number') typeError('report', 'step', 'an integer >= 0', step);
    this.checkRunning('report');
    if (typeof value !== 'number') throw new TypeError(`report: value must be a number, got ${typeof value}`);
    if (!Number.isSafeInteger(step) || step < 0) throw new RangeError(`report: step must be an integer >= 0, got ${step}`);
    if (this.intermediate.has(step)) {
      process.emitWarning(`report: trial ${this.number} already reported step ${step}; the new value ${value} is ignored`, 'TuneWarning');
      return;
    }
    this.intermediate.set(step, value);
    this.frozen = null;
    this.host.write((s) => s.setTrialIntermediateValue(this.trialId, step, value));
    this.host.reported?.();
  }

  /** Whether the study's pruner says to stop this trial now (after a report). */
  shouldPrune(): boolean {
    this.checkRunning('shouldPrune');
    return this.host.pruner.prune(this.host.view, this.freeze());
  }

  /**
   * Records that this trial is pruned without throwing: when the objective then returns, the
   * study files the trial as PRUNED. PruningCallback uses it, since `fit` ends normally.
   */
  markPruned(message = `Trial ${this.number} was pruned`): void {
    this.checkRunning('markPruned');
    this.prunedMessage_ = message;
  }

  /** Sets a user attribute of the trial (JSON-able; kept in the storage). */
  setUserAttr(key: string, value: JsonValue): void {
    checkString('setUserAttr', 'key', key, true);
    value = checkJsonValue('setUserAttr', 'value', value);
    this.checkRunning('setUserAttr');
    this.userAttrs_[key] = value;
    this.frozen = null;
    this.host.write((s) => s.setTrialUserAttr(this.trialId, key, value));
  }

  /** @internal Sets a system attribute (samplers and pruners, through the study). */
  setSystemAttr(key: string, value: JsonValue): void {
    this.checkRunning('setSystemAttr');
    this.systemAttrs_[key] = value;
    this.frozen = null;
    this.host.write((s) => s.setTrialSystemAttr(this.trialId, key, value));
  }

  /** @internal The sampler's joint sample for this trial. */
  setRelative(space: SearchSpace, params: ParamMap): void {
    this.relativeSpace = space;
    this.relativeParams = params;
  }

  /** @internal Suggests from a ready distribution (study.ask's fixed distributions). */
  suggestDistribution(name: string, distribution: Distribution): ParamValue {
    return this.suggest('ask', name, distribution);
  }

  /** @internal Ends the trial for this handle; later calls throw. */
  finish(state: TrialState): void {
    this.state = state;
    this.frozen = null;
  }

  /** @internal The trial ran out of time: later calls from its objective throw, and `signal` aborts. */
  abort(reason: Error): void {
    this.abandoned = reason.message;
    if (!this.controller.signal.aborted) this.controller.abort(reason);
  }

  /** The trial as samplers and pruners see it: RUNNING, with everything suggested and reported so far. */
  freeze(): FrozenTrial {
    this.frozen ??= new FrozenTrial({
      number: this.number, trialId: this.trialId, state: this.state, value: null,
      params: Object.fromEntries(this.params_), distributions: Object.fromEntries(this.distributions_),
      intermediateValues: this.intermediate, datetimeStart: this.datetimeStart, datetimeComplete: null,
      userAttrs: this.userAttrs_, systemAttrs: this.systemAttrs_, errorMessage: null,
    });
    return this.frozen;
  }

  private suggest(fn: string, name: string, distribution: Distribution): ParamValue {
    this.checkRunning(fn);
    if (typeof name !== 'string' || name === '') throw new TypeError(`${fn}: name must be a non-empty string, got ${JSON.stringify(name)}`);
    const previous = this.distributions_.get(name);
    if (previous) {
      checkDistributionCompatibility(fn, name, previous, distribution);
      return this.params_.get(name)!;
    }
    this.host.checkCompatible(fn, name, distribution);
    const value = this.pick(fn, name, distribution);
    let internal: number;
    try {
      internal = distribution.toInternalRepr(value);
    } catch (err) {
      throw new RangeError(`${fn}: the value ${JSON.stringify(value)} for '${name}' does not fit ${distribution}: ${(err as Error).message}`);
    }
    if (!distribution.contains(internal)) {
      process.emitWarning(`${fn}: the value ${JSON.stringify(value)} for '${name}' lies outside ${distribution}; it is used as given`, 'TuneWarning');
    }
    const external = distribution.toExternalRepr(internal);
    this.params_.set(name, external);
    this.distributions_.set(name, distribution);
    this.frozen = null;
    this.host.write((s) => s.setTrialParam(this.trialId, name, internal, distribution));
    return external;
  }

  private pick(fn: string, name: string, distribution: Distribution): ParamValue {
    const fixed = this.systemAttrs_.fixed_params as Record<string, ParamValue> | undefined;
    if (fixed && Object.hasOwn(fixed, name)) return fixed[name];
    if (distribution.single()) return singleValue(distribution);
    const relative = this.relativeSpace[name];
    if (relative && relative.equals(distribution) && Object.hasOwn(this.relativeParams, name)) return this.relativeParams[name];
    const value = this.host.sampler.sampleIndependent(this.host.view, this.freeze(), name, distribution);
    if (value === undefined) throw new Error(`${fn}: the sampler returned no value for '${name}'`);
    return value;
  }

  private checkRunning(fn: string): void {
    if (this.abandoned !== null) throw new Error(`${fn}: trial ${this.number} was abandoned: ${this.abandoned}`);
    if (this.state !== 'RUNNING') throw new Error(`${fn}: trial ${this.number} is already ${this.state}; a finished trial cannot be changed`);
  }
}
