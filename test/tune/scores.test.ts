// The objective helpers: k-fold scores recorded on the trial and pruning between folds; the best
// epoch of a History series.
import { describe, expect, it } from 'vitest';
import { tune } from '../../src/index.js';
import { History } from '../../src/train/history.js';

describe('crossValidationScore', () => {
  it('returns the mean fold score and records every fold, the mean and the std', async () => {
    const study = await tune.createStudy({ sampler: new tune.RandomSampler({ seed: 0 }) });
    await study.optimize((trial) => tune.crossValidationScore(trial, (fold) => fold.fold + fold.test.length / 100, { n: 100, k: 4 }), { nTrials: 1 });
    const [t] = study.trials;
    expect(t.state).toBe('COMPLETE');
    expect(t.userAttrs.cvScores).toEqual([0.25, 1.25, 2.25, 3.25]);
    expect(t.value).toBeCloseTo(1.75, 12);
    expect(t.userAttrs.cvMean).toBeCloseTo(1.75, 12);
    expect(t.userAttrs.cvStd).toBeCloseTo(Math.sqrt(1.25), 12);
    expect([...t.intermediateValues.entries()]).toEqual([[0, 0.25], [1, 0.75], [2, 1.25], [3, 1.75]]);
  });

  it('a pruner can stop the folds early, and the trial is PRUNED', async () => {
    const pruneAfterSecondFold: tune.Pruner = { prune: (_s, trial) => trial.intermediateValues.size >= 2 };
    const study = await tune.createStudy({ pruner: pruneAfterSecondFold });
    let folds = 0;
    await study.optimize((trial) => tune.crossValidationScore(trial, () => { folds++; return 1; }, { n: 50, k: 5 }), { nTrials: 1 });
    expect(study.trials[0].state).toBe('PRUNED');
    expect(folds).toBe(2);
  });
});

describe('bestValidationScore', () => {
  it('takes the lowest loss and the highest other metric, ignoring non-finite epochs', () => {
    const h = new History();
    [[0.9, 0.6], [0.5, 0.8], [NaN, 0.7], [0.7, 0.75]].forEach(([valLoss, valAccuracy], e) => h.recordEpoch(e, { loss: 1, valLoss, valAccuracy }));
    expect(tune.bestValidationScore(h)).toBe(0.5);
    expect(tune.bestValidationScore(h, 'valAccuracy')).toBe(0.8);
    expect(tune.bestValidationScore(h, 'valAccuracy', 'min')).toBe(0.6);
    expect(() => tune.bestValidationScore(h, 'valF1')).toThrow(/no finite 'valF1' values/);
  });
});
