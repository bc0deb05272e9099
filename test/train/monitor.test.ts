// TrainingMonitor's detectors on synthetic loss sequences and gradients (the end-to-end
// provocations with real training come with fit()).
import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/ops/creation.js';
import type { Tensor } from '../../src/tensor.js';
import { CallbackList } from '../../src/train/callbacks/callback_list.js';
import type { Logs } from '../../src/train/contracts.js';
import { TrainingMonitor, type TrainingMonitorOptions } from '../../src/train/monitor.js';
import { decodeState, encodeState } from '../../src/train/checkpoint/state_codec.js';
import { context } from './helpers.js';

interface Run {
  epochs: Logs[];
  batchLoss?: (e: number, b: number) => number;
  grads?: (step: number) => [string, Tensor][];
  batches?: number;
}

async function monitor(run: Run, options: TrainingMonitorOptions = {}) {
  const ctx = context({ epochs: run.epochs.length, namedGradients: run.grads ? () => run.grads!(ctx.globalStep) : undefined });
  const list = new CallbackList([new TrainingMonitor(options)], ctx);
  await list.onTrainBegin();
  let ran = 0;
  for (let e = 0; e < run.epochs.length && !ctx.stopTraining; e++) {
    await list.onEpochBegin(e);
    for (let b = 0; b < (run.batches ?? 4) && !ctx.stopTraining; b++) {
      await list.onBatchEnd(b, { loss: run.batchLoss?.(e, b) ?? run.epochs[e].loss });
      ctx.globalStep++;
    }
    if (ctx.stopTraining) break;
    await list.onEpochEnd(e, run.epochs[e]);
    ran++;
  }
  await list.onTrainEnd();
  const diagnoses = ctx.history.eventsOf('diagnosis');
  return { ctx, ran, diagnoses, types: diagnoses.map((d) => d.detail?.type) };
}

const finiteGrads = (): [string, Tensor][] => [['fc1.weight', tensor([0.1, -0.2])], ['fc1.bias', tensor([0.3])]];

/** A deterministic uniform [-1, 1) sequence (an LCG), standing in for epoch-to-epoch noise. */
function noise(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 31 - 1;
  };
}

describe('stagnation', () => {
  it('flags a loss that stops decreasing (as with lr 1e-7), once, with the handbook hints', async () => {
    // ln(10) = 2.3026: a 10-class model that is not learning.
    const epochs = Array.from({ length: 24 }, (_, e) => ({ loss: 2.3026 - 1e-5 * e }));
    const { types, diagnoses, ctx } = await monitor({ epochs }, { stagnationEpochs: 5 });
    expect(types).toEqual(['stagnation']);
    expect(diagnoses[0].epoch).toBe(19); // the first epoch with four full windows
    expect(diagnoses[0].detail?.hints).toEqual(expect.arrayContaining(['raise the learning rate']));
    expect(ctx.lines.join('\n')).toMatch(/\[diagnosis\] epoch 20: stagnation: the smoothed loss fell 0\.00 % over the last 5 epochs \(2\.302 -> 2\.302\), less than 1\.00 %.*Try: raise the learning rate; check the weight initialization/);
    expect(ctx.stopTraining).toBe(false);
  });

  it('stays quiet while the loss keeps falling', async () => {
    const epochs = Array.from({ length: 30 }, (_, e) => ({ loss: 2 * 0.9 ** e }));
    expect((await monitor({ epochs })).types).toEqual([]);
  });

  it('a noisy loss still falling 2 % per window (dropout) for 300 epochs: no diagnosis; barely falling: one', async () => {
    // 0.996^5 = 0.980: the trend falls 2 % per 5-epoch window, under ±2 % epoch-to-epoch noise.
    const r = noise(7);
    const losses = Array.from({ length: 300 }, (_, e) => 2 * 0.996 ** e * (1 + 0.02 * r()));
    // The former rule (best of the last 5 vs best before, 1e-3 relative) fires on this run.
    const minRule = losses.slice(5).some((_, i) => {
      const l = losses.slice(0, i + 6);
      return !(Math.min(...l.slice(-5)) < Math.min(...l.slice(0, -5)) * (1 - 1e-3));
    });
    expect(minRule).toBe(true);
    expect((await monitor({ epochs: losses.map((loss) => ({ loss })), batches: 1 })).types).toEqual([]);
    // The same noise on a trend of 0.1 % per window is stagnation.
    const r2 = noise(7);
    const flat = Array.from({ length: 40 }, (_, e) => ({ loss: 2 * 0.9998 ** e * (1 + 0.02 * r2()) }));
    expect((await monitor({ epochs: flat, batches: 1 })).types).toEqual(['stagnation']);
  });

  it('re-arms after the loss moves again', async () => {
    const flat = (v: number, n: number) => Array.from({ length: n }, () => ({ loss: v }));
    // Window 2, fitted over 8 epochs: flat at 2 (fires at epoch 7), a drop to 1 (the trend
    // falls, it clears), flat at 1 again for 8 epochs (fires at epoch 17).
    const epochs = [...flat(2, 10), ...flat(1, 8)];
    const { types, diagnoses } = await monitor({ epochs }, { stagnationEpochs: 2 });
    expect(types).toEqual(['stagnation', 'stagnation']);
    expect(diagnoses.map((d) => d.epoch)).toEqual([7, 17]);
  });
});

describe('divergence', () => {
  it('a non-finite gradient stops the run and names the first such parameter', async () => {
    const grads = (step: number): [string, Tensor][] => step < 6 ? finiteGrads()
      : [['fc1.weight', tensor([0.1, 0.2])], ['fc1.bias', tensor([Infinity])], ['fc2.weight', tensor([NaN])]];
    const { ctx, types, diagnoses, ran } = await monitor({ epochs: [{ loss: 1 }, { loss: 0.9 }, { loss: 0.8 }], grads });
    expect(types).toEqual(['divergence']);
    expect(diagnoses[0]).toMatchObject({ epoch: 1, step: 6, detail: { parameter: 'fc1.bias', index: 0, value: 'Infinity' } });
    expect(diagnoses[0].detail?.hints).toEqual(expect.arrayContaining(['lower the learning rate', 'clip gradients (gradientClip)']));
    expect(ctx.stopTraining).toBe(true);
    expect(ran).toBe(1);
    expect(ctx.lines.join('\n')).toMatch(/gradient of 'fc1.bias' is Infinity at element 0.*Try: lower the learning rate/);
  });

  it('a NaN loss (as with lr 10) stops the run even when gradients are not inspected', async () => {
    const { ctx, diagnoses } = await monitor({ epochs: [{ loss: 1 }, { loss: 1 }], batchLoss: (e, b) => (e === 0 && b === 2 ? NaN : 1) },
      { checkGradientsEvery: 0 });
    expect(diagnoses[0]).toMatchObject({ step: 2, message: 'divergence: batch loss is NaN' });
    expect(ctx.stopTraining).toBe(true);
    expect(ctx.history.eventsOf('terminate')).toHaveLength(1);
  });

  it('a sharply rising epoch loss', async () => {
    const epochs = [{ loss: 1 }, { loss: 0.5 }, { loss: 0.4 }, { loss: 0.6 }, { loss: 0.9 }, { loss: 5 }];
    const { diagnoses, ran } = await monitor({ epochs });
    // Epoch 4's 0.9 is over 2x the best 0.4: diagnosed there, so epoch 5 never runs.
    expect(diagnoses.map((d) => [d.detail?.type, d.epoch])).toEqual([['divergence', 4]]);
    expect(ran).toBe(5);
  });

  it('a sharply rising batch loss, and no stop when stopOnDivergence is false', async () => {
    const batchLoss = (e: number, b: number) => (e < 3 ? 1 - 0.01 * (4 * e + b) : 100);
    const epochs = Array.from({ length: 5 }, () => ({ loss: 1 }));
    const { ctx, types, ran } = await monitor({ epochs, batchLoss }, { stopOnDivergence: false });
    expect(types).toEqual(['divergence']);
    expect(ctx.history.eventsOf('diagnosis')[0].step).toBe(12);
    expect(ran).toBe(5);
  });
});

describe('overfitting', () => {
  it('flags a train/validation gap that grows while validation loss rises', async () => {
    // Train keeps falling; validation bottoms out at epoch 4 and climbs (a tiny train set).
    const epochs = Array.from({ length: 10 }, (_, e) => ({ loss: 1.5 * 0.7 ** e, valLoss: 0.8 + 0.03 * (e - 4) ** 2 }));
    const { types, diagnoses, ctx } = await monitor({ epochs }, { overfitEpochs: 3 });
    expect(types).toEqual(['overfitting']);
    expect(diagnoses[0].epoch).toBe(6);
    expect(diagnoses[0].detail?.hints).toEqual(expect.arrayContaining(['use more training data or augmentation', 'reduce the model complexity']));
    expect(ctx.stopTraining).toBe(false);
  });

  it('stays quiet when validation follows training', async () => {
    const epochs = Array.from({ length: 10 }, (_, e) => ({ loss: 1.5 * 0.8 ** e, valLoss: 1.6 * 0.8 ** e + 0.05 }));
    expect((await monitor({ epochs })).types).toEqual([]);
  });
});

describe('options', () => {
  it('validates window sizes', () => {
    expect(() => new TrainingMonitor({ stagnationEpochs: 0 })).toThrow(/TrainingMonitor: option 'stagnationEpochs' must be an integer >= 1, got 0/);
  });
});

describe('state across a checkpoint', () => {
  // Losses that stall from epoch 8 on: the diagnosis at epoch 15 (8 flat epochs: 4 windows of 2) needs the windows from before epoch 10.
  const losses = [...Array.from({ length: 8 }, (_, e) => 2 * 0.8 ** e), ...Array.from({ length: 8 }, () => 0.34)];

  async function epochs(m: TrainingMonitor, from: number, to: number, fresh: boolean, state?: Record<string, unknown>) {
    const ctx = context({ epochs: losses.length });
    const list = new CallbackList([m], ctx);
    if (fresh) await list.onTrainBegin();
    if (state) m.loadStateDict(state);
    for (let e = from; e < to; e++) {
      await list.onEpochBegin(e);
      await list.onBatchEnd(0, { loss: losses[e] });
      await list.onEpochEnd(e, { loss: losses[e] });
    }
    return ctx.history.eventsOf('diagnosis').map((d) => d.epoch);
  }

  it('stateDict survives the checkpoint codec, and the restored monitor diagnoses as the uninterrupted one', async () => {
    const options = { stagnationEpochs: 2 };
    expect(await epochs(new TrainingMonitor(options), 0, 16, true)).toEqual([15]);
    const first = new TrainingMonitor(options);
    await epochs(first, 0, 10, true);
    const { json, tensors } = encodeState(first.stateDict(), 'test');
    const state = decodeState(json, tensors, (why) => { throw new Error(why); }) as Record<string, unknown>;
    expect(await epochs(new TrainingMonitor(options), 10, 16, true, state)).toEqual([15]);
    expect(await epochs(new TrainingMonitor(options), 10, 16, true)).toEqual([]); // a fresh one has no window yet
    expect(() => new TrainingMonitor().loadStateDict({ ...state, active: ['sleepy'] })).toThrow(/TrainingMonitor: saved active must list diagnosis types/);
  });
});
