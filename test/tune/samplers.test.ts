// Every sampler: the same seed gives the same study; bounds, log scales, steps, ints and
// conditional parameters are respected.
import { describe, expect, it } from 'vitest';
import { tune } from '../../src/index.js';

type Make = (seed: number) => tune.Sampler;
const SAMPLERS: Array<[string, Make]> = [
  ['RandomSampler', (seed) => new tune.RandomSampler({ seed })],
  ['QMCSampler', (seed) => new tune.QMCSampler({ seed, warnIndependentSampling: false })],
  ['TPESampler', (seed) => new tune.TPESampler({ seed })],
  ['TPESampler multivariate', (seed) => new tune.TPESampler({ seed, multivariate: true })],
];

/** A conditional space touching every kind of distribution; the value rewards small x and lr. */
function objective(t: tune.Trial): number {
  const kind = t.suggestCategorical('kind', ['a', 'b', 'c'] as const);
  const x = t.suggestFloat('x', -3, 2);
  const lr = t.suggestFloat('lr', 1e-5, 1e-1, { log: true });
  const q = t.suggestFloat('q', 0, 1, { step: 0.25 });
  const n = t.suggestInt('n', 1, 9, { step: 2 });
  const h = t.suggestInt('h', 8, 512, { log: true });
  let extra = 0;
  if (kind === 'a') extra = t.suggestFloat('aOnly', 10, 20) / 10;
  if (kind === 'b') extra = t.suggestInt('bOnly', -5, 5) ** 2;
  return (x - 1) ** 2 + Math.log10(lr) / 10 + q + n / 10 + Math.log(h) / 10 + extra;
}

async function run(make: Make, seed: number, nTrials: number, fn: tune.Objective = objective) {
  const study = await tune.createStudy({ sampler: make(seed), pruner: new tune.NopPruner() });
  await study.optimize(fn, { nTrials });
  return study;
}

describe.each(SAMPLERS)('%s', (_name, make) => {
  it('is reproducible by seed', async () => {
    const a = (await run(make, 3, 30)).trials.map((t) => t.params);
    const b = (await run(make, 3, 30)).trials.map((t) => t.params);
    const c = (await run(make, 4, 30)).trials.map((t) => t.params);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('keeps every value in its distribution, ints integral, steps on the grid, conditionals where they belong', async () => {
    const s = await run(make, 5, 40);
    for (const t of s.trials) {
      expect(t.state).toBe('COMPLETE');
      const p = t.params as Record<string, number | string>;
      expect(['a', 'b', 'c']).toContain(p.kind);
      expect(p.x).toBeGreaterThanOrEqual(-3);
      expect(p.x).toBeLessThan(2);
      expect(p.lr).toBeGreaterThanOrEqual(1e-5);
      expect(p.lr).toBeLessThanOrEqual(1e-1);
      expect([0, 0.25, 0.5, 0.75, 1]).toContain(p.q);
      expect([1, 3, 5, 7, 9]).toContain(p.n);
      expect(Number.isInteger(p.h) && (p.h as number) >= 8 && (p.h as number) <= 512).toBe(true);
      expect('aOnly' in p).toBe(p.kind === 'a');
      expect('bOnly' in p).toBe(p.kind === 'b');
      if (p.kind === 'a') expect(p.aOnly as number).toBeGreaterThanOrEqual(10);
      if (p.kind === 'b') expect(Number.isInteger(p.bOnly) && Math.abs(p.bOnly as number) <= 5).toBe(true);
      for (const [name, d] of Object.entries(t.distributions)) expect(d.contains(d.toInternalRepr(t.params[name]))).toBe(true);
    }
  });

  it('samples log parameters on the log scale (half below the geometric midpoint on a flat objective)', async () => {
    const s = await run(make, 6, 80, (t) => {
      t.suggestFloat('lr', 1e-6, 1, { log: true });
      t.suggestInt('h', 1, 1024, { log: true });
      return 0;
    });
    const lowLr = s.trials.filter((t) => (t.params.lr as number) < 1e-3).length / s.trials.length;
    const lowH = s.trials.filter((t) => (t.params.h as number) < 32).length / s.trials.length;
    // Uniform on the linear scale would put ~0.1% and ~3% there.
    expect(lowLr).toBeGreaterThan(0.25);
    expect(lowH).toBeGreaterThan(0.25);
  });
});
