// train.fit on real data: it learns, fills the History, calls callbacks in Keras's order,
// runs EarlyStopping/schedules/class weights/clipping, and allocates nothing per epoch.
import { describe, expect, it } from 'vitest';
import { Adam } from '../../src/optim/adam.js';
import { SGD } from '../../src/optim/sgd.js';
import { LinearLR } from '../../src/optim/lr_scheduler/linear.js';
import { StepLR } from '../../src/optim/lr_scheduler/step.js';
import { ReduceLROnPlateau } from '../../src/optim/lr_scheduler/plateau.js';
import { memoryStats } from '../../src/runtime.js';
import { Callback } from '../../src/train/callbacks/callback.js';
import { EarlyStopping } from '../../src/train/callbacks/early_stopping.js';
import { LearningRateScheduler } from '../../src/train/callbacks/learning_rate_scheduler.js';
import { ReduceLROnPlateau as ReduceLROnPlateauCallback } from '../../src/train/callbacks/reduce_lr_on_plateau.js';
import { argmax } from '../../src/ops/reduce.js';
import { evaluate } from '../../src/train/evaluate.js';
import { predict } from '../../src/train/predict.js';
import { fit } from '../../src/train/fit.js';
import type { Logs } from '../../src/train/contracts.js';
import { fashion, mlp } from './fit_data.js';

/** Records every hook call as a string. */
class Recorder extends Callback {
  calls: string[] = [];
  override onTrainBegin() { this.calls.push('trainBegin'); }
  override onTrainEnd() { this.calls.push('trainEnd'); }
  override onEpochBegin(e: number) { this.calls.push(`epochBegin ${e}`); }
  override onEpochEnd(e: number, logs: Logs) { this.calls.push(`epochEnd ${e} ${Object.keys(logs).sort().join(',')}`); }
  override onBatchBegin(b: number) { this.calls.push(`batchBegin ${b}`); }
  override onBatchEnd(b: number, logs: Logs) { this.calls.push(`batchEnd ${b} ${Number.isFinite(logs.loss)}`); }
}

describe('fit', () => {
  it('learns Fashion-MNIST past 75% validation accuracy and fills the History', async () => {
    const { x, y, xVal, yVal } = await fashion(3000);
    const model = mlp();
    const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
    const history = await fit(model, { data: [x, y], validationData: [xVal, yVal], epochs: 3, batchSize: 32, optimizer, loss: 'crossEntropy', metrics: ['accuracy', 'f1Macro'] });
    expect(history.epochs.map((e) => e.epoch)).toEqual([0, 1, 2]);
    const last = history.epochs[2];
    expect(last.valMetrics.accuracy).toBeGreaterThan(0.75);
    expect(last.metrics.accuracy).toBeGreaterThan(0.75);
    expect(last.metrics.f1Macro).toBeGreaterThan(0.5);
    expect(history.series('loss')[2]).toBeLessThan(history.series('loss')[0]);
    expect(history.series('valLoss').every(Number.isFinite)).toBe(true);
    expect(history.series('lr')).toEqual([1e-3, 1e-3, 1e-3]);
    expect(history.series('seconds').every((s) => s > 0)).toBe(true);
    expect(Object.keys(history.history).sort()).toEqual(['accuracy', 'f1Macro', 'loss', 'lr', 'seconds', 'valAccuracy', 'valF1Macro', 'valLoss']);
    // The reported validation numbers are evaluate()'s on the final weights.
    const check = await evaluate(model, [xVal, yVal], { loss: 'crossEntropy', metrics: ['accuracy'] });
    expect(check.accuracy).toBeCloseTo(last.valMetrics.accuracy, 6);
    expect(check.loss).toBeCloseTo(last.valLoss!, 5);
    expect(model.training).toBe(true);
  });

  it('calls the hooks in Keras order, user callbacks in the order given', async () => {
    const { x, y, xVal, yVal } = await fashion(96, 64);
    const model = mlp(16);
    const a = new Recorder();
    const b = new Recorder();
    await fit(model, { data: [x, y], validationData: [xVal, yVal], epochs: 2, batchSize: 48, optimizer: new SGD(model.parameters(), { lr: 0.01 }), loss: 'crossEntropy', metrics: ['accuracy'], callbacks: [a, b] });
    const keys = 'accuracy,loss,lr,seconds,valAccuracy,valLoss';
    expect(a.calls).toEqual([
      'trainBegin',
      'epochBegin 0', 'batchBegin 0', 'batchEnd 0 true', 'batchBegin 1', 'batchEnd 1 true', `epochEnd 0 ${keys}`,
      'epochBegin 1', 'batchBegin 0', 'batchEnd 0 true', 'batchBegin 1', 'batchEnd 1 true', `epochEnd 1 ${keys}`,
      'trainEnd',
    ]);
    expect(b.calls).toEqual(a.calls);
  });

  it('runs EarlyStopping with restoreBestWeights: stops, and the model ends with the best epoch\'s weights', async () => {
    const { x, y, xVal, yVal } = await fashion(256, 300);
    const model = mlp(64);
    const optimizer = new Adam(model.parameters(), { lr: 3e-3 });
    // 256 samples and many epochs: validation loss bottoms out early, then rises.
    const stopper = new EarlyStopping({ monitor: 'valLoss', patience: 2, restoreBestWeights: true });
    const history = await fit(model, { data: [x, y], validationData: [xVal, yVal], epochs: 40, batchSize: 32, optimizer, loss: 'crossEntropy', callbacks: [stopper], monitor: false });
    expect(history.epochs.length).toBeLessThan(40);
    expect(history.eventsOf('earlyStop')).toHaveLength(1);
    const valLosses = history.series('valLoss');
    const best = Math.min(...valLosses);
    expect(stopper.bestEpoch).toBe(valLosses.indexOf(best));
    const after = await evaluate(model, [xVal, yVal], { loss: 'crossEntropy' });
    expect(after.loss).toBeCloseTo(best, 5);
    expect(after.loss).toBeLessThan(valLosses.at(-1)!);
  });

  it('steps schedules per epoch, per iteration, and ReduceLROnPlateau on the validation loss', async () => {
    const { x, y, xVal, yVal } = await fashion(128, 64);
    let model = mlp(16);
    let optimizer = new SGD(model.parameters(), { lr: 0.1 });
    let history = await fit(model, { data: [x, y], epochs: 4, batchSize: 32, optimizer, loss: 'crossEntropy', schedules: [new StepLR(optimizer, { stepSize: 2, gamma: 0.5 })], monitor: false });
    // lr logged is the one in effect during the epoch.
    expect(history.series('lr')).toEqual([0.1, 0.1, 0.05, 0.05]);
    expect(optimizer.paramGroups[0].lr).toBeCloseTo(0.025, 12);

    model = mlp(16);
    optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const warmup = new LinearLR(optimizer, { startFactor: 0.5, endFactor: 1, totalIters: 4 });
    history = await fit(model, { data: [x, y], epochs: 2, batchSize: 32, optimizer, loss: 'crossEntropy', schedules: [{ scheduler: warmup, interval: 'step' }], monitor: false });
    expect(warmup.lastEpoch).toBe(8); // 4 batches x 2 epochs
    expect(history.series('lr')[0]).toBeCloseTo(0.1, 12); // after 4 iterations the warm-up is over

    model = mlp(16);
    optimizer = new SGD(model.parameters(), { lr: 1e-4 }); // nothing improves by 10%
    const plateau = new ReduceLROnPlateau(optimizer, { patience: 0, factor: 0.5, threshold: 0.1 });
    history = await fit(model, { data: [x, y], validationData: [xVal, yVal], epochs: 3, batchSize: 32, optimizer, loss: 'crossEntropy', schedules: [plateau], monitor: false });
    expect(history.eventsOf('lrChange').map((e) => e.epoch)).toEqual([1, 2]);
    expect(history.eventsOf('lrChange')[0].detail?.monitor).toBe('valLoss');
    expect(optimizer.paramGroups[0].lr).toBeCloseTo(2.5e-5, 15);
  });

  it('drives LearningRateScheduler (per step) and the ReduceLROnPlateau callback from inside fit', async () => {
    const { x, y, xVal, yVal } = await fashion(128, 64);
    const model = mlp(16);
    const optimizer = new SGD(model.parameters(), { lr: 1 });
    const seen: number[] = [];
    class Lr extends Callback {
      override onBatchEnd() { seen.push(optimizer.paramGroups[0].lr); }
    }
    const schedule = new LearningRateScheduler((step) => 0.01 / (1 + step), { per: 'step' });
    const plateau = new ReduceLROnPlateauCallback({ monitor: 'valLoss', patience: 0, factor: 0.5, threshold: 0.5 });
    const history = await fit(model, { data: [x, y], validationData: [xVal, yVal], epochs: 2, batchSize: 32, optimizer, loss: 'crossEntropy', callbacks: [schedule, new Lr(), plateau], monitor: false });
    expect(seen).toEqual(Array.from({ length: 8 }, (_, step) => 0.01 / (1 + step)));
    // threshold 0.5 (relative): epoch 2 would have to halve the validation loss; it does not, so it reduces.
    expect(history.eventsOf('lrChange').map((e) => e.epoch)).toEqual([1]);
    expect(history.epochs[1].lr).toBeCloseTo(0.01 / 8 / 2, 12);
  });

  it('turns classWeight into cross-entropy weights, and applies gradientClip for the run only', async () => {
    const { x, y } = await fashion(128);
    // Weight 0 for every class but 3: only class-3 samples pull, so the model drifts to predicting 3.
    const only3 = Object.fromEntries(Array.from({ length: 10 }, (_, c) => [c, c === 3 ? 1 : 0]));
    const run = async (classWeight?: Record<number, number>) => {
      const model = mlp(16);
      const optimizer = new SGD(model.parameters(), { lr: 0.05 });
      const norms: number[] = [];
      class Norms extends Callback {
        override onBatchEnd() { norms.push(optimizer.lastGradNorm); }
      }
      const history = await fit(model, { data: [x, y], epochs: 4, batchSize: 32, optimizer, loss: 'crossEntropy', classWeight, gradientClip: 1, callbacks: [new Norms()], monitor: false });
      expect(norms.every((n) => n >= 0)).toBe(true); // the global norm was measured: clipping was on
      expect(optimizer.clipGradNorm).toBe(0); // and is off again after the run
      const predicted = argmax(await predict(model, x), 1).toArray();
      const labels = Array.from(y.toArray());
      const class3 = labels.flatMap((c, i) => (c === 3 ? [predicted[i]] : []));
      return { loss: history.series('loss').at(-1)!, recall3: class3.filter((c) => c === 3).length / class3.length };
    };
    const weighted = await run(only3);
    const plain = await run();
    // The weighted loss is the class-3 samples' loss alone, which the model drives down fast.
    expect(weighted.loss).toBeLessThan(0.3);
    expect(plain.loss).toBeGreaterThan(1);
    expect(weighted.recall3).toBe(1);
    const model = mlp(8);
    await expect(fit(model, { data: [x, y], epochs: 1, optimizer: new SGD(model.parameters(), { lr: 0.1 }), loss: 'mse', classWeight: 'balanced' }))
      .rejects.toThrow(/classWeight needs a cross-entropy loss/);
  });

  it('allocates no native memory in epochs 2..N (training and validation)', async () => {
    const { x, y, xVal, yVal } = await fashion(500, 200);
    const model = mlp(32);
    const counts: number[] = [];
    class Count extends Callback {
      override onEpochEnd() { counts.push(memoryStats().allocations); }
    }
    await fit(model, { data: [x, y], validationData: [xVal, yVal], epochs: 6, batchSize: 32, optimizer: new Adam(model.parameters()), loss: 'crossEntropy', metrics: ['accuracy'], callbacks: [new Count()] });
    expect(counts).toHaveLength(6);
    expect(counts.slice(1).every((c) => c === counts[1])).toBe(true);
  });

  it('rejects bad options with clear errors', async () => {
    const { x, y } = await fashion(64);
    const model = mlp(8);
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    await expect(fit(model, { data: [x, y], epochs: 0, optimizer, loss: 'crossEntropy' })).rejects.toThrow(/fit: option 'epochs' must be an integer >= 1 and <= 2147483647, got 0/);
    await expect(fit(model, { data: [x, y], epochs: 1, optimizer, loss: 'nope' as never })).rejects.toThrow(/unknown loss 'nope'/);
    await expect(fit(model, { data: [x, y], epochs: 1, optimizer, loss: 'crossEntropy', validationSplit: 1.5 })).rejects.toThrow(/fit: option 'validationSplit' must be > 0 and < 1, got 1.5/);
    await expect(fit(model, { data: [x, y], epochs: 1, optimizer, loss: 'crossEntropy', gradientClip: -1 })).rejects.toThrow(/fit: option 'gradientClip' must be > 0, got -1/);
    await expect(fit(model, { data: 42 as never, epochs: 1, optimizer, loss: 'crossEntropy' })).rejects.toThrow(/fit: option 'data' must be a DataLoader, an iterable of \[x, y\] batches or tensors \[x, y\], got 42/);
  });
});
