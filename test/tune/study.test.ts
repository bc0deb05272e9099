// Study and Trial: define-by-run suggestions, ask/tell, enqueue, best trial, the trials table.
import { describe, expect, it } from 'vitest';
import { tune } from '../../src/index.js';

const study = (opts: tune.CreateStudyOptions = {}) => tune.createStudy({ sampler: new tune.RandomSampler({ seed: 0 }), pruner: new tune.NopPruner(), ...opts });

describe('Study and Trial', () => {
  it('a name suggested twice in one trial returns the first value; incompatible re-suggestions throw', async () => {
    const s = await study();
    const t = await s.ask();
    const lr = t.suggestFloat('lr', 1e-5, 1e-1, { log: true });
    expect(t.suggestFloat('lr', 1e-5, 1e-1, { log: true })).toBe(lr);
    expect(() => t.suggestInt('lr', 1, 3)).toThrow("suggestInt: parameter 'lr' was suggested as a float before, got an int");
    await s.tell(t, 1);
    const t2 = await s.ask();
    expect(() => t2.suggestFloat('lr', 1e-5, 1e-1)).toThrow("suggestFloat: parameter 'lr' was suggested with log true before, got log false");
    expect(() => t2.suggestCategorical('lr', ['a'])).toThrow("parameter 'lr' was suggested as a float before, got a categorical");
  });

  it('suggestCategorical is typed by its choices', async () => {
    const s = await study();
    const t = await s.ask();
    const opt: 'adam' | 'sgd' = t.suggestCategorical('optimizer', ['adam', 'sgd'] as const);
    expect(['adam', 'sgd']).toContain(opt);
  });

  it('unknown option keys throw with the nearest name', async () => {
    const s = await study();
    const t = await s.ask();
    expect(() => t.suggestFloat('x', 0, 1, { lg: true } as never)).toThrow("suggestFloat: unknown option 'lg' (did you mean 'log'?)");
    expect(() => new tune.TPESampler({ nStartupTrails: 5 } as never)).toThrow("TPESampler: unknown option 'nStartupTrails' (did you mean 'nStartupTrials'?)");
    await expect(tune.createStudy({ directon: 'maximize' } as never)).rejects.toThrow("createStudy: unknown option 'directon' (did you mean 'direction'?)");
    await expect(s.optimize(() => 0, { ntrials: 3 } as never)).rejects.toThrow("optimize: unknown option 'ntrials' (did you mean 'nTrials'?)");
  });

  it('ask/tell records values, pruned trials keep their last intermediate value, failures their message', async () => {
    const s = await study({ direction: 'maximize' });
    const a = await s.ask();
    a.suggestInt('n', 1, 4);
    await s.tell(a, 0.5);
    const b = await s.ask();
    b.report(0.2, 0);
    b.report(0.3, 1);
    await s.tell(b, 'pruned');
    const c = await s.ask();
    await s.tell(c.number, 'failed', { errorMessage: 'out of memory' });
    const d = await s.ask();
    await s.tell(d, NaN);
    expect(s.trials.map((t) => [t.state, t.value])).toEqual([['COMPLETE', 0.5], ['PRUNED', 0.3], ['FAIL', null], ['FAIL', null]]);
    expect(s.trials[1].intermediateValues).toEqual(new Map([[0, 0.2], [1, 0.3]]));
    expect(s.trials[2].errorMessage).toBe('out of memory');
    expect(s.trials[3].errorMessage).toBe('the objective returned NaN');
    await expect(s.tell(a, 1)).rejects.toThrow('tell: trial 0 is COMPLETE; only a RUNNING trial can be told');
    expect(() => a.report(1, 2)).toThrow('report: trial 0 is already COMPLETE; a finished trial cannot be changed');
    expect(s.trials[0].duration).toBeGreaterThanOrEqual(0);
  });

  it('bestTrial follows the direction and says why there is none', async () => {
    const s = await study();
    await expect(async () => s.bestTrial).rejects.toThrow('study.bestTrial: no trial is COMPLETE yet (no trials)');
    for (const v of [3, 1, 2]) {
      const t = await s.ask();
      t.suggestFloat('x', v, v);
      await s.tell(t, v);
    }
    expect(s.bestValue).toBe(1);
    expect(s.bestTrial.number).toBe(1);
    expect(s.bestParams).toEqual({ x: 1 });
  });

  it('enqueueTrial fixes values for the next trial; unfixed names are sampled', async () => {
    const s = await study();
    await s.enqueueTrial({ lr: 0.01, opt: 'sgd' });
    await s.enqueueTrial({ lr: 0.01, opt: 'sgd' }, { skipIfExists: true });
    expect(s.trials.map((t) => t.state)).toEqual(['WAITING']);
    await s.optimize((t) => {
      const lr = t.suggestFloat('lr', 1e-4, 1, { log: true });
      const opt = t.suggestCategorical('opt', ['adam', 'sgd']);
      const m = t.suggestFloat('momentum', 0, 1);
      return lr + (opt === 'sgd' ? m : 0);
    }, { nTrials: 2 });
    expect(s.trials[0].params.lr).toBe(0.01);
    expect(s.trials[0].params.opt).toBe('sgd');
    expect(typeof s.trials[0].params.momentum).toBe('number');
    expect(s.trials[1].params.lr).not.toBe(0.01);
  });

  it('ask(fixedDistributions) suggests them at once', async () => {
    const s = await study();
    const t = await s.ask({ x: new tune.FloatDistribution(0, 1), k: new tune.IntDistribution(1, 3) });
    expect(Object.keys(t.params).sort()).toEqual(['k', 'x']);
  });

  it('trialsTable sorts best first (COMPLETE by value, then PRUNED, then the rest) or by number', async () => {
    const s = await study();
    const results: tune.TellResult[] = [5, 'failed', 2, 'pruned', 9];
    for (const r of results) {
      const t = await s.ask();
      t.suggestFloat('x', 0, 1);
      t.report(7, 0);
      await s.tell(t, r);
    }
    const table = s.trialsTable();
    expect(table.rows.map((r) => r.number)).toEqual([2, 0, 4, 3, 1]);
    expect(table.columns).toEqual(['number', 'state', 'value', 'datetimeStart', 'datetimeComplete', 'duration', 'params_x', 'errorMessage']);
    expect(s.trialsTable({ sortBy: 'number' }).rows.map((r) => r.number)).toEqual([0, 1, 2, 3, 4]);
    expect(String(table).split('\n')[1]).toMatch(/^2 +COMPLETE +2 /);
  });

  it('createStudy refuses a taken name unless loadIfExists, and a different direction on load', async () => {
    const storage = new tune.InMemoryStorage();
    const a = await tune.createStudy({ storage, studyName: 'exp' });
    const t = await a.ask();
    await a.tell(t, 1);
    await expect(tune.createStudy({ storage, studyName: 'exp' })).rejects.toThrow("createNewStudy: a study named 'exp' already exists");
    const b = await tune.createStudy({ storage, studyName: 'exp', loadIfExists: true });
    expect(b.trials.length).toBe(1);
    await expect(tune.createStudy({ storage, studyName: 'exp', loadIfExists: true, direction: 'maximize' }))
      .rejects.toThrow("createStudy: study 'exp' exists with direction 'minimize', got direction 'maximize'");
    await expect(tune.createStudy({ storage: 'mysql://db/x' })).rejects.toThrow("createStudy: storage must be a Storage, 'journal:<path>', 'sqlite:<path>' or 'postgresql://user:password@host:port/database', got string 'mysql://db/x'");
  });
});
