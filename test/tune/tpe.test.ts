// TPE: the Parzen estimator against hand-computed kernels and against Optuna 3.1's own estimators
// (fixtures/optuna_tpe_reference.json), Optuna's defaults and split, and TPE against random search
// on Branin and Hartmann-6.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tune } from '../../src/index.js';
import type { Distribution } from '../../src/tune/distributions.js';
import { FrozenTrial, type TrialState } from '../../src/tune/frozen_trial.js';
import { ndtr } from '../../src/tune/math/normal.js';
import { ParzenEstimator, type ParzenEstimatorParameters } from '../../src/tune/samplers/tpe/parzen_estimator.js';
import { splitTrials } from '../../src/tune/samplers/tpe/split.js';
import { Generator } from '../../src/random.js';
import { branin, hartmann6, type TestFunction } from './helpers/objectives.js';

const PARAMS: ParzenEstimatorParameters = { priorWeight: 1, considerMagicClip: true, considerEndpoints: false, weights: tune.defaultWeights, multivariate: false, kernelScores: 'density' };

/** ln Σ_k w_k N(x; μ_k, σ_k) / (Φ((b−μ_k)/σ_k) − Φ((a−μ_k)/σ_k)) on [a, b], from the formula. */
function mixtureLogPdf(x: number, mus: number[], sigmas: number[], a: number, b: number): number {
  let p = 0;
  mus.forEach((mu, k) => {
    const s = sigmas[k];
    const z = (x - mu) / s;
    p += Math.exp(-0.5 * z * z) / (s * Math.sqrt(2 * Math.PI)) / (ndtr((b - mu) / s) - ndtr((a - mu) / s)) / mus.length;
  });
  return Math.log(p);
}

describe('Parzen estimator', () => {
  const space = { x: new tune.FloatDistribution(0, 10) };
  const obs = { x: [2, 3, 9] };
  // Centres with the prior's 5: sorted 2, 3, 5, 9 between ends 0 and 10. Neighbour rule: σ(2) = 1
  // (inner neighbour, endpoints not considered), σ(3) = max(1, 2) = 2, σ(9) = max(4, 1) = 4;
  // magic clip floors at 10 / min(100, 3 + 2) = 2; the prior's σ is the range, 10.

  it('univariate bandwidths: neighbour rule, magic clip, prior kernel', () => {
    const pe = new ParzenEstimator(obs, space, PARAMS);
    for (const x of [0.5, 4, 9.9]) expect(pe.logPdf({ x: [x] })[0]).toBeCloseTo(mixtureLogPdf(x, [2, 3, 9, 5], [2, 2, 4, 10], 0, 10), 12);
    const noClip = new ParzenEstimator(obs, space, { ...PARAMS, considerMagicClip: false });
    expect(noClip.logPdf({ x: [4] })[0]).toBeCloseTo(mixtureLogPdf(4, [2, 3, 9, 5], [1, 2, 4, 10], 0, 10), 12);
    const endpoints = new ParzenEstimator(obs, space, { ...PARAMS, considerMagicClip: false, considerEndpoints: true });
    expect(endpoints.logPdf({ x: [4] })[0]).toBeCloseTo(mixtureLogPdf(4, [2, 3, 9, 5], [2, 2, 4, 10], 0, 10), 12);
  });

  it('multivariate bandwidth: 0.2 · n^(−1/(D+4)) · range', () => {
    const s = 0.2 * 3 ** (-1 / 5) * 10; // 1.60, below the magic clip's floor of 2
    const raw = new ParzenEstimator(obs, space, { ...PARAMS, multivariate: true, considerMagicClip: false });
    expect(raw.logPdf({ x: [4] })[0]).toBeCloseTo(mixtureLogPdf(4, [2, 3, 9, 5], [s, s, s, 10], 0, 10), 12);
    const clipped = new ParzenEstimator(obs, space, { ...PARAMS, multivariate: true });
    expect(clipped.logPdf({ x: [4] })[0]).toBeCloseTo(mixtureLogPdf(4, [2, 3, 9, 5], [2, 2, 2, 10], 0, 10), 12);
  });

  it('categorical kernels: priorWeight/(n+1) everywhere plus 1 on the observed choice', () => {
    const pe = new ParzenEstimator({ c: [0, 0, 2] }, { c: new tune.CategoricalDistribution(['a', 'b', 'c']) }, PARAMS);
    const hit = 1.25 / 1.75;
    const miss = 0.25 / 1.75;
    const p = (v: number) => Math.exp(pe.logPdf({ c: [v] })[0]);
    expect(p(0)).toBeCloseTo((2 * hit + miss + 1 / 3) / 4, 14);
    expect(p(1)).toBeCloseTo((3 * miss + 1 / 3) / 4, 14);
    expect(p(0) + p(1) + p(2)).toBeCloseTo(1, 14);
  });

  it('stepped and int kernels are distributions over the grid (masses sum to 1)', () => {
    const ints = new ParzenEstimator({ n: [1, 1, 4] }, { n: new tune.IntDistribution(0, 6) }, PARAMS);
    const steps = new ParzenEstimator({ q: [0.25, 1] }, { q: new tune.FloatDistribution(0, 1, { step: 0.25 }) }, PARAMS);
    const sum = (pe: ParzenEstimator, name: string, grid: number[]) => grid.reduce((acc, v) => acc + Math.exp(pe.logPdf({ [name]: [v] })[0]), 0);
    expect(sum(ints, 'n', [0, 1, 2, 3, 4, 5, 6])).toBeCloseTo(1, 12);
    expect(sum(steps, 'q', [0, 0.25, 0.5, 0.75, 1])).toBeCloseTo(1, 12);
  });

  it('a log float is a truncated normal in ln x: its density over ln x integrates to 1', () => {
    const pe = new ParzenEstimator({ lr: [1e-4, 1e-2] }, { lr: new tune.FloatDistribution(1e-5, 1, { log: true }) }, PARAMS);
    const a = Math.log(1e-5);
    const b = 0;
    const n = 20000;
    let integral = 0;
    for (let i = 0; i < n; i++) integral += Math.exp(pe.logPdf({ lr: [Math.exp(a + ((i + 0.5) * (b - a)) / n)] })[0]) * ((b - a) / n);
    expect(integral).toBeCloseTo(1, 6);
  });
});

interface SpecJson { type: 'float' | 'int' | 'categorical'; low?: number; high?: number; step?: number | null; log?: boolean; choices?: string[] }
const REF = JSON.parse(readFileSync(new URL('./fixtures/optuna_tpe_reference.json', import.meta.url), 'utf8')) as {
  estimators: Array<{ name: string; multivariate: boolean; space: Record<string, SpecJson>; observations: Record<string, number[]>; points: Record<string, number[]>; logPdf: number[] }>;
  study: { space: Record<string, SpecJson>; params: Array<Record<string, number>>; values: number[]; next: Record<string, { below: number[]; above: number[]; grid: number[]; logL: number[]; logG: number[] }> };
};

function distributionOf(s: SpecJson): Distribution {
  if (s.type === 'categorical') return new tune.CategoricalDistribution(s.choices!);
  const options = s.log ? { log: true } : s.step != null ? { step: s.step } : {};
  return s.type === 'float' ? new tune.FloatDistribution(s.low!, s.high!, options) : new tune.IntDistribution(s.low!, s.high!, options);
}

const spaceOf = (spec: Record<string, SpecJson>) => Object.fromEntries(Object.entries(spec).map(([k, s]) => [k, distributionOf(s)]));

describe("Optuna 3.1's Parzen estimators (fixtures/make_optuna_tpe_reference.py)", () => {
  const standardized: ParzenEstimatorParameters = { ...PARAMS, kernelScores: 'standardized' };

  it.each(REF.estimators.map((c) => [c.name, c] as const))('%s: the same ln l(x)', (_name, c) => {
    const pe = new ParzenEstimator(c.observations, spaceOf(c.space), { ...standardized, multivariate: c.multivariate });
    const ours = pe.logPdf(c.points);
    c.logPdf.forEach((v, i) => expect(ours[i]).toBeCloseTo(v, 10));
  });

  it("a study's next trial: the same split and the same ln l(x), ln g(x) per parameter", () => {
    const { study } = REF;
    const space = spaceOf(study.space);
    const trials = study.params.map((params, number) => new FrozenTrial({
      number, trialId: number, state: 'COMPLETE', value: study.values[number], params, distributions: space, intermediateValues: new Map(),
      datetimeStart: null, datetimeComplete: null, userAttrs: {}, systemAttrs: {}, errorMessage: null,
    }));
    for (const [name, ref] of Object.entries(study.next)) {
      const [below, above] = splitTrials(trials, tune.defaultGamma(trials.length), 'minimize');
      expect(below.map((t) => t.number)).toEqual(ref.below);
      expect(above.map((t) => t.number)).toEqual(ref.above);
      const one = { [name]: space[name] };
      const l = new ParzenEstimator({ [name]: below.map((t) => t.params[name] as number) }, one, standardized);
      const g = new ParzenEstimator({ [name]: above.map((t) => t.params[name] as number) }, one, standardized);
      const logL = l.logPdf({ [name]: ref.grid });
      const logG = g.logPdf({ [name]: ref.grid });
      ref.grid.forEach((_, i) => {
        expect(logL[i]).toBeCloseTo(ref.logL[i], 10);
        expect(logG[i]).toBeCloseTo(ref.logG[i], 10);
      });
    }
  });

  it("'standardized' differs from the true density by ln σ per kernel only in the scores, not in sampling", () => {
    const space = { x: new tune.FloatDistribution(0, 10) };
    const obs = { x: [2, 3, 9] };
    // Centres 2, 3, 9 and the prior's 5 with σ 2, 2, 4, 10 (see the first test): standardized
    // kernels are σ_k times the densities.
    const mus = [2, 3, 9, 5];
    const sigmas = [2, 2, 4, 10];
    const pe = new ParzenEstimator(obs, space, standardized);
    for (const x of [0.5, 4, 9.9]) {
      let p = 0;
      mus.forEach((mu, k) => (p += Math.exp(mixtureLogPdf(x, [mu], [sigmas[k]], 0, 10)) * sigmas[k] / 4));
      expect(pe.logPdf({ x: [x] })[0]).toBeCloseTo(Math.log(p), 12);
    }
    const density = new ParzenEstimator(obs, space, PARAMS);
    const draw = (e: ParzenEstimator) => e.sample(new Generator(5), 50).x;
    expect(draw(pe)).toEqual(draw(density));
  });

  it('TPESampler checks kernelScores', () => {
    expect(() => new tune.TPESampler({ kernelScores: 'raw' as never })).toThrow(/kernelScores must be 'standardized' or 'density'/);
  });
});

describe("Optuna's defaults", () => {
  it('gamma(n) = min(ceil(0.1 n), 25)', () => {
    expect([0, 1, 10, 11, 99, 250, 300].map(tune.defaultGamma)).toEqual([0, 1, 1, 2, 10, 25, 25]);
  });

  it('weights: 1 below 25 observations, then a linear ramp from 1/n over the oldest n − 25', () => {
    expect([...tune.defaultWeights(3)]).toEqual([1, 1, 1]);
    const w = tune.defaultWeights(30);
    [1 / 30, 1 / 30 + (29 / 30) / 4, 1 / 30 + (29 / 30) / 2, 1 / 30 + (3 * 29 / 30) / 4, 1].forEach((v, i) => expect(w[i]).toBeCloseTo(v, 14));
    expect([...w.slice(5)]).toEqual(new Array(25).fill(1));
  });

  it('split: best COMPLETE trials, then the PRUNED ones that got furthest; both in number order', () => {
    const trial = (number: number, state: TrialState, value: number | null, reports: Array<[number, number]> = []) => new FrozenTrial({
      number, trialId: number, state, value, params: {}, distributions: {}, intermediateValues: new Map(reports),
      datetimeStart: null, datetimeComplete: null, userAttrs: {}, systemAttrs: {}, errorMessage: null,
    });
    const trials = [trial(0, 'COMPLETE', 5), trial(1, 'PRUNED', null, [[2, 0.5]]), trial(2, 'COMPLETE', 1), trial(3, 'PRUNED', null, [[0, 1], [4, 9]]),
      trial(4, 'PRUNED', null), trial(5, 'COMPLETE', 3)];
    const [below, above] = splitTrials(trials, 4, 'minimize');
    expect(below.map((t) => t.number)).toEqual([0, 2, 3, 5]);
    expect(above.map((t) => t.number)).toEqual([1, 4]);
    const [bMax] = splitTrials(trials, 1, 'maximize');
    expect(bMax.map((t) => t.number)).toEqual([0]);
  });
});

/** Median over seeds 0..9 of the best regret after nTrials. */
async function medianRegret(fn: TestFunction, nTrials: number, make: (seed: number) => tune.Sampler): Promise<number> {
  const regrets: number[] = [];
  for (let seed = 0; seed < 10; seed++) {
    const study = await tune.createStudy({ sampler: make(seed), pruner: new tune.NopPruner() });
    await study.optimize((t) => fn.f(fn.bounds.map(([lo, hi], i) => t.suggestFloat(`x${i}`, lo, hi))), { nTrials });
    regrets.push(study.bestValue - fn.minimum);
  }
  regrets.sort((a, b) => a - b);
  return (regrets[4] + regrets[5]) / 2;
}

describe('TPE against random search (median best regret over 10 seeds)', () => {
  it.each([['Branin', branin, 40], ['Hartmann-6', hartmann6, 50]] as const)('%s', async (_name, fn, nTrials) => {
    const random = await medianRegret(fn, nTrials, (seed) => new tune.RandomSampler({ seed }));
    const tpe = await medianRegret(fn, nTrials, (seed) => new tune.TPESampler({ seed }));
    const tpeJoint = await medianRegret(fn, nTrials, (seed) => new tune.TPESampler({ seed, multivariate: true }));
    console.log(`${fn.name} after ${nTrials} trials: median regret random ${random.toPrecision(4)}, TPE ${tpe.toPrecision(4)}, multivariate TPE ${tpeJoint.toPrecision(4)}`);
    expect(tpe).toBeLessThan(0.75 * random);
    expect(tpeJoint).toBeLessThan(0.75 * random);
  }, 120_000);
});
