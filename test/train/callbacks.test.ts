// ReduceLROnPlateau against torch 1.13 (bench/reference/plateau_fixtures.py), and the other
// callbacks on synthetic runs.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { Callback } from '../../src/train/callbacks/callback.js';
import { CallbackList } from '../../src/train/callbacks/callback_list.js';
import { CSVLogger } from '../../src/train/callbacks/csv_logger.js';
import { JSONLLogger } from '../../src/train/callbacks/jsonl_logger.js';
import { LearningRateScheduler } from '../../src/train/callbacks/learning_rate_scheduler.js';
import { ModelCheckpoint } from '../../src/train/callbacks/model_checkpoint.js';
import { formatLogColumn, ProgressBar } from '../../src/train/callbacks/progress_bar.js';
import { ReduceLROnPlateau } from '../../src/train/callbacks/reduce_lr_on_plateau.js';
import { TerminateOnNaN } from '../../src/train/callbacks/terminate_on_nan.js';
import { loadCheckpoint } from '../../src/train/checkpoint/checkpoint.js';
import type { Logs } from '../../src/train/contracts.js';
import { History } from '../../src/train/history.js';
import { context, FakeModel, FakeOptimizer } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'steepest-cb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const plateau = JSON.parse(readFileSync(new URL('../fixtures/train/plateau.json', import.meta.url), 'utf8'));

/** Drives a callback list through `epochs` epochs of `batches` batches with given logs. */
async function simulate(list: CallbackList, epochs: number, batches: number, epochLogs: (e: number) => Logs, batchLoss = (_e: number, _b: number) => 1) {
  await list.onTrainBegin();
  for (let e = 0; e < epochs && !list.trainer.stopTraining; e++) {
    await list.onEpochBegin(e);
    for (let b = 0; b < batches && !list.trainer.stopTraining; b++) {
      await list.onBatchBegin(b);
      await list.onBatchEnd(b, { loss: batchLoss(e, b), size: 32 });
      list.trainer.globalStep++;
    }
    const logs = epochLogs(e);
    await list.onEpochEnd(e, logs);
    list.trainer.history.recordEpoch(e, logs);
  }
  await list.onTrainEnd();
}

describe('ReduceLROnPlateau matches torch.optim.lr_scheduler.ReduceLROnPlateau', () => {
  for (const [i, c] of (plateau.cases as { config: Record<string, unknown>; values: number[]; initialLr: number[]; lrs: number[][] }[]).entries()) {
    it(`case ${i}: ${JSON.stringify(c.config)}`, () => {
      const opt = new FakeOptimizer(c.initialLr);
      const cb = new ReduceLROnPlateau({ monitor: 'valLoss', ...c.config } as never);
      cb.setTrainer(context({ optimizer: opt }));
      c.values.forEach((v, e) => {
        cb.step(v, e);
        opt.getLr().forEach((lr, g) => expect(Math.abs(lr - c.lrs[e][g])).toBeLessThanOrEqual(1e-12 * c.lrs[e][g]));
      });
    });
  }

  it('runs as a callback: logs lr, records lrChange events', async () => {
    const opt = new FakeOptimizer([0.1]);
    const ctx = context({ optimizer: opt, epochs: 6 });
    await simulate(new CallbackList([new ReduceLROnPlateau({ patience: 1, factor: 0.5 })], ctx), 6, 1, () => ({ loss: 1, valLoss: 1 }));
    expect(ctx.history.series('lr')).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.025]);
    expect(ctx.history.eventsOf('lrChange')).toHaveLength(2);
    expect(() => new ReduceLROnPlateau({ factor: 1 })).toThrow(/ReduceLROnPlateau: option 'factor' must be >= 0 and < 1, got 1/);
  });
});

describe('LearningRateScheduler', () => {
  it('per epoch: schedule(epoch, lr) before each epoch, for every group', async () => {
    const opt = new FakeOptimizer([1, 0.5]);
    const seen: [number, number][] = [];
    const sched = new LearningRateScheduler((e, lr) => (seen.push([e, lr]), e < 2 ? lr : lr * 0.5));
    const ctx = context({ optimizer: opt });
    await simulate(new CallbackList([sched], ctx), 4, 2, () => ({ loss: 1 }));
    expect(opt.getLr()).toEqual([0.25, 0.125]);
    expect(ctx.history.series('lr')).toEqual([1, 1, 0.5, 0.25]);
    expect(seen.slice(0, 2)).toEqual([[0, 1], [0, 0.5]]);
  });

  it('per step: indexed by the global step', async () => {
    const opt = new FakeOptimizer([1]);
    const steps: number[] = [];
    const ctx = context({ optimizer: opt });
    await simulate(new CallbackList([new LearningRateScheduler((s) => (steps.push(s), 1 / (s + 1)), { per: 'step' })], ctx), 2, 3, () => ({ loss: 1 }));
    expect(steps).toEqual([0, 1, 2, 3, 4, 5]);
    expect(opt.getLr()).toEqual([1 / 6]);
    const bad = new LearningRateScheduler(() => NaN);
    bad.setTrainer(context({ optimizer: opt }));
    expect(() => bad.onEpochBegin(0)).toThrow(/schedule\(0, .*\) returned NaN, expected a finite lr >= 0/);
  });
});

describe('TerminateOnNaN and user callbacks', () => {
  it('stops at the first non-finite batch loss, hooks run in order', async () => {
    const calls: string[] = [];
    class Recorder extends Callback {
      override onTrainBegin() { calls.push('trainBegin'); }
      override onEpochBegin(e: number) { calls.push(`epochBegin${e}`); }
      override async onBatchEnd(b: number) { await Promise.resolve(); calls.push(`batchEnd${b}`); }
      override onEpochEnd(e: number) { calls.push(`epochEnd${e}`); }
      override onTrainEnd() { calls.push('trainEnd'); }
    }
    const ctx = context({ epochs: 3 });
    await simulate(new CallbackList([new Recorder(), new TerminateOnNaN()], ctx), 3, 3, () => ({ loss: 1 }), (e, b) => (e === 1 && b === 1 ? NaN : 1));
    expect(calls).toEqual(['trainBegin', 'epochBegin0', 'batchEnd0', 'batchEnd1', 'batchEnd2', 'epochEnd0', 'epochBegin1', 'batchEnd0', 'batchEnd1', 'epochEnd1', 'trainEnd']);
    expect(ctx.history.eventsOf('terminate')[0]).toMatchObject({ epoch: 1, step: 4, message: 'Batch 1: invalid loss NaN, terminating training' });
    expect(() => new CallbackList([{} as Callback], ctx)).toThrow(/CallbackList: callbacks\[0\] must be a Callback, got object/);
  });
});

describe('loggers', () => {
  it('CSVLogger writes a header and one row per epoch, NA for missing keys, append keeps rows', async () => {
    const path = join(dir, 'log.csv');
    const logs = (e: number): Logs => (e === 0 ? { loss: 1.5, accuracy: 0.5 } : { loss: 1 / (e + 1), accuracy: 0.6, valLoss: 2 });
    await simulate(new CallbackList([new CSVLogger(path)], context()), 2, 1, logs);
    expect(readFileSync(path, 'utf8')).toBe('epoch,accuracy,loss\n0,0.5,1.5\n1,0.6,0.5\n');
    await simulate(new CallbackList([new CSVLogger(path, { append: true, separator: ';' })], context()), 1, 1, () => ({ accuracy: 0.7, loss: NaN }));
    expect(readFileSync(path, 'utf8')).toBe('epoch,accuracy,loss\n0,0.5,1.5\n1,0.6,0.5\n0;0.7;NaN\n');
    await simulate(new CallbackList([new CSVLogger(path)], context()), 1, 1, () => ({ loss: 2, lr: 0.1 }));
    expect(readFileSync(path, 'utf8')).toBe('epoch,loss,lr\n0,2,0.1\n');
    await simulate(new CallbackList([new CSVLogger(path)], context()), 2, 1, (e): Logs => (e === 0 ? { loss: 2, lr: 0.1 } : { loss: 1 }));
    expect(readFileSync(path, 'utf8')).toBe('epoch,loss,lr\n0,2,0.1\n1,1,NA\n');
  });

  it('JSONLLogger appends one JSON object per epoch, non-finite values as strings', async () => {
    const path = join(dir, 'log.jsonl');
    writeFileSync(path, 'stale\n');
    await simulate(new CallbackList([new JSONLLogger(path)], context()), 3, 1, (e) => ({ loss: e === 2 ? Infinity : 1 / (e + 1), lr: 0.1 }));
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([{ epoch: 0, loss: 1, lr: 0.1 }, { epoch: 1, loss: 0.5, lr: 0.1 }, { epoch: 2, loss: 'Infinity', lr: 0.1 }]);
  });
});

describe('ProgressBar', () => {
  const capture = (isTTY: boolean) => {
    const stream = Object.assign(new PassThrough(), { isTTY, columns: 120 });
    let text = '';
    stream.on('data', (d) => (text += d.toString()));
    return { stream, text: () => text };
  };

  it('plain lines when the stream is not a TTY', async () => {
    const out = capture(false);
    await simulate(new CallbackList([new ProgressBar({ stream: out.stream })], context({ epochs: 2 })), 2, 3,
      (e) => ({ loss: 0.5 / (e + 1), valLoss: 0.7, accuracy: 0.81234, seconds: 1.25 }));
    // Fixed decimals per value, so the columns line up from epoch to epoch.
    expect(out.text()).toBe('Epoch 1/2 - 1.25s - loss 0.5000 - valLoss 0.7000 - accuracy 0.8123\nEpoch 2/2 - 1.25s - loss 0.2500 - valLoss 0.7000 - accuracy 0.8123\n');
  });

  it('a live bar with loss, metrics and ETA on a TTY; the finished bar shows the elapsed time', async () => {
    const out = capture(true);
    await simulate(new CallbackList([new ProgressBar({ stream: out.stream })], context({ epochs: 1, stepsPerEpoch: 4 })), 1, 4,
      () => ({ loss: 0.25, accuracy: 0.9, seconds: 3.25 }), () => 0.5);
    const text = out.text();
    expect(text).toMatch(/Epoch 1\/1 .*0\/4 \| loss - \| ETA -/);
    expect(text).toMatch(/Epoch 1\/1 .*4\/4 \| loss 0.2500 - accuracy 0.9000 \| 3\.3s/);
    expect(text.slice(text.lastIndexOf('Epoch 1/1'))).not.toMatch(/ETA/);
    expect(text).toMatch(/\u001b\[/); // cursor control: a redrawn bar, not plain lines
  });

  it('formatLogColumn: fixed decimals for losses and metrics, significant digits for lr', () => {
    expect(['loss', 'accuracy', 'lr', 'seconds'].map((k) => formatLogColumn(k, 0.873))).toEqual(['0.8730', '0.8730', '0.873', '0.87']);
    expect(formatLogColumn('lr', 0.0010000000000000002)).toBe('0.001');
    expect(formatLogColumn('loss', 2.5e-5)).toBe('2.500e-5');
    expect(formatLogColumn('loss', NaN)).toBe('NaN');
  });
});

describe('ModelCheckpoint', () => {
  it('saves every N epochs with templated names, creating folders, atomically, with the trainer state', async () => {
    const model = new FakeModel();
    const ctx = context({ model, checkpointState: () => ({ optimizer: { step: ctx.globalStep }, rng: { seed: 3, offset: 10 } }) });
    const cb = new ModelCheckpoint(join(dir, 'ck', 'nested', 'e{epoch}-{valLoss}.safetensors'), { everyNEpochs: 2 });
    await simulate(new CallbackList([cb], ctx), 4, 2, (e) => { model.setAll(e); return { loss: 1, valLoss: 0.5 }; });
    expect(readdirSync(join(dir, 'ck', 'nested')).sort()).toEqual(['e2-0.5.safetensors', 'e4-0.5.safetensors']);
    expect(cb.lastSaved).toBe(join(dir, 'ck', 'nested', 'e4-0.5.safetensors'));
    const ck = loadCheckpoint(join(dir, 'ck', 'nested', 'e4-0.5.safetensors'));
    expect(ck.metadata).toMatchObject({ epoch: 3, optimizer: { step: 8 }, rng: { seed: 3, offset: 10 } });
    expect(Array.from(ck.weights.w.toArray())).toEqual([3, 3, 3]);
    // Saves are counted, not listed as events.
    expect(ctx.history.checkpoints).toEqual({ saves: 2, last: { epoch: 3, path: cb.lastSaved } });
    expect(ctx.history.events).toEqual([]);
    expect(ck.metadata.extra).toBeUndefined(); // this context's state carries no History
  });

  it('saveBestOnly overwrites only on strict improvement', async () => {
    const model = new FakeModel();
    const ctx = context({ model });
    const path = join(dir, 'best.safetensors');
    const vals = [0.9, 0.5, 0.7, 0.5, 0.4, 0.6];
    await simulate(new CallbackList([new ModelCheckpoint(path, { saveBestOnly: true })], ctx), vals.length, 1,
      (e) => { model.setAll(e); return { loss: 1, valLoss: vals[e] }; });
    expect(ctx.history.checkpoints).toEqual({ saves: 3, last: { epoch: 4, path } });
    expect(loadCheckpoint(path).weights.b.toArray()[0]).toBe(4);
  });

  it('saves started by hand without awaiting commit in order, and fit waits for them at train end', async () => {
    const model = new FakeModel();
    const ctx = context({ model });
    const path = join(dir, 'hand.safetensors');
    const cb = new ModelCheckpoint(path);
    const list = new CallbackList([cb], ctx);
    model.setAll(1);
    const first = cb.save(0);
    model.setAll(2); // the first save already holds its copy
    void cb.save(1);
    await list.onTrainEnd();
    expect(loadCheckpoint(path).metadata.epoch).toBe(1);
    expect(await first).toBe(path);
    expect(ctx.history.checkpoints).toEqual({ saves: 2, last: { epoch: 1, path } });
  });

  it('a folder that cannot be created, or a file in the way, is a clear error naming the path', async () => {
    const model = new FakeModel();
    writeFileSync(join(dir, 'afile'), 'x');
    const blocked = new ModelCheckpoint(join(dir, 'afile', 'sub', 'c.safetensors'));
    new CallbackList([blocked], context({ model }));
    await expect(blocked.save(0)).rejects.toThrow(/ModelCheckpoint: cannot save '.*afile\/sub\/c.safetensors': cannot inspect '.*afile\/sub': ENOTDIR/);
    const file = new ModelCheckpoint(join(dir, 'afile', 'c.safetensors'));
    new CallbackList([file], context({ model }));
    await expect(file.save(0)).rejects.toThrow(/ModelCheckpoint: cannot save '.*afile\/c.safetensors': '.*afile' exists and is not a folder/);
  });
});

describe('History', () => {
  it('columns, events and a JSON round trip that keeps NaN and Infinity', () => {
    const h = new History();
    h.recordEpoch(0, { loss: 1, valLoss: 2, accuracy: 0.5, valAccuracy: 0.4, lr: 0.1, seconds: 3 });
    h.recordEpoch(1, { loss: NaN, valLoss: Infinity, accuracy: 0.6, lr: 0.1, seconds: 3 });
    h.addEvent({ kind: 'diagnosis', epoch: 1, step: 7, message: 'divergence', detail: { hints: ['lower the learning rate'], value: -Infinity } });
    expect(h.history).toEqual({ loss: [1, NaN], valLoss: [2, Infinity], accuracy: [0.5, 0.6], valAccuracy: [0.4, NaN], lr: [0.1, 0.1], seconds: [3, 3] });
    const text = JSON.stringify(h);
    expect(text).toContain('"NaN"');
    const back = History.fromJSON(text);
    expect(back.history).toEqual(h.history);
    expect(back.events).toEqual(h.events);
    expect(() => History.fromJSON('{}')).toThrow(/History.fromJSON: json 'epochs' must be an array, got undefined/);
  });
});
