// GridSampler: every combination exactly once, the size known up front, the study stopped after.
import { describe, expect, it } from 'vitest';
import { tune } from '../../src/index.js';

const SPACE = { lr: [0.1, 0.01, 0.001], opt: ['adam', 'sgd'], layers: [1, 2] } as const;

async function gridStudy(seed?: number) {
  const sampler = new tune.GridSampler(SPACE, seed === undefined ? {} : { seed });
  const study = await tune.createStudy({ sampler, pruner: new tune.NopPruner() });
  const objective = (t: tune.Trial) => {
    const lr = t.suggestFloat('lr', 1e-4, 1, { log: true });
    t.suggestCategorical('opt', ['adam', 'sgd']);
    t.suggestInt('layers', 1, 2);
    return lr;
  };
  return { sampler, study, objective };
}

const key = (p: Readonly<Record<string, unknown>>) => `${p.lr}|${p.opt}|${p.layers}`;

describe('GridSampler', () => {
  it('knows its size and enumerates every combination exactly once, then stops the study', async () => {
    const { sampler, study, objective } = await gridStudy();
    expect(sampler.gridSize).toBe(12);
    await study.optimize(objective, { nTrials: 100 });
    expect(study.trials.length).toBe(12);
    const seen = study.trials.map((t) => key(t.params));
    expect(new Set(seen).size).toBe(12);
    const all = SPACE.lr.flatMap((lr) => SPACE.opt.flatMap((opt) => SPACE.layers.map((layers) => key({ lr, opt, layers }))));
    expect(seen.sort()).toEqual(all.sort());
    await study.optimize(objective, { nTrials: 5 });
    expect(study.trials.length).toBe(12);
  });

  it('visits the grid in a seeded order; failed points count as visited', async () => {
    const a = await gridStudy(1);
    await a.study.optimize((t) => {
      const v = a.objective(t);
      if (t.number === 0) throw new Error('boom');
      return v;
    }, { nTrials: 100 });
    const b = await gridStudy(1);
    await b.study.optimize(b.objective, { nTrials: 100 });
    const c = await gridStudy(2);
    await c.study.optimize(c.objective, { nTrials: 100 });
    expect(a.study.trials.map((t) => t.state).filter((s) => s === 'FAIL').length).toBe(1);
    expect(a.study.trials.length).toBe(12);
    expect(a.study.trials.map((t) => key(t.params))).toEqual(b.study.trials.map((t) => key(t.params)));
    expect(c.study.trials.map((t) => key(t.params))).not.toEqual(b.study.trials.map((t) => key(t.params)));
  });

  it('rejects parameters outside the grid and malformed spaces', async () => {
    const { study } = await gridStudy();
    await study.optimize((t) => t.suggestFloat('momentum', 0, 1), { nTrials: 1 });
    expect(study.trials[0].errorMessage).toBe("GridSampler: parameter 'momentum' is not in the grid (grid parameters: layers, lr, opt)");
    expect(() => new tune.GridSampler({ lr: [] })).toThrow('GridSampler: searchSpace.lr must be a non-empty array, got array []');
  });
});
