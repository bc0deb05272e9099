/**
 * GPSampler: Bayesian optimization with a Gaussian process, Optuna's GPSampler in camelCase.
 * After `nStartupTrials` finished trials (drawn by the independent sampler), each trial:
 *   1. encodes the finished trials of the intersection search space into the unit cube — log
 *      parameters in log space, integers and stepped floats over equal cells (the transforms of
 *      search_space/transform.ts), categoricals one-hot — and standardizes their values
 *      (negated for 'maximize', so the GP always minimizes);
 *   2. adds the other trials still running as "constant liars" at the best value seen, so their
 *      posterior variance collapses and parallel workers are steered to different points;
 *   3. fits the GP's hyperparameters (gp/gaussian_process.ts: Matérn-5/2 ARD, MAP with priors),
 *      warm-started from the previous trial's fit;
 *   4. maximizes log expected improvement (gp/acquisition.ts) over scrambled-Sobol candidates,
 *      polished by bounded L-BFGS, and decodes the best point (rounding ints and steps).
 */
import { CategoricalDistribution, type Distribution, type ParamValue, type SearchSpace } from '../distributions.js';
import type { FrozenTrial } from '../frozen_trial.js';
import { maximizeLogEI } from '../gp/acquisition.js';
import { GaussianProcess } from '../gp/gaussian_process.js';
import { checkOptionKeys, freshSeed } from '../options.js';
import { deriveSeed, STREAM, streamFor } from '../rng.js';
import { intersectionSearchSpace } from '../search_space/intersection.js';
import { transform, transformedBounds, untransform } from '../search_space/transform.js';
import type { StudyView } from '../study_view.js';
import type { ParamMap, Sampler } from './base.js';
import { RandomSampler } from './random.js';
import { Sobol, SOBOL_MAX_DIMENSION } from './sobol.js';
import { copyOptions } from '../arguments.js';

/** Options of GPSampler: seed, nStartupTrials (default 10), the independent sampler, deterministicObjective and nCandidates, as Optuna's. */
export interface GPSamplerOptions {
  seed?: number;
  /** Trials drawn by the independent sampler before the GP takes over (default 10). */
  nStartupTrials?: number;
  /** For parameters outside the search space and the startup trials (default RandomSampler). */
  independentSampler?: Sampler;
  /** The objective has no noise: the GP's noise variance is pinned near zero (default false). */
  deterministicObjective?: boolean;
  /** Quasi-random candidates scored per suggestion before the polish (default 2048). */
  nCandidates?: number;
}

const OPTION_KEYS = ['seed', 'nStartupTrials', 'independentSampler', 'deterministicObjective', 'nCandidates'] as const;

/** Where each parameter lives in the encoded vector. */
interface Slot {
  name: string;
  distribution: Distribution;
  offset: number;
  /** 1 for numerical parameters, the number of choices for a categorical. */
  width: number;
}

/**
 * Bayesian optimization with a Gaussian process (optuna.samplers.GPSampler): a Matérn-5/2 GP over the finished trials, log expected improvement maximized over Sobol candidates.
 *
 * ```ts
 * const study = await tune.createStudy({ sampler: new tune.GPSampler({ seed: 0, nStartupTrials: 10 }) });
 * ```
 */
export class GPSampler implements Sampler {
  readonly seed: number;
  readonly nStartupTrials: number;
  readonly deterministicObjective: boolean;
  readonly nCandidates: number;
  private readonly independent: Sampler;
  /** The last fit's hyperparameters and the encoded width they were fitted for (warm start). */
  private lastTheta: { width: number; theta: Float64Array } | null = null;

  constructor(options: GPSamplerOptions = {}) {
    options = copyOptions<typeof options>('GPSampler', options) ?? {};
    checkOptionKeys('GPSampler', options, OPTION_KEYS);
    this.seed = options.seed ?? freshSeed();
    this.nStartupTrials = options.nStartupTrials ?? 10;
    if (!Number.isInteger(this.nStartupTrials) || this.nStartupTrials < 1) {
      throw new RangeError(`GPSampler: nStartupTrials must be an integer >= 1, got ${options.nStartupTrials}`);
    }
    this.nCandidates = options.nCandidates ?? 2048;
    if (!Number.isInteger(this.nCandidates) || this.nCandidates < 1) {
      throw new RangeError(`GPSampler: nCandidates must be an integer >= 1, got ${options.nCandidates}`);
    }
    this.deterministicObjective = options.deterministicObjective ?? false;
    this.independent = options.independentSampler ?? new RandomSampler({ seed: this.seed });
  }

  inferRelativeSearchSpace(study: StudyView): SearchSpace {
    const space = intersectionSearchSpace(study.getTrials(['COMPLETE']));
    for (const [name, d] of Object.entries(space)) if (d.single()) delete space[name];
    return space;
  }

  sampleRelative(study: StudyView, trial: FrozenTrial, space: SearchSpace): ParamMap {
    const names = Object.keys(space);
    if (names.length === 0) return {};
    const has = (t: FrozenTrial) => names.every((n) => n in t.params && t.distributions[n]?.equals(space[n]));
    const done = study.getTrials(['COMPLETE']).filter((t) => has(t) && Number.isFinite(t.value));
    if (done.length < this.nStartupTrials) return {};
    const running = study.getTrials(['RUNNING']).filter((t) => t.number !== trial.number && has(t));

    const slots = layout(space);
    const width = slots.reduce((w, s) => w + s.width, 0);
    const n = done.length + running.length;
    const x = new Float64Array(n * width);
    done.forEach((t, r) => encode(slots, t.params, x, r * width));
    running.forEach((t, r) => encode(slots, t.params, x, (done.length + r) * width));
    const sign = study.direction === 'maximize' ? -1 : 1;
    const y = standardized(done.map((t) => sign * t.value!));
    const best = Math.min(...y);
    const targets = new Float64Array(n);
    targets.set(y);
    targets.fill(best, done.length); // the constant liar

    const init = this.lastTheta?.width === width ? this.lastTheta.theta : undefined;
    const gp = GaussianProcess.fit(x, targets, n, width, { init, deterministic: this.deterministicObjective });
    this.lastTheta = { width, theta: gp.theta };
    const fixed = slots.flatMap((s) => Array.from({ length: s.width }, () => s.width > 1));
    const { x: point } = maximizeLogEI(gp, { candidates: this.candidates(slots, width, trial.number), best, fixed });
    return decode(slots, point);
  }

  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    return this.independent.sampleIndependent(study, trial, name, distribution);
  }

  beforeTrial(study: StudyView, trial: FrozenTrial): void {
    this.independent.beforeTrial?.(study, trial);
  }

  afterTrial(study: StudyView, trial: FrozenTrial, state: Parameters<NonNullable<Sampler['afterTrial']>>[2], value: number | null): void {
    this.independent.afterTrial?.(study, trial, state, value);
  }

  /** nCandidates points of the encoded cube: Sobol coordinates, one-hot corners for categoricals. */
  private candidates(slots: Slot[], width: number, trialNumber: number): Float64Array {
    const m = this.nCandidates;
    const seed = deriveSeed(this.seed, STREAM.gp, trialNumber);
    const sobol = slots.length <= SOBOL_MAX_DIMENSION ? new Sobol(slots.length, seed) : null;
    const rng = sobol ? null : streamFor(this.seed, STREAM.gp, trialNumber);
    const out = new Float64Array(m * width);
    for (let c = 0; c < m; c++) {
      const u = sobol ? sobol.point(c) : slots.map(() => rng!.nextFloat());
      slots.forEach((s, j) => {
        if (s.width === 1) out[c * width + s.offset] = u[j];
        else out[c * width + s.offset + Math.min(s.width - 1, Math.floor(u[j] * s.width))] = 1;
      });
    }
    return out;
  }
}

function layout(space: SearchSpace): Slot[] {
  let offset = 0;
  return Object.entries(space).map(([name, distribution]) => {
    const width = distribution instanceof CategoricalDistribution ? distribution.choices.length : 1;
    const slot = { name, distribution, offset, width };
    offset += width;
    return slot;
  });
}

/** Writes the unit-cube encoding of `params` at `out[at ...]`. */
function encode(slots: Slot[], params: Readonly<Record<string, ParamValue>>, out: Float64Array, at: number): void {
  for (const s of slots) {
    const d = s.distribution;
    if (d instanceof CategoricalDistribution) {
      out[at + s.offset + d.toInternalRepr(params[s.name])] = 1;
      continue;
    }
    const [lo, hi] = transformedBounds(d);
    out[at + s.offset] = hi > lo ? (transform(d, params[s.name] as number) - lo) / (hi - lo) : 0.5;
  }
}

function decode(slots: Slot[], point: Float64Array): ParamMap {
  const params: ParamMap = {};
  for (const s of slots) {
    const d = s.distribution;
    if (d instanceof CategoricalDistribution) {
      let k = 0;
      for (let i = 1; i < s.width; i++) if (point[s.offset + i] > point[s.offset + k]) k = i;
      params[s.name] = d.choices[k];
      continue;
    }
    const [lo, hi] = transformedBounds(d);
    params[s.name] = untransform(d, lo + Math.min(1, Math.max(0, point[s.offset])) * (hi - lo));
  }
  return params;
}

/** (v - mean) / std; a constant series becomes zeros. */
function standardized(values: number[]): Float64Array {
  const mean = values.reduce((a, v) => a + v, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
  return Float64Array.from(values, (v) => (std > 0 ? (v - mean) / std : 0));
}
