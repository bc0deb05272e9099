// Callbacks' counters across a resume: a run resumed from a checkpoint taken in the middle of
// EarlyStopping's patience window (and of ReduceLROnPlateau's, and of the monitor's windows)
// stops at the same epoch, with the same weights, lrs and diagnoses as the uninterrupted run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Adam } from '../../src/optim/adam.js';
import { EarlyStopping } from '../../src/train/callbacks/early_stopping.js';
import { ModelCheckpoint } from '../../src/train/callbacks/model_checkpoint.js';
import { ReduceLROnPlateau } from '../../src/train/callbacks/reduce_lr_on_plateau.js';
import { loadCheckpoint } from '../../src/train/checkpoint/checkpoint.js';
import { fit } from '../../src/train/fit.js';
import type { History } from '../../src/train/history.js';
import { renderReport } from '../../src/train/report.js';
import { fashion, mlp } from './fit_data.js';

const dir = mkdtempSync(join(tmpdir(), 'steepest-resume-cb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(seed: number, epochs: number, options: { checkpoint?: string; resumeFrom?: string } = {}) {
  const { x, y, xVal, yVal } = await fashion(192, 96);
  const model = mlp(32, seed);
  const optimizer = new Adam(model.parameters(), { lr: 3e-3 });
  const early = new EarlyStopping({ patience: 4, restoreBestWeights: true });
  const plateau = new ReduceLROnPlateau({ patience: 1, factor: 0.5 });
  const callbacks = [early, plateau, ...(options.checkpoint ? [new ModelCheckpoint(options.checkpoint)] : [])];
  const history = await fit(model, {
    data: [x, y], validationData: [xVal, yVal], epochs, batchSize: 32, optimizer, loss: 'crossEntropy',
    callbacks, monitor: { stagnationEpochs: 2, overfitEpochs: 2 }, resumeFrom: options.resumeFrom,
  });
  const weights = model.namedParameters().map(([name, p]) => [name, Array.from(p.toArray())] as const);
  return { history, weights, early };
}

const without = (h: History, kind: string) => h.events.filter((e) => e.kind !== kind).map(({ kind: k, epoch, step, message }) => ({ k, epoch, step, message }));

describe('fit: callbacks resume exactly', () => {
  it('a resume in the middle of the patience windows equals the uninterrupted run, bit for bit', async () => {
    const straight = await run(0, 40, { checkpoint: join(dir, 'e{epoch}.safetensors') });
    const stopped = straight.early.stoppedEpoch;
    expect(stopped).toBeGreaterThan(4); // EarlyStopping ended the run early
    expect(straight.history.eventsOf('lrChange').length).toBeGreaterThan(0);
    // A checkpoint inside the final patience window: EarlyStopping waiting, not yet stopped.
    const k = stopped - 2;
    const path = join(dir, `e${k + 1}.safetensors`);
    const saved = loadCheckpoint(path).metadata.callbacks as { type: string; state: Record<string, unknown> }[];
    expect(saved.map((c) => c.type)).toEqual(['TrainingMonitor', 'EarlyStopping', 'ReduceLROnPlateau', 'ModelCheckpoint']);
    expect(saved[1].state.wait).toBeGreaterThan(0);
    // The plateau reduction after the resume point needs ReduceLROnPlateau's restored counter.
    expect(straight.history.eventsOf('lrChange').some((d) => d.epoch > k)).toBe(true);

    const resumed = await run(7, 40, { resumeFrom: path });
    expect(resumed.early.stoppedEpoch).toBe(stopped);
    expect(resumed.weights).toEqual(straight.weights); // the best epoch's weights, restored
    for (const key of ['loss', 'valLoss', 'lr']) expect(resumed.history.series(key)).toEqual(straight.history.series(key));
    expect(without(resumed.history, 'resume')).toEqual(without(straight.history, 'resume'));
    expect(resumed.history.checkpoints.saves).toBe(k + 1); // the saves before the resume, counted once
    expect(straight.history.checkpoints.saves).toBe(stopped + 1);

    // The resume is recorded and marked in the report.
    const [event] = resumed.history.eventsOf('resume');
    expect(event).toMatchObject({ epoch: k + 1, message: `Resumed from checkpoint '${path}' at epoch ${k + 2}` });
    expect(renderReport(resumed.history)).toMatch(/class="resume"/);
  });
});
