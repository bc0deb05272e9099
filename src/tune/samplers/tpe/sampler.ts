/**
 * TPESampler (optuna.samplers.TPESampler): Optuna 3.1's algorithm and defaults, reimplemented
 * from its samplers/_tpe/sampler.py and parzen_estimator.py (the version bench:tune compares
 * with; fixtures/optuna_tpe_reference.json holds our estimators to it). For each parameter (or,
 * with `multivariate`, for the parameters every finished trial shares, jointly):
 *   1. until nStartupTrials trials are COMPLETE or PRUNED, sample at random;
 *   2. split the finished trials into the gamma(n) best ("below") and the rest (split.ts);
 *   3. fit a Parzen estimator l(x) to the below group's values and g(x) to the rest's
 *      (parzen_estimator.ts) — only trials that have the parameter(s) count, which is how
 *      conditional parameters are handled;
 *   4. draw nEiCandidates candidates from l and keep the one maximizing ln l(x) − ln g(x), the
 *      ratio that ranks candidates as expected improvement does (Bergstra et al. 2011) — with
 *      continuous kernels scored in standard units as Optuna 3.1 scores them (`kernelScores`).
 * Parameters outside the joint space (conditional ones, in multivariate mode) fall back to the
 * univariate estimator. `constantLiar` counts RUNNING trials in the above group, so concurrent
 * trials spread out. Trial t's draws come from its own stream of `seed` (rng.ts).
 */
import type { Distribution, ParamValue, SearchSpace } from '../../distributions.js';
import type { FrozenTrial, TrialState } from '../../frozen_trial.js';
import { checkInt, checkOptionKeys, freshSeed } from '../../options.js';
import { STREAM } from '../../rng.js';
import { intersectionSearchSpace } from '../../search_space/intersection.js';
import type { StudyView } from '../../study_view.js';
import type { ParamMap, Sampler } from '../base.js';
import { RandomSampler, TrialStreams } from '../random.js';
import { defaultGamma, defaultWeights } from './defaults.js';
import { ParzenEstimator, type Observations, type ParzenEstimatorParameters } from './parzen_estimator.js';
import { splitTrials } from './split.js';
import { copyOptions } from '../../arguments.js';
import { describeValue } from '../../../validate/index.js';

/** Options of TPESampler, as Optuna 3.1's: seed, nStartupTrials, nEiCandidates, gamma, weights, multivariate, constantLiar, and the Parzen estimator's priorWeight, considerMagicClip, considerEndpoints and kernelScores. */
export interface TPESamplerOptions {
  /** Weight of the prior kernel (default 1). */
  priorWeight?: number;
  /** Floor the kernel widths at range / min(100, n + 2) (default true). */
  considerMagicClip?: boolean;
  /** Let the outermost kernels' widths reach the range ends (default false). */
  considerEndpoints?: boolean;
  /** Random trials before TPE starts (default 10). */
  nStartupTrials?: number;
  /** Candidates drawn from l(x) per suggestion (default 24). */
  nEiCandidates?: number;
  /** Size of the good group for n finished trials (default min(⌈0.1 n⌉, 25)). */
  gamma?: (n: number) => number;
  /** Kernel weights for n observations, oldest first (default: defaults.ts). */
  weights?: (n: number) => ArrayLike<number>;
  seed?: number;
  /** Model the shared parameters jointly (default false, as Optuna 4). */
  multivariate?: boolean;
  /** Count RUNNING trials as bad (default false). */
  constantLiar?: boolean;
  /**
   * How l(x) and g(x) score the candidates (default 'standardized'). 'standardized' evaluates each
   * continuous kernel as a truncated normal in standard units, without its 1/σ factor, as Optuna
   * 3.1 does (optuna/optuna#5109): wide kernels, the prior's above all, count more in the ratio, so
   * g(x) is flatter and TPE exploits more. 'density' uses the true mixture densities (Optuna after
   * #5110). Over 100 seeds of the bench:tune functions, 'standardized' matched Optuna 3.1 and beat
   * 'density' at 100 trials on Hartmann-6 (median regret 0.22 against 0.37, Mann–Whitney p < 0.001)
   * and Levy-10 (10.2 against 12.7, p = 0.006), with no significant difference on Branin.
   */
  kernelScores?: 'standardized' | 'density';
}

const KEYS = ['priorWeight', 'considerMagicClip', 'considerEndpoints', 'nStartupTrials', 'nEiCandidates', 'gamma', 'weights', 'seed', 'multivariate', 'constantLiar', 'kernelScores'];
const FINISHED: readonly TrialState[] = ['COMPLETE', 'PRUNED'];

/**
 * The Tree-structured Parzen Estimator (optuna.samplers.TPESampler, Optuna 3.1's algorithm and defaults): Parzen estimators of the good and the other trials, and the candidate with the best density ratio.
 *
 * ```ts
 * const study = await tune.createStudy({ direction: 'maximize', sampler: new tune.TPESampler({ seed: 0 }) });
 * ```
 */
export class TPESampler implements Sampler {
  readonly seed: number;
  readonly nStartupTrials: number;
  readonly nEiCandidates: number;
  readonly multivariate: boolean;
  readonly constantLiar: boolean;
  private readonly gamma: (n: number) => number;
  private readonly estimator: ParzenEstimatorParameters;
  private readonly random: RandomSampler;
  private readonly streams = new TrialStreams();

  constructor(options: TPESamplerOptions = {}) {
    options = copyOptions<typeof options>('TPESampler', options) ?? {};
    checkOptionKeys('TPESampler', options, KEYS);
    this.seed = options.seed ?? freshSeed();
    this.nStartupTrials = checkInt('TPESampler', 'nStartupTrials', options.nStartupTrials ?? 10, 0);
    this.nEiCandidates = checkInt('TPESampler', 'nEiCandidates', options.nEiCandidates ?? 24, 1);
    this.multivariate = options.multivariate ?? false;
    this.constantLiar = options.constantLiar ?? false;
    this.gamma = options.gamma ?? defaultGamma;
    const priorWeight = options.priorWeight ?? 1;
    if (!(priorWeight > 0) || !Number.isFinite(priorWeight)) throw new RangeError(`TPESampler: priorWeight must be a finite number > 0, got ${priorWeight}`);
    this.estimator = {
      priorWeight,
      considerMagicClip: options.considerMagicClip ?? true,
      considerEndpoints: options.considerEndpoints ?? false,
      weights: options.weights ?? defaultWeights,
      multivariate: this.multivariate,
      kernelScores: options.kernelScores ?? 'standardized',
    };
    if (this.estimator.kernelScores !== 'standardized' && this.estimator.kernelScores !== 'density') {
      throw new RangeError(`TPESampler: kernelScores must be 'standardized' or 'density', got ${describeValue(this.estimator.kernelScores)}`);
    }
    this.random = new RandomSampler({ seed: this.seed });
  }

  inferRelativeSearchSpace(study: StudyView): SearchSpace {
    if (!this.multivariate) return {};
    const space = intersectionSearchSpace(study.getTrials(FINISHED), true);
    for (const [name, d] of Object.entries(space)) if (d.single()) delete space[name];
    return space;
  }

  sampleRelative(study: StudyView, trial: FrozenTrial, space: SearchSpace): ParamMap {
    if (Object.keys(space).length === 0 || study.getTrials(FINISHED).length < this.nStartupTrials) return {};
    return this.sample(study, trial, space);
  }

  sampleIndependent(study: StudyView, trial: FrozenTrial, name: string, distribution: Distribution): ParamValue {
    if (study.getTrials(FINISHED).length < this.nStartupTrials) return this.random.sampleIndependent(study, trial, name, distribution);
    return this.sample(study, trial, { [name]: distribution })[name];
  }

  afterTrial(study: StudyView, trial: FrozenTrial): void {
    this.streams.drop(trial.number);
    this.random.afterTrial(study, trial);
  }

  private sample(study: StudyView, trial: FrozenTrial, space: SearchSpace): ParamMap {
    const states: readonly TrialState[] = this.constantLiar ? ['COMPLETE', 'PRUNED', 'RUNNING'] : FINISHED;
    const trials = study.getTrials(states).filter((t) => t.number !== trial.number);
    const n = trials.filter((t) => t.state !== 'RUNNING').length;
    const [below, above] = splitTrials(trials, this.gamma(n), study.direction);
    const l = new ParzenEstimator(observations(below, space), space, this.estimator);
    const g = new ParzenEstimator(observations(above, space), space, this.estimator);
    const candidates = l.sample(this.streams.get(this.seed, STREAM.tpe, trial.number), this.nEiCandidates);
    const ll = l.logPdf(candidates);
    const lg = g.logPdf(candidates);
    let best = 0;
    for (let i = 1; i < ll.length; i++) if (ll[i] - lg[i] > ll[best] - lg[best]) best = i;
    const out: ParamMap = {};
    for (const [name, d] of Object.entries(space)) out[name] = d.toExternalRepr(candidates[name][best]);
    return out;
  }
}

/** Internal values of the trials that have every parameter of `space`. */
function observations(trials: readonly FrozenTrial[], space: SearchSpace): Observations {
  const names = Object.keys(space);
  const out: Observations = Object.fromEntries(names.map((name) => [name, [] as number[]]));
  for (const t of trials) {
    if (!names.every((name) => Object.hasOwn(t.params, name))) continue;
    for (const name of names) out[name].push(space[name].toInternalRepr(t.params[name]));
  }
  return out;
}
