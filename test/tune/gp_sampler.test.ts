// GPSampler as a sampler: reproducible by seed, inside the bounds with ints, steps, log scales
// and categoricals, parallel asks that differ (the constant liar), and better than random search.
import { describe, expect, it } from 'vitest';
import { tune } from '../../src/index.js';
import { GPSampler } from '../../src/tune/samplers/gp.js';
import { branin, hartmann6, type TestFunction } from './helpers/objectives.js';

/** A mixed space: log float, stepped float, log int, categorical. */
function mixed(trial: tune.Trial) {
  const lr = trial.suggestFloat('lr', 1e-5, 1e-1, { log: true });
  const dropout = trial.suggestFloat('dropout', 0, 0.5, { step: 0.1 });
  const hidden = trial.suggestInt('hidden', 16, 512, { log: true });
  const act = trial.suggestCategorical('act', ['relu', 'tanh', 'gelu'] as const);
  return { lr, dropout, hidden, act, value: (Math.log10(lr) + 3) ** 2 + (dropout - 0.2) ** 2 + Math.abs(Math.log2(hidden) - 7) + (act === 'tanh' ? 0 : 1) };
}

async function runMixed(seed: number, nTrials: number) {
  const study = await tune.createStudy({ sampler: new GPSampler({ seed, nStartupTrials: 5 }) });
  const seen: ReturnType<typeof mixed>[] = [];
  await study.optimize((t) => { const r = mixed(t); seen.push(r); return r.value; }, { nTrials });
  return { study, seen };
}

describe('GPSampler', () => {
  it('respects bounds, log scales, steps, ints and categoricals, and is reproducible by seed', async () => {
    const a = await runMixed(3, 14);
    const b = await runMixed(3, 14);
    expect(b.seen).toEqual(a.seen);
    for (const r of a.seen) {
      expect(r.lr).toBeGreaterThanOrEqual(1e-5);
      expect(r.lr).toBeLessThanOrEqual(1e-1);
      expect(Math.round(r.dropout * 10) / 10).toBeCloseTo(r.dropout, 12);
      expect(r.dropout).toBeGreaterThanOrEqual(0);
      expect(r.dropout).toBeLessThanOrEqual(0.5);
      expect(Number.isInteger(r.hidden)).toBe(true);
      expect(r.hidden).toBeGreaterThanOrEqual(16);
      expect(r.hidden).toBeLessThanOrEqual(512);
      expect(['relu', 'tanh', 'gelu']).toContain(r.act);
    }
    const c = await runMixed(4, 14);
    expect(c.seen.slice(5)).not.toEqual(a.seen.slice(5));
  });

  it('two trials asked before either is told get different points (constant liar)', async () => {
    const study = await tune.createStudy({ sampler: new GPSampler({ seed: 1, nStartupTrials: 5, deterministicObjective: true }) });
    await study.optimize((t) => branin.f(branin.bounds.map(([lo, hi], i) => t.suggestFloat(`x${i}`, lo, hi))), { nTrials: 8 });
    const first = await study.ask();
    const x1 = branin.bounds.map(([lo, hi], i) => first.suggestFloat(`x${i}`, lo, hi));
    const second = await study.ask();
    const x2 = branin.bounds.map(([lo, hi], i) => second.suggestFloat(`x${i}`, lo, hi));
    const scaled = Math.hypot((x1[0] - x2[0]) / 15, (x1[1] - x2[1]) / 15);
    expect(scaled).toBeGreaterThan(0.01);
  });

  it('maximize is minimize of the negated objective', async () => {
    const run = async (direction: 'minimize' | 'maximize') => {
      const study = await tune.createStudy({ direction, sampler: new GPSampler({ seed: 2, nStartupTrials: 4 }) });
      const xs: number[] = [];
      await study.optimize((t) => { const x = t.suggestFloat('x', -2, 2); xs.push(x); return (direction === 'minimize' ? 1 : -1) * (x - 0.7) ** 2; }, { nTrials: 10 });
      return xs;
    };
    const [down, up] = [await run('minimize'), await run('maximize')];
    for (let i = 0; i < down.length; i++) expect(up[i]).toBeCloseTo(down[i], 6);
    expect(Math.abs(down.at(-1)! - 0.7)).toBeLessThan(0.2);
  });

  /** Median over 6 seeds of the best regret after nTrials. */
  async function medianRegret(fn: TestFunction, nTrials: number, make: (seed: number) => tune.Sampler): Promise<number> {
    const regrets: number[] = [];
    for (let seed = 0; seed < 6; seed++) {
      const study = await tune.createStudy({ sampler: make(seed) });
      await study.optimize((t) => fn.f(fn.bounds.map(([lo, hi], i) => t.suggestFloat(`x${i}`, lo, hi))), { nTrials });
      regrets.push(study.bestValue - fn.minimum);
    }
    regrets.sort((a, b) => a - b);
    return (regrets[2] + regrets[3]) / 2;
  }

  it.each([['Branin', branin, 25], ['Hartmann-6', hartmann6, 30]] as const)('beats random search and TPE on %s (median regret over 6 seeds)', async (_name, fn, nTrials) => {
    const random = await medianRegret(fn, nTrials, (seed) => new tune.RandomSampler({ seed }));
    const tpe = await medianRegret(fn, nTrials, (seed) => new tune.TPESampler({ seed }));
    const gp = await medianRegret(fn, nTrials, (seed) => new GPSampler({ seed, deterministicObjective: true }));
    console.log(`${fn.name} after ${nTrials} trials: median regret random ${random.toPrecision(3)}, TPE ${tpe.toPrecision(3)}, GP ${gp.toPrecision(3)}`);
    expect(gp).toBeLessThan(0.5 * random);
    expect(gp).toBeLessThan(tpe);
  });
});
