// EarlyStopping against Keras 3's documented algorithm, traced by hand on short sequences.
import { describe, expect, it } from 'vitest';
import { CallbackList } from '../../src/train/callbacks/callback_list.js';
import { EarlyStopping } from '../../src/train/callbacks/early_stopping.js';
import { context, FakeModel } from './helpers.js';

/** Runs epochs with the given monitored values until the callback stops training. */
async function run(es: EarlyStopping, values: number[], key = 'valLoss', model?: FakeModel) {
  const ctx = context({ model, epochs: values.length });
  const list = new CallbackList([es], ctx);
  await list.onTrainBegin();
  let epochs = 0;
  for (let e = 0; e < values.length && !ctx.stopTraining; e++) {
    await list.onEpochBegin(e);
    model?.setAll(e); // weights carry the epoch they were "trained" to
    await list.onEpochEnd(e, { [key]: values[e] });
    epochs++;
  }
  await list.onTrainEnd();
  return { epochs, ctx };
}

describe('EarlyStopping (Keras semantics)', () => {
  it('patience counts epochs without improvement', async () => {
    // best at epoch 1 (0.5); epochs 2, 3 no better -> wait 2 >= patience 2 at epoch 3.
    const { epochs, ctx } = await run(new EarlyStopping({ patience: 2 }), [1, 0.5, 0.6, 0.55, 0.1, 0.1]);
    expect(epochs).toBe(4);
    expect(ctx.history.eventsOf('earlyStop')[0]).toMatchObject({ epoch: 3, detail: { best: 0.5, bestEpoch: 1 } });
  });

  it('patience 0 stops at the first non-improving epoch, but never at epoch 0', async () => {
    expect((await run(new EarlyStopping(), [1, 2, 0])).epochs).toBe(2);
    // Epoch 0 is never a stop, even when it is no improvement on the baseline.
    expect((await run(new EarlyStopping({ baseline: 0.1 }), [1, 1.1, 0.8])).epochs).toBe(2);
  });

  it('minDelta: improvements smaller than it do not count', async () => {
    // 1 -> 0.95 improves by 0.05 < 0.1: not an improvement.
    const es = new EarlyStopping({ patience: 1, minDelta: 0.1 });
    expect((await run(es, [1, 0.95, 0.5, 0.45, 0.44])).epochs).toBe(2);
    expect(es.minDelta).toBe(-0.1);
    const es2 = new EarlyStopping({ patience: 1, minDelta: -0.1 }); // sign ignored (abs)
    expect((await run(es2, [1, 0.95, 0.5, 0.45, 0.44])).epochs).toBe(2);
  });

  it("mode 'auto' maximizes accuracy-like keys, and 'max' works on any key", async () => {
    const es = new EarlyStopping({ monitor: 'valAccuracy', patience: 1 });
    expect(es.mode).toBe('max');
    expect((await run(es, [0.5, 0.6, 0.6, 0.7], 'valAccuracy')).epochs).toBe(3);
    expect(() => new EarlyStopping({ monitor: 'weird' })).toThrow(/cannot tell whether 'weird' should be minimized or maximized/);
    expect(new EarlyStopping({ monitor: 'weird', mode: 'max' }).mode).toBe('max');
  });

  it('baseline: improving the best without beating the baseline keeps counting', async () => {
    // Each epoch improves on the last but none beats 0.3, so wait is never reset (1..5); yet an
    // improving epoch returns before the patience check (Keras), so only a non-improving one stops.
    const es = new EarlyStopping({ patience: 2, baseline: 0.3 });
    const { epochs } = await run(es, [0.9, 0.8, 0.7, 0.6, 0.5]);
    expect(epochs).toBe(5);
    expect(es.wait).toBe(5);
    // Here epoch 2 does not improve and wait is 3 >= 2: stop.
    const es2 = new EarlyStopping({ patience: 2, baseline: 0.3 });
    expect((await run(es2, [0.9, 0.8, 0.85, 0.2, 0.1])).epochs).toBe(3);
  });

  it('restoreBestWeights loads the best epoch back at train end, stopped or not', async () => {
    const model = new FakeModel();
    await run(new EarlyStopping({ patience: 1, restoreBestWeights: true }), [1, 0.4, 0.5, 0.6], 'valLoss', model);
    expect(model.first()).toBe(1); // epoch 1 was best
    const model2 = new FakeModel();
    const { epochs } = await run(new EarlyStopping({ patience: 10, restoreBestWeights: true }), [1, 0.2, 0.5], 'valLoss', model2);
    expect(epochs).toBe(3);
    expect(model2.first()).toBe(1);
  });

  it('ignores epochs before startFromEpoch and epochs without the monitored key', async () => {
    const es = new EarlyStopping({ patience: 0, startFromEpoch: 2 });
    expect((await run(es, [0.1, 0.5, 0.6, 0.7, 0.8])).epochs).toBe(4);
    expect((await run(new EarlyStopping(), [1, 2, 3], 'loss')).epochs).toBe(3);
  });
});
