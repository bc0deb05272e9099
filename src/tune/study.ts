/**
 * Study (optuna.Study): one optimization — a direction, a sampler, a pruner and the trials kept
 * in a storage. `optimize` runs an objective trial after trial; `ask`/`tell` let an evaluator
 * outside the process drive the same loop. The study holds a snapshot of its storage's trials,
 * refreshed before every trial, so samplers and pruners read synchronously (study_view.ts) while
 * the storage itself may be asynchronous; writes go through a queue the study flushes before it
 * reports a trial finished. On a storage other processes write to (a database), the study fails
 * their stale trials before each new trial, and re-reads the storage in the background at most
 * once a second while its trials report, so pruners compare against every worker's latest
 * intermediate values, not only those known when the trial started.
 */
import { checkDistributionCompatibility, type Distribution, type ParamValue, type SearchSpace } from './distributions.js';
import { type FrozenTrial, type StudyDirection, type TrialState } from './frozen_trial.js';
import { checkJsonValue, type JsonValue } from './json.js';
import { checkOptionKeys } from './options.js';
import { runOptimize, type Objective, type OptimizeOptions } from './optimize.js';
import type { Pruner } from './pruners/base.js';
import type { Sampler } from './samplers/base.js';
import type { Storage } from './storages/base.js';
import type { StudyView } from './study_view.js';
import { Trial, type TrialHost } from './trial.js';
import { trialsTable, type TrialsTable, type TrialsTableOptions } from './trials_table.js';
import { WriteQueue } from './write_queue.js';
import { checkSearchSpace, copyOptions } from './arguments.js';
import { checkBoolean, checkInteger, checkString, isInstance, isPlainObject, readSafely, typeError } from '../validate/index.js';

/** What `tell` records: a value (COMPLETE), or the trial's fate. */
export type TellResult = number | 'pruned' | 'failed';

/**
 * One optimization (optuna.Study): a direction, a sampler, a pruner and the trials kept in a storage. Made by tune.createStudy or tune.loadStudy.
 *
 * ```ts
 * const study = await tune.createStudy({ direction: 'minimize' });
 * await study.optimize((trial) => (trial.suggestFloat('x', -10, 10) - 2) ** 2, { nTrials: 50 });
 * study.bestParams;   // { x: 2.0... }
 * ```
 */
export class Study implements StudyView {
  private snapshot: FrozenTrial[] = [];
  private readonly live = new Map<number, Trial>();
  private readonly latest = new Map<string, Distribution>();
  private systemAttrs_: Record<string, JsonValue> = {};
  private userAttrs_: Record<string, JsonValue> = {};
  private readonly writes = new WriteQueue();
  private readonly host: TrialHost;
  private stopFlag = false;
  // ES private: bookkeeping of the background refresh, not part of the study's state.
  #lastRefresh = 0;
  #background: Promise<void> | null = null;
  /** @internal set while optimize runs (no nesting). */
  optimizing = false;

  /** @internal Use createStudy or loadStudy. */
  constructor(
    readonly storage: Storage, readonly studyId: number, readonly studyName: string,
    readonly direction: StudyDirection, readonly sampler: Sampler, readonly pruner: Pruner,
  ) {
    const study = this;
    this.host = {
      view: this, sampler, pruner,
      checkCompatible(fn, name, distribution) {
        const previous = study.latest.get(name);
        if (previous) checkDistributionCompatibility(fn, name, previous, distribution);
        study.latest.set(name, distribution);
      },
      write: (op) => this.writes.push(() => op(this.storage)),
      reported: () => this.#refreshSoon(),
    };
  }

  /** Every trial, in number order (running ones as they are now). */
  get trials(): readonly FrozenTrial[] {
    return this.getTrials();
  }

  getTrials(states?: readonly TrialState[]): readonly FrozenTrial[] {
    if (states !== undefined && !Array.isArray(states)) typeError('getTrials', 'states', 'an array of trial states', states);
    const out: FrozenTrial[] = [];
    for (const stored of this.snapshot) {
      if (stored === undefined) continue; // a number another process took after our last refresh
      const t = this.live.get(stored.number)?.freeze() ?? stored;
      if (!states || states.includes(t.state)) out.push(t);
    }
    return out;
  }

  /** The COMPLETE trial with the best value (the first of equals). */
  get bestTrial(): FrozenTrial {
    let best: FrozenTrial | null = null;
    for (const t of this.getTrials(['COMPLETE'])) {
      if (best === null || (this.direction === 'minimize' ? t.value! < best.value! : t.value! > best.value!)) best = t;
    }
    if (best === null) throw new Error(`study.bestTrial: no trial is COMPLETE yet (${this.describeStates()})`);
    return best;
  }

  get bestValue(): number {
    return this.bestTrial.value!;
  }

  get bestParams(): Readonly<Record<string, ParamValue>> {
    return this.bestTrial.params;
  }

  get systemAttrs(): Readonly<Record<string, JsonValue>> {
    return this.systemAttrs_;
  }

  get userAttrs(): Readonly<Record<string, JsonValue>> {
    return this.userAttrs_;
  }

  /** Sets a system attribute of the study (kept in the storage). */
  setSystemAttr(key: string, value: JsonValue): void {
    checkString('setSystemAttr', 'key', key, true);
    value = checkJsonValue('setSystemAttr', 'value', value);
    this.systemAttrs_ = { ...this.systemAttrs_, [key]: value };
    this.writes.push(() => this.storage.setStudySystemAttr(this.studyId, key, value));
  }

  /** Sets a user attribute of the study (kept in the storage). */
  setUserAttr(key: string, value: JsonValue): void {
    checkString('setUserAttr', 'key', key, true);
    value = checkJsonValue('setUserAttr', 'value', value);
    this.userAttrs_ = { ...this.userAttrs_, [key]: value };
    this.writes.push(() => this.storage.setStudyUserAttr(this.studyId, key, value));
  }

  setTrialSystemAttr(trialNumber: number, key: string, value: JsonValue): void {
    checkInteger('setTrialSystemAttr', 'trialNumber', trialNumber, { min: 0 });
    checkString('setTrialSystemAttr', 'key', key, true);
    const trial = this.live.get(trialNumber);
    if (!trial) throw new Error(`setTrialSystemAttr: trial ${trialNumber} is not running in this process`);
    trial.setSystemAttr(key, value);
  }

  /** Ends `optimize` once the running trial finishes. */
  stop(): void {
    this.stopFlag = true;
  }

  /** @internal optimize's loop reads and clears the flag. */
  takeStop(reset = false): boolean {
    const s = this.stopFlag;
    if (reset) this.stopFlag = false;
    return s;
  }

  /** Runs `objective` for `nTrials` trials, until `timeoutMs`, or until `signal` aborts (optimize.ts). */
  optimize(objective: Objective | string | URL, options: OptimizeOptions = {}): Promise<void> {
    if (typeof objective === 'string') checkString('optimize', 'objective', objective, true);
    else if (typeof objective !== 'function' && !isInstance(objective, URL)) {
      typeError('optimize', 'objective', 'a function of the trial, or the path or URL of an objective module', objective);
    }
    return runOptimize(this, objective, options);
  }

  /**
   * Starts a trial: the oldest enqueued one if any waits, otherwise a new one. Distributions in
   * `fixedDistributions` are suggested at once (Optuna's ask(fixed_distributions)).
   */
  async ask(fixedDistributions: SearchSpace = {}): Promise<Trial> {
    fixedDistributions = checkSearchSpace('ask', 'fixedDistributions', fixedDistributions);
    await this.writes.flush();
    await this.storage.failStaleTrials?.(this.studyId);
    await this.refresh();
    const stored = (await this.storage.claimWaitingTrial(this.studyId)) ?? (await this.storage.createNewTrial(this.studyId));
    const trial = new Trial(this.host, stored);
    this.live.set(trial.number, trial);
    this.snapshot[trial.number] = stored;
    try {
      this.sampler.beforeTrial?.(this, trial.freeze());
      const space = this.sampler.inferRelativeSearchSpace(this, trial.freeze());
      trial.setRelative(space, Object.keys(space).length ? await this.sampler.sampleRelative(this, trial.freeze(), space) : {});
      for (const [name, d] of Object.entries(fixedDistributions)) trial.suggestDistribution(name, d);
    } catch (err) {
      await this.tell(trial, 'failed', { errorMessage: `ask: ${(err as Error).message}` });
      throw err;
    }
    return trial;
  }

  /**
   * Finishes a trial (a Trial or its number): a number completes it with that value (NaN fails
   * it), 'pruned' records its last intermediate value, 'failed' an optional error message.
   */
  async tell(trial: Trial | number, result: TellResult, options: { errorMessage?: string } = {}): Promise<FrozenTrial> {
    options = copyOptions<{ errorMessage?: string }>('tell', options) ?? {};
    checkOptionKeys('tell', options, ['errorMessage']);
    if (typeof trial === 'number') checkInteger('tell', 'trial', trial, { min: 0 });
    else if (!isInstance(trial, Trial)) typeError('tell', 'trial', 'a Trial or a trial number', trial);
    if (typeof result !== 'number' && result !== 'pruned' && result !== 'failed') typeError('tell', 'result', "a number, 'pruned' or 'failed'", result);
    const handle = typeof trial === 'number' ? this.live.get(trial) : trial;
    const number = typeof trial === 'number' ? trial : trial.number;
    const current = handle?.freeze() ?? (await this.refresh(), this.snapshot[number]);
    if (!current) throw new RangeError(`tell: the study has no trial ${number}`);
    if (current.state !== 'RUNNING') throw new Error(`tell: trial ${number} is ${current.state}; only a RUNNING trial can be told`);
    let state: 'COMPLETE' | 'PRUNED' | 'FAIL';
    let value: number | null = null;
    let errorMessage: string | null = null;
    if (result === 'pruned') {
      state = 'PRUNED';
      const last = current.lastStep;
      const v = last === null ? NaN : current.intermediateValues.get(last)!;
      value = Number.isNaN(v) ? null : v;
    } else if (result === 'failed') {
      state = 'FAIL';
      errorMessage = options.errorMessage ?? null;
    } else if (typeof result === 'number' && !Number.isNaN(result)) {
      state = 'COMPLETE';
      value = result;
    } else {
      state = 'FAIL';
      errorMessage = typeof result === 'number' ? 'the objective returned NaN' : `tell: expected a number, 'pruned' or 'failed', got ${JSON.stringify(result)}`;
    }
    try {
      this.sampler.afterTrial?.(this, current, state, value);
    } finally {
      handle?.finish(state);
      this.writes.push(() => this.storage.setTrialStateValues(current.trialId, state, value, errorMessage));
      this.live.delete(number);
    }
    await this.writes.flush();
    if (this.#background) await this.#background; // a read begun before this write must not overwrite what it returns
    const stored = await this.storage.getTrial(current.trialId);
    this.snapshot[number] = stored;
    return stored;
  }

  /**
   * Queues a trial with fixed parameter values (a warm start): the next `ask` takes it, and its
   * suggest* calls return these values. Parameters it does not fix are sampled as usual.
   */
  async enqueueTrial(params: Record<string, ParamValue>, options: { userAttrs?: Record<string, JsonValue>; skipIfExists?: boolean } = {}): Promise<void> {
    const op = 'enqueueTrial';
    if (!isPlainObject(params)) typeError(op, 'params', 'an object of parameter values by name', params);
    params = readSafely(op, 'params', () => ({ ...params }));
    for (const [k, v] of Object.entries(params)) {
      if (v !== null && typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean') typeError(op, `params '${k}'`, 'a number, a string, a boolean or null', v);
    }
    options = copyOptions<{ userAttrs?: Record<string, JsonValue>; skipIfExists?: boolean }>(op, options) ?? {};
    checkOptionKeys(op, options, ['userAttrs', 'skipIfExists']);
    if (options.skipIfExists !== undefined) checkBoolean(op, "option 'skipIfExists'", options.skipIfExists);
    if (options.userAttrs !== undefined) {
      if (!isPlainObject(options.userAttrs)) typeError(op, "option 'userAttrs'", 'an object of JSON values', options.userAttrs);
      options = { ...options, userAttrs: checkJsonValue(op, "option 'userAttrs'", options.userAttrs) as Record<string, JsonValue> };
    }
    if (options.skipIfExists) {
      await this.refresh();
      const same = (p: Readonly<Record<string, unknown>>) => Object.keys(params).every((k) => Object.is(p[k], params[k]));
      const exists = this.getTrials().some((t) => same(t.params) || (t.state === 'WAITING' && same((t.systemAttrs.fixed_params ?? {}) as Record<string, unknown>)));
      if (exists) return;
    }
    this.writes.push(() => this.storage.createNewTrial(this.studyId, { state: 'WAITING', systemAttrs: { fixed_params: { ...params } }, userAttrs: options.userAttrs }));
    await this.writes.flush();
  }

  /** The trials as rows, best first by default (trials_table.ts). */
  trialsTable(options?: TrialsTableOptions): TrialsTable {
    return trialsTable(this.getTrials(), this.direction, options);
  }

  /** Re-reads the trials and attributes from the storage (other processes' trials included). */
  async refresh(): Promise<void> {
    await this.writes.flush();
    if (this.#background) await this.#background;
    const [trials, systemAttrs, userAttrs] = await Promise.all([
      this.storage.getAllTrials(this.studyId),
      this.storage.getStudySystemAttrs(this.studyId),
      this.storage.getStudyUserAttrs(this.studyId),
    ]);
    this.#lastRefresh = performance.now();
    // Trials this process created while the read was under way stay.
    for (let n = trials.length; n < this.snapshot.length; n++) if (this.snapshot[n] !== undefined) trials[n] = this.snapshot[n];
    this.snapshot = trials;
    this.systemAttrs_ = systemAttrs;
    this.userAttrs_ = userAttrs;
    this.latest.clear();
    for (const t of trials) if (t) for (const [name, d] of Object.entries(t.distributions)) this.latest.set(name, d);
    for (const t of this.live.values()) for (const [name, d] of Object.entries(t.distributions)) this.latest.set(name, d);
  }

  /** A background refresh, at most once a second, on storages other processes write to. */
  #refreshSoon(): void {
    if (!this.storage.shared || this.#background || performance.now() - this.#lastRefresh < 1000) return;
    this.#lastRefresh = performance.now();
    this.#background = (async () => {
      try {
        const trials = await this.storage.getAllTrials(this.studyId);
        for (let n = trials.length; n < this.snapshot.length; n++) if (this.snapshot[n] !== undefined) trials[n] = this.snapshot[n];
        this.snapshot = trials;
      } catch {
        // The next ask or tell reads the storage again and reports the failure there.
      } finally {
        this.#background = null;
      }
    })();
  }

  private describeStates(): string {
    const counts = new Map<string, number>();
    for (const t of this.getTrials()) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
    if (counts.size === 0) return 'no trials';
    return [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
  }
}
