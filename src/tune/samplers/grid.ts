/**
 * GridSampler (optuna.samplers.GridSampler): every combination of the listed values, each
 * evaluated once. The grid — the Cartesian product over the parameter names in sorted order — is
 * shuffled once with `seed` (default 0, as Optuna), and each new trial takes the first grid point
 * that no trial has finished or is running (grid_id in its system attributes). The study stops
 * when every point is finished; `gridSize` is known up front. The objective must suggest
 * exactly the grid's parameters; a value outside the suggested range is used as given (warning).
 */
import type { CategoricalChoice, Distribution, ParamValue } from '../distributions.js';
import type { FrozenTrial } from '../frozen_trial.js';
import type { JsonValue } from '../json.js';
import { checkOptionKeys } from '../options.js';
import { Generator } from '../../random.js';
import type { StudyView } from '../study_view.js';
import type { Sampler } from './base.js';
import { checkInteger, describeValue, readSafely } from '../../validate/index.js';

/** The grid: for each parameter name, the values to try. */
export type GridSearchSpace = Record<string, readonly CategoricalChoice[]>;

/**
 * Every combination of the listed values, each evaluated once, in a shuffled order (optuna.samplers.GridSampler).
 *
 * ```ts
 * const sampler = new tune.GridSampler({ lr: [1e-3, 1e-2], hidden: [64, 128] });   // 4 trials
 * ```
 */
export class GridSampler implements Sampler {
  readonly searchSpace: Readonly<GridSearchSpace>;
  readonly seed: number;
  private readonly names: string[];
  private readonly grid: ParamValue[][];

  constructor(searchSpace: GridSearchSpace, options: { seed?: number } = {}) {
    checkOptionKeys('GridSampler', options, ['seed']);
    // Read once, up front: a seed getter that throws is named before anything is built.
    const { seed } = readSafely('GridSampler', "option 'seed'", () => ({ seed: options.seed }));
    if (searchSpace === null || typeof searchSpace !== 'object') throw new TypeError(`GridSampler: searchSpace must be an object of value lists, got ${describeValue(searchSpace)}`);
    searchSpace = readSafely('GridSampler', 'searchSpace', () => Object.fromEntries(Object.entries(searchSpace).map(([k, v]) => [k, Array.isArray(v) ? [...v] : v])));
    this.names = Object.keys(searchSpace).sort();
    const space: GridSearchSpace = {};
    for (const name of this.names) {
      const values = searchSpace[name];
      if (!Array.isArray(values) || values.length === 0) throw new RangeError(`GridSampler: searchSpace.${name} must be a non-empty array, got ${describeValue(values)}`);
      for (const v of values) {
        if (v !== null && !['string', 'number', 'boolean'].includes(typeof v)) throw new TypeError(`GridSampler: searchSpace.${name} holds a ${typeof v}; values must be strings, numbers, booleans or null`);
      }
      space[name] = [...values];
    }
    this.searchSpace = space;
    this.seed = seed === undefined ? 0 : checkInteger('GridSampler', "option 'seed'", seed, { min: 0 });
    this.grid = shuffle(product(this.names.map((n) => space[n])), new Generator(this.seed));
  }

  /** The number of grid points. */
  get gridSize(): number {
    return this.grid.length;
  }

  beforeTrial(study: StudyView, trial: FrozenTrial): void {
    if (Object.hasOwn(trial.systemAttrs, 'grid_id') || Object.hasOwn(trial.systemAttrs, 'fixed_params')) return;
    const { unvisited, unfinished } = this.status(study, trial.number);
    // Every point started: re-run an unfinished one so the grid completes (Optuna's fallback).
    const pool = unvisited.length ? unvisited : unfinished.length ? unfinished : this.grid.map((_, i) => i);
    if (!unvisited.length) process.emitWarning('GridSampler: the grid is exhausted; this trial re-evaluates a grid point', 'TuneWarning');
    study.setTrialSystemAttr(trial.number, 'search_space', this.searchSpace as unknown as JsonValue);
    study.setTrialSystemAttr(trial.number, 'grid_id', pool[0]);
  }

  inferRelativeSearchSpace(): Record<string, never> {
    return {};
  }

  sampleRelative(): Record<string, never> {
    return {};
  }

  sampleIndependent(_study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    const id = trial.systemAttrs.grid_id;
    if (typeof id !== 'number') throw new Error(`GridSampler: trial ${trial.number} has no grid point; an enqueued trial must fix every grid parameter (missing '${name}')`);
    const index = this.names.indexOf(name);
    if (index < 0) throw new RangeError(`GridSampler: parameter '${name}' is not in the grid (grid parameters: ${this.names.join(', ')})`);
    return this.grid[id][index];
  }

  afterTrial(study: StudyView, trial: FrozenTrial): void {
    if (this.status(study, trial.number).unvisited.length === 0) study.stop();
  }

  isExhausted(study: StudyView): boolean {
    return this.status(study, -1).unfinished.length === 0;
  }

  /**
   * Grid ids nobody has started (`unvisited`) and ids started but not finished; trial
   * `current` (being finished, or just created) counts as visiting its point.
   */
  private status(study: StudyView, current: number): { unvisited: number[]; unfinished: number[] } {
    const finished = new Set<number>();
    const running = new Set<number>();
    for (const t of study.getTrials()) {
      const id = t.systemAttrs.grid_id;
      if (typeof id !== 'number' || !this.sameSpace(t.systemAttrs.search_space)) continue;
      if (t.state === 'COMPLETE' || t.state === 'PRUNED' || t.state === 'FAIL' || t.number === current) finished.add(id);
      else if (t.state === 'RUNNING') running.add(id);
    }
    const ids = this.grid.map((_, i) => i);
    return { unvisited: ids.filter((i) => !finished.has(i) && !running.has(i)), unfinished: ids.filter((i) => !finished.has(i)) };
  }

  private sameSpace(other: unknown): boolean {
    if (other === null || typeof other !== 'object') return false;
    const o = other as Record<string, unknown[]>;
    const keys = Object.keys(o).sort();
    if (keys.length !== this.names.length || keys.some((k, i) => k !== this.names[i])) return false;
    return this.names.every((n) => o[n].length === this.searchSpace[n].length && o[n].every((v, i) => Object.is(v, this.searchSpace[n][i])));
  }
}

function product(lists: readonly (readonly ParamValue[])[]): ParamValue[][] {
  let out: ParamValue[][] = [[]];
  for (const list of lists) out = out.flatMap((prefix) => list.map((v) => [...prefix, v]));
  return out;
}

/** Fisher–Yates with the library's generator. */
function shuffle<T>(items: T[], rng: Generator): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
