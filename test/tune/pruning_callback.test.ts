// PruningCallback: reports each epoch's monitored value, and stops fit with the trial PRUNED.
import { describe, expect, it } from 'vitest';
import { data, nn, optim, train, tune } from '../../src/index.js';
import { fashion, mlp } from '../train/fit_data.js';

async function studyWithOneGoodTrial() {
  const study = await tune.createStudy({ pruner: new tune.MedianPruner({ nStartupTrials: 1 }), sampler: new tune.RandomSampler({ seed: 0 }) });
  const t = await study.ask();
  [1, 0.8, 0.7].forEach((v, step) => t.report(v, step));
  await study.tell(t, 0.7);
  return study;
}

describe('PruningCallback', () => {
  it('reports logs[monitor] at step = epoch and stops training once the pruner says so', async () => {
    const study = await studyWithOneGoodTrial();
    const trial = await study.ask();
    const cb = new tune.PruningCallback(trial, 'valLoss');
    const ctx = train.createTrainerContext({ history: new train.History(), log: () => {} });
    cb.setTrainer(ctx);
    cb.onEpochEnd(0, { loss: 1, valLoss: 0.9 }); // 0.9 <= median 1 at step 0
    expect(ctx.stopTraining).toBe(false);
    cb.onEpochEnd(1, { loss: 1, valLoss: 0.95 }); // best so far 0.9 > 0.8 at step 1
    expect(ctx.stopTraining).toBe(true);
    expect(cb.prunedEpoch).toBe(1);
    expect(trial.freeze().intermediateValues).toEqual(new Map([[0, 0.9], [1, 0.95]]));
    expect(ctx.history.events.at(-1)).toMatchObject({ kind: 'earlyStop', message: 'Trial 1 pruned at epoch 2 (valLoss 0.95)', detail: { pruned: true, trial: 1 } });
    expect(() => cb.checkPruned()).toThrow(tune.TrialPruned);
    await study.tell(trial, 0.95);
    expect(study.trials[1].state).toBe('COMPLETE'); // tell with a number is explicit; optimize honours markPruned
  });

  it('says once when the monitored key is missing, and reports nothing', async () => {
    const study = await studyWithOneGoodTrial();
    const trial = await study.ask();
    const cb = new tune.PruningCallback(trial, 'valAccuracy');
    const lines: string[] = [];
    cb.setTrainer(train.createTrainerContext({ history: new train.History(), log: (l) => lines.push(l) }));
    cb.onEpochEnd(0, { loss: 1 });
    cb.onEpochEnd(1, { loss: 1 });
    expect(lines).toEqual(["PruningCallback: 'valAccuracy' is not in the epoch logs (loss); nothing is reported to the pruner"]);
    expect(trial.freeze().intermediateValues.size).toBe(0);
  });

  it('inside train.fit: a hopeless learning rate is pruned after one epoch and the study records PRUNED', async () => {
    const { x, y, xVal, yVal } = await fashion(512, 256);
    const study = await tune.createStudy({ pruner: new tune.MedianPruner({ nStartupTrials: 1 }), sampler: new tune.RandomSampler({ seed: 0 }) });
    await study.enqueueTrial({ lr: 3e-3 });
    await study.enqueueTrial({ lr: 1e-7 });
    const epochsRun: number[] = [];
    await study.optimize(async (trial) => {
      const lr = trial.suggestFloat('lr', 1e-7, 1e-1, { log: true });
      const model = mlp(32, 0);
      const history = await train.fit(model, {
        data: new data.DataLoader(new data.TensorDataset(x, y), { batchSize: 64, shuffle: true, seed: 0 }),
        validationData: [xVal, yVal], epochs: 3, optimizer: new optim.Adam(model.parameters(), { lr }),
        loss: new nn.CrossEntropyLoss(), callbacks: [new tune.PruningCallback(trial, 'valLoss')], log: () => {},
      });
      epochsRun.push(history.epochs.length);
      return history.epochs.at(-1)!.valLoss!;
    }, { nTrials: 2, catch: [] });
    expect(study.trials.map((t) => t.state)).toEqual(['COMPLETE', 'PRUNED']);
    expect(epochsRun).toEqual([3, 1]);
    expect(study.trials[1].value).toBe(study.trials[1].intermediateValues.get(0));
  });
});
