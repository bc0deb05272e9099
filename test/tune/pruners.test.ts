// Pruner decisions against hand-computed cases (Optuna's semantics).
import { describe, expect, it } from 'vitest';
import { tune } from '../../src/index.js';

async function makeStudy(pruner: tune.Pruner, direction: tune.StudyDirection = 'minimize', studyName?: string) {
  return tune.createStudy({ pruner, direction, studyName, sampler: new tune.RandomSampler({ seed: 0 }) });
}

/** A finished trial that reported `values` at steps 0, 1, ... */
async function finished(study: tune.Study, values: number[], result: tune.TellResult = values[values.length - 1]) {
  const t = await study.ask();
  values.forEach((v, step) => t.report(v, step));
  await study.tell(t, result);
}

/** Starts a trial, reports [step, value] pairs and returns shouldPrune after each. */
async function decisions(study: tune.Study, reports: Array<[number, number]>, result: tune.TellResult = 'failed'): Promise<boolean[]> {
  const t = await study.ask();
  const out = reports.map(([step, v]) => {
    t.report(v, step);
    return t.shouldPrune();
  });
  await study.tell(t, result);
  return out;
}

describe('MedianPruner', () => {
  // Five COMPLETE trials: step 0 values 1..5 (median 3), step 1 values 1, 1.5, 2, 2.5, 3 (median 2).
  async function withHistory(options: tune.MedianPrunerOptions = {}, n = 5) {
    const s = await makeStudy(new tune.MedianPruner(options));
    for (let i = 0; i < n; i++) await finished(s, [i + 1, 1 + i / 2]);
    return s;
  }

  it('prunes a trial whose best value so far is worse than the median at its step', async () => {
    const s = await withHistory();
    expect(await decisions(s, [[0, 3.5]])).toEqual([true]);
    expect(await decisions(s, [[0, 2.9]])).toEqual([false]);
    // Best so far (0.5 at step 0) against step 1's median 2: kept despite the 10 at step 1.
    expect(await decisions(s, [[0, 0.5], [1, 10]])).toEqual([false, false]);
    expect(await decisions(s, [[0, NaN]])).toEqual([true]);
  });

  it('waits for nStartupTrials COMPLETE trials and nWarmupSteps steps', async () => {
    expect(await decisions(await withHistory({}, 4), [[0, 100]])).toEqual([false]);
    expect(await decisions(await withHistory({ nWarmupSteps: 1 }), [[0, 100], [1, 100]])).toEqual([false, true]);
  });

  it('decides only at the first report of each interval of intervalSteps', async () => {
    const s = await withHistory({ intervalSteps: 2 });
    expect(await decisions(s, [[0, 2], [1, 100]])).toEqual([false, false]);
  });

  it('needs nMinTrials COMPLETE trials that reported the step', async () => {
    const s = await withHistory({ nMinTrials: 6 });
    expect(await decisions(s, [[0, 100]])).toEqual([false]);
  });
});

describe('PercentilePruner', () => {
  it('minimize: prunes above the p-th percentile; maximize: below the (100 − p)-th', async () => {
    const low = await makeStudy(new tune.PercentilePruner(25));
    for (const v of [1, 2, 3, 4, 5]) await finished(low, [v]);
    expect(await decisions(low, [[0, 2.5]])).toEqual([true]); // P25 of 1..5 is 2
    expect(await decisions(low, [[0, 1.5]])).toEqual([false]);
    const high = await makeStudy(new tune.PercentilePruner(25), 'maximize');
    for (const v of [1, 2, 3, 4, 5]) await finished(high, [v]);
    expect(await decisions(high, [[0, 3.5]])).toEqual([true]); // P75 is 4
    expect(await decisions(high, [[0, 4.5]])).toEqual([false]);
  });

  it('interpolates linearly between order statistics (numpy)', async () => {
    const s = await makeStudy(new tune.PercentilePruner(40, { nStartupTrials: 1 }));
    for (const v of [10, 20, 30]) await finished(s, [v]);
    // rank 0.4·2 = 0.8: 10 + 0.8·10 = 18
    expect(await decisions(s, [[0, 18.01]])).toEqual([true]);
    expect(await decisions(s, [[0, 17.99]])).toEqual([false]);
  });

  it('validates its arguments', () => {
    expect(() => new tune.PercentilePruner(120)).toThrow('PercentilePruner: percentile must be a number in [0, 100], got 120');
    expect(() => new tune.MedianPruner({ intervalSteps: 0 })).toThrow('MedianPruner: intervalSteps must be an integer >= 1, got 0');
  });
});

describe('SuccessiveHalvingPruner (ASHA)', () => {
  it('promotes the top 1/η of each rung, counting the trial itself', async () => {
    // minResource 1, η 2: rung 0 at step 1, rung 1 at step 2.
    const s = await makeStudy(new tune.SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 }));
    const at = async (value: number) => (await decisions(s, [[0, 0], [1, value]], 'pruned'))[1];
    expect(await at(5)).toBe(false); // rung 0: [5], index 0 → 5 ≤ 5
    expect(await at(3)).toBe(false); // [3 5], index ⌊2/2⌋−1 = 0 → 3 ≤ 3
    expect(await at(4)).toBe(true); // [3 4 5], index 0 → 4 > 3
    expect(await at(1)).toBe(false); // [1 3 4 5], index 1 → 1 ≤ 3
    expect(await at(3.5)).toBe(true); // [1 3 3.5 4 5], index 1 → 3.5 > 3
    expect(s.trials.map((t) => t.systemAttrs.completed_rung_0)).toEqual([5, 3, 4, 1, 3.5]);
  });

  it("climbs several rungs at once and waits below the first rung; 'auto' waits for a COMPLETE trial", async () => {
    const s = await makeStudy(new tune.SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 }));
    expect(await decisions(s, [[0, 9], [4, 2]])).toEqual([false, false]);
    expect(s.trials[0].systemAttrs).toMatchObject({ completed_rung_0: 2, completed_rung_1: 2, completed_rung_2: 2 });
    const auto = new tune.SuccessiveHalvingPruner();
    const a = await makeStudy(auto);
    expect(await decisions(a, [[0, 1], [300, 1]])).toEqual([false, false]);
    await finished(a, new Array(251).fill(1)); // last step 250 → minResource max(1, ⌊250/100⌋) = 2
    await decisions(a, [[1, 1]]);
    expect(auto.minResource).toBe(2);
  });

  it('maximize keeps the largest values', async () => {
    const s = await makeStudy(new tune.SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 }), 'maximize');
    expect((await decisions(s, [[1, 5]]))[0]).toBe(false);
    expect((await decisions(s, [[1, 4]]))[0]).toBe(true);
  });
});

describe('HyperbandPruner', () => {
  it("has Optuna's brackets and budgets and assigns trials by crc32('<study>_<number>')", async () => {
    const hb = new tune.HyperbandPruner({ minResource: 1, maxResource: 9, reductionFactor: 3 });
    const s = await makeStudy(hb, 'minimize', 'hb');
    await decisions(s, [[0, 1]]);
    expect(hb.nBrackets).toBe(3); // ⌊log3 9⌋ + 1
    expect(hb.budgets).toEqual([9, 5, 3]); // ⌈3·9/3⌉, ⌈3·3/2⌉, ⌈3·1/1⌉
    // binascii.crc32(b"hb_<i>") % 17, walked through the budgets (computed with Python).
    expect(Array.from({ length: 12 }, (_, i) => hb.bracketOf('hb', i))).toEqual([0, 0, 2, 2, 1, 1, 1, 2, 1, 0, 1, 0]);
  });

  it('each bracket runs its own successive halving over its own trials', async () => {
    const hb = new tune.HyperbandPruner({ minResource: 1, maxResource: 9, reductionFactor: 3 });
    const s = await makeStudy(hb, 'minimize', 'hb');
    const run = async (reports: Array<[number, number]>) => decisions(s, reports, 'pruned');
    expect(await run([[1, 5]])).toEqual([false]); // trial 0, bracket 0: rung 0 at step 1, [5]
    expect(await run([[1, 6]])).toEqual([true]); // trial 1, bracket 0: [5 6], index 0 → 6 > 5
    expect(await run([[1, 100], [8, 100]])).toEqual([false, false]); // trial 2, bracket 2: first rung at step 9
    expect(await run([])).toEqual([]); // trial 3
    expect(await run([[1, 100], [3, 7]])).toEqual([false, false]); // trial 4, bracket 1: rung 0 at step 3, [7]
    expect(await run([[3, 6]])).toEqual([false]); // trial 5, bracket 1: [6 7] (bracket 0's 5 unseen) → 6 ≤ 6
  });
});
