/**
 * QMCSampler (optuna.samplers.QMCSampler) with scrambled Sobol points (sobol.ts). The first
 * trial is sampled by the independent sampler; its numerical parameters (categoricals
 * excluded) become the QMC search space, and every later trial takes the next Sobol point —
 * the point index kept in a study system attribute, so a resumed study continues the sequence
 * — mapped into each parameter's transformed range (search_space/transform.ts). Parameters
 * outside that space go to the independent sampler (RandomSampler by default).
 * `scramble` defaults to true here (Optuna: false, for workers that share no seed): unscrambled
 * Sobol ignores the seed and starts at the corner of the box.
 */
import type { Distribution, NumericalDistribution, ParamValue, SearchSpace } from '../distributions.js';
import { CategoricalDistribution } from '../distributions.js';
import type { FrozenTrial } from '../frozen_trial.js';
import { checkOptionKeys, freshSeed } from '../options.js';
import { deriveSeed, STREAM } from '../rng.js';
import { transformedBounds, untransform } from '../search_space/transform.js';
import type { StudyView } from '../study_view.js';
import type { ParamMap, Sampler } from './base.js';
import { RandomSampler } from './random.js';
import { Sobol, SOBOL_MAX_DIMENSION } from './sobol.js';
import { copyOptions } from '../arguments.js';

/** Options of QMCSampler: qmcType ('sobol'), scramble (default true), seed, the independent sampler and warnIndependentSampling, as Optuna's. */
export interface QMCSamplerOptions {
  /** Only 'sobol' (Optuna also has 'halton'). */
  qmcType?: 'sobol';
  scramble?: boolean;
  seed?: number;
  /** For parameters outside the QMC space (default RandomSampler with the same seed). */
  independentSampler?: Sampler;
  /** Warn when a parameter falls back to the independent sampler (default true). */
  warnIndependentSampling?: boolean;
}

/** Quasi-Monte Carlo search with scrambled Sobol points (optuna.samplers.QMCSampler): the numeric parameters covered evenly. */
export class QMCSampler implements Sampler {
  readonly seed: number;
  readonly scramble: boolean;
  readonly qmcType = 'sobol';
  private readonly independent: Sampler;
  private readonly warn: boolean;
  private initialSpace: SearchSpace | null = null;
  private engine: Sobol | null = null;

  constructor(options: QMCSamplerOptions = {}) {
    options = copyOptions<typeof options>('QMCSampler', options) ?? {};
    checkOptionKeys('QMCSampler', options, ['qmcType', 'scramble', 'seed', 'independentSampler', 'warnIndependentSampling']);
    if (options.qmcType !== undefined && options.qmcType !== 'sobol') {
      throw new RangeError(`QMCSampler: qmcType must be 'sobol', got '${String(options.qmcType)}'`);
    }
    this.seed = options.seed ?? freshSeed();
    this.scramble = options.scramble ?? true;
    this.independent = options.independentSampler ?? new RandomSampler({ seed: this.seed });
    this.warn = options.warnIndependentSampling ?? true;
  }

  /** The key of the study system attribute holding the last Sobol index used. */
  get sampleIdKey(): string {
    return `qmc (sobol, ${this.scramble ? `scramble=true, seed=${this.seed}` : 'scramble=false'})'s last sample id`;
  }

  inferRelativeSearchSpace(study: StudyView): SearchSpace {
    if (this.initialSpace) return this.initialSpace;
    const past = study.getTrials(['COMPLETE', 'PRUNED']);
    if (past.length === 0) return {};
    const first = past.reduce((a, b) => (b.number < a.number ? b : a));
    const space: SearchSpace = {};
    for (const name of Object.keys(first.distributions).sort()) {
      const d = first.distributions[name];
      if (!(d instanceof CategoricalDistribution)) space[name] = d;
    }
    if (Object.keys(space).length > SOBOL_MAX_DIMENSION) {
      throw new RangeError(`QMCSampler: at most ${SOBOL_MAX_DIMENSION} numerical parameters are supported, got ${Object.keys(space).length}`);
    }
    this.initialSpace = space;
    return space;
  }

  sampleRelative(study: StudyView, _trial: FrozenTrial, space: SearchSpace): ParamMap {
    const names = Object.keys(space);
    if (names.length === 0) return {};
    const last = study.systemAttrs[this.sampleIdKey];
    const id = typeof last === 'number' ? last + 1 : 0;
    study.setSystemAttr(this.sampleIdKey, id);
    if (!this.engine || this.engine.dimension !== names.length) {
      this.engine = new Sobol(names.length, this.scramble ? deriveSeed(this.seed, STREAM.qmc) : null);
    }
    const u = this.engine.point(id);
    const out: ParamMap = {};
    names.forEach((name, j) => {
      const d = space[name] as NumericalDistribution;
      const [low, high] = transformedBounds(d);
      out[name] = untransform(d, low + u[j] * (high - low));
    });
    return out;
  }

  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    if (this.initialSpace && this.warn) {
      process.emitWarning(`QMCSampler: parameter '${name}' of trial ${trial.number} is outside the QMC search space (categorical, or not in the first trial); it is sampled by the independent sampler`, 'TuneWarning');
    }
    return this.independent.sampleIndependent(study, trial, name, distribution);
  }

  beforeTrial(study: StudyView, trial: FrozenTrial): void {
    this.independent.beforeTrial?.(study, trial);
  }

  afterTrial(study: StudyView, trial: FrozenTrial, state: 'COMPLETE' | 'PRUNED' | 'FAIL', value: number | null): void {
    this.independent.afterTrial?.(study, trial, state, value);
  }
}
