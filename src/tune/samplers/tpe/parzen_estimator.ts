/**
 * The Parzen estimator of TPE (Bergstra et al., "Algorithms for Hyper-Parameter Optimization",
 * NeurIPS 2011; Watanabe, "Tree-Structured Parzen Estimator: Understanding Its Algorithm
 * Components...", 2023), with Optuna's choices: a mixture of one product kernel per observation
 * plus a prior kernel,
 *   p(x) = Σ_k w_k Π_d K_{k,d}(x_d),   w = normalize(weights(n) ++ [priorWeight]).
 * Each numerical dimension lives in its transformed space — ln for log parameters; a log int is
 * a continuous kernel on [ln(low − ½), ln(high + ½)] rounded afterwards; other ints and stepped
 * floats are discrete kernels (kernels.ts). Range R = high − low (+ step when stepped).
 * Kernel centres are the observations; the prior's centre is the middle of the range, its width R.
 * Bandwidths:
 *   univariate    σ_i = the larger distance from μ_i to its neighbours among the sorted centres
 *                 (the prior's included) and the range ends — except, unless considerEndpoints,
 *                 that the smallest and largest centres take the distance to their inner
 *                 neighbour;
 *   multivariate  σ = 0.2 · max(n, 1)^(−1/(D + 4)) · R  for every kernel (a Scott-style rule);
 * then clipped to [R / min(100, n + 2), R] ("magic clip", considerMagicClip) or [1e-12, R].
 * Categorical kernels put priorWeight/(n + 1) on every choice and 1 more on the observed one,
 * normalized; the prior's row is uniform.
 * logPdf is what TPE ranks candidates by. kernelScores 'density' makes it the mixture's true
 * ln density; 'standardized' (TPESampler's default) evaluates each continuous kernel in standard
 * units, without its 1/σ_k (kernels.ts, kernelCache), as Optuna 3.1's parzen_estimator.py does.
 * All of the above follows Optuna 3.1 (samplers/_tpe/parzen_estimator.py and sampler.py),
 * reimplemented; sample() is the same under both kernelScores.
 */
import { CategoricalDistribution, FloatDistribution, IntDistribution, type Distribution, type SearchSpace } from '../../distributions.js';
import { choice, type Generator } from '../../rng.js';
import { kernelCache, kernelLogPdf, sampleKernel, type Kernels } from './kernels.js';

export interface ParzenEstimatorParameters {
  priorWeight: number;
  considerMagicClip: boolean;
  considerEndpoints: boolean;
  weights: (n: number) => ArrayLike<number>;
  multivariate: boolean;
  /** 'standardized': continuous kernels scored without 1/σ (Optuna 3.1); 'density': true density. */
  kernelScores: 'standardized' | 'density';
}

const EPS = 1e-12;

/** Internal values per parameter name; every array has one entry per observation. */
export type Observations = Record<string, number[]>;

interface Domain {
  low: number;
  high: number;
  step: number | null;
  log: boolean;
}

export class ParzenEstimator {
  private readonly names: string[];
  private readonly space: SearchSpace;
  private readonly mixture: Float64Array;
  private readonly kernels: Kernels[];
  private readonly caches: Float64Array[];

  constructor(observations: Observations, space: SearchSpace, params: ParzenEstimatorParameters) {
    if (!(params.priorWeight > 0)) throw new RangeError(`TPESampler: priorWeight must be > 0, got ${params.priorWeight}`);
    this.names = Object.keys(space);
    this.space = space;
    const n = this.names.length ? observations[this.names[0]].length : 0;
    this.mixture = mixtureWeights(n, params);
    this.kernels = this.names.map((name) => {
      const d = space[name];
      const obs = observations[name];
      if (d instanceof CategoricalDistribution) return categoricalKernels(obs, d.choices.length, params.priorWeight);
      return numericalKernels(obs.map((v) => (d.log ? Math.log(v) : v)), domainOf(d), this.names.length, params);
    });
    const standardized = params.kernelScores === 'standardized';
    this.caches = this.kernels.map((k) => kernelCache(k, standardized));
  }

  /** `size` draws, as internal values (ints rounded, categoricals as indices). */
  sample(rng: Generator, size: number): Observations {
    const out: Observations = Object.fromEntries(this.names.map((name) => [name, [] as number[]]));
    for (let i = 0; i < size; i++) {
      const k = choice(rng, this.mixture);
      this.names.forEach((name, j) => out[name].push(this.untransform(this.space[name], sampleKernel(this.kernels[j], k, rng.nextFloat()))));
    }
    return out;
  }

  /** ln p(x) for each sample (internal values); see kernelScores for what p is. */
  logPdf(samples: Observations): Float64Array {
    const size = this.names.length ? samples[this.names[0]].length : 0;
    const nk = this.mixture.length;
    const result = new Float64Array(size);
    const total = new Float64Array(nk);
    const one = new Float64Array(nk);
    const logMixture = this.mixture.map(Math.log);
    const logDomain = this.names.map((name) => {
      const d = this.space[name];
      return !(d instanceof CategoricalDistribution) && d.log;
    });
    for (let i = 0; i < size; i++) {
      total.set(logMixture);
      for (let j = 0; j < this.names.length; j++) {
        const v = samples[this.names[j]][i];
        kernelLogPdf(this.kernels[j], logDomain[j] ? Math.log(v) : v, one, this.caches[j]);
        for (let k = 0; k < nk; k++) total[k] += one[k];
      }
      // ln Σ_k e^{total_k}, shifted by the largest term (one exp per kernel, one log per sample).
      let max = -Infinity;
      for (let k = 0; k < nk; k++) if (total[k] > max) max = total[k];
      if (max === -Infinity) {
        result[i] = -Infinity;
        continue;
      }
      let sum = 0;
      for (let k = 0; k < nk; k++) sum += Math.exp(total[k] - max);
      result[i] = max + Math.log(sum);
    }
    return result;
  }

  private untransform(d: Distribution, x: number): number {
    if (d instanceof CategoricalDistribution) return x;
    const v = d.log ? Math.exp(x) : x;
    if (d instanceof IntDistribution) return Math.min(Math.max(d.low + Math.round((v - d.low) / d.step) * d.step, d.low), d.high);
    return Math.min(Math.max(v, d.low), d.high);
  }
}

function domainOf(d: FloatDistribution | IntDistribution): Domain {
  if (d instanceof FloatDistribution) {
    return d.log ? { low: Math.log(d.low), high: Math.log(d.high), step: null, log: true } : { low: d.low, high: d.high, step: d.step, log: false };
  }
  if (d.log) return { low: Math.log(d.low - d.step / 2), high: Math.log(d.high + d.step / 2), step: null, log: true };
  return { low: d.low, high: d.high, step: d.step, log: false };
}

function mixtureWeights(n: number, params: ParzenEstimatorParameters): Float64Array {
  if (n === 0) return Float64Array.of(1);
  const raw = params.weights(n);
  if (raw.length < n) throw new RangeError(`TPESampler: weights(${n}) must return ${n} values, got ${raw.length}`);
  const w = new Float64Array(n + 1);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = raw[i];
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`TPESampler: weights(${n}) must return finite values >= 0, got ${v}`);
    w[i] = v;
    sum += v;
  }
  if (sum <= 0) throw new RangeError(`TPESampler: weights(${n}) returned only zeros`);
  w[n] = params.priorWeight;
  sum += params.priorWeight;
  for (let i = 0; i <= n; i++) w[i] /= sum;
  return w;
}

function categoricalKernels(obs: number[], nChoices: number, priorWeight: number): Kernels {
  if (obs.length === 0) return { kind: 'categorical', weights: [new Float64Array(nChoices).fill(1 / nChoices)] };
  const base = priorWeight / (obs.length + 1);
  const rows = obs.map((index) => {
    const row = new Float64Array(nChoices).fill(base);
    row[Math.round(index)] += 1;
    const sum = base * nChoices + 1;
    for (let c = 0; c < nChoices; c++) row[c] /= sum;
    return row;
  });
  rows.push(new Float64Array(nChoices).fill(1 / nChoices));
  return { kind: 'categorical', weights: rows };
}

function numericalKernels(mus: number[], dom: Domain, dims: number, params: ParzenEstimatorParameters): Kernels {
  const n = mus.length;
  const step0 = dom.step ?? 0;
  const range = dom.high - dom.low + step0;
  const priorMu = 0.5 * (dom.low + dom.high);
  let sigmas: number[];
  if (params.multivariate) {
    sigmas = new Array(n).fill(0.2 * Math.max(n, 1) ** (-1 / (dims + 4)) * range);
  } else {
    sigmas = neighbourSigmas([...mus, priorMu], dom.low - step0 / 2, dom.high + step0 / 2, params.considerEndpoints).slice(0, n);
  }
  const minSigma = params.considerMagicClip ? range / Math.min(100, n + 2) : EPS;
  const mu = Float64Array.from([...mus, priorMu]);
  const sigma = Float64Array.from([...sigmas.map((s) => Math.min(Math.max(s, minSigma), range)), range]);
  return dom.step === null
    ? { kind: 'truncnorm', mu, sigma, low: dom.low, high: dom.high }
    : { kind: 'discrete', mu, sigma, low: dom.low, high: dom.high, step: dom.step };
}

/** σ_i = max gap to the neighbours of centre i in sorted order, with `low`/`high` as outer neighbours. */
function neighbourSigmas(centres: number[], low: number, high: number, considerEndpoints: boolean): number[] {
  const order = centres.map((_, i) => i).sort((a, b) => centres[a] - centres[b]);
  const s = [low, ...order.map((i) => centres[i]), high];
  const m = centres.length;
  const sorted = new Array<number>(m);
  for (let j = 0; j < m; j++) sorted[j] = Math.max(s[j + 1] - s[j], s[j + 2] - s[j + 1]);
  if (!considerEndpoints && s.length >= 4) {
    sorted[0] = s[2] - s[1];
    sorted[m - 1] = s[m] - s[m - 1];
  }
  const out = new Array<number>(m);
  order.forEach((i, j) => (out[i] = sorted[j]));
  return out;
}
