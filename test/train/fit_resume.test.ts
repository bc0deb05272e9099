// Checkpoint and resume inside fit: 4 epochs straight equal 2 epochs + ModelCheckpoint +
// a fresh process-like restart (new model, optimizer, schedule, other RNG state) + 2 more.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dropout } from '../../src/nn/dropout.js';
import { linear } from '../../src/nn/linear.js';
import { relu } from '../../src/nn/activation.js';
import { sequential } from '../../src/nn/sequential.js';
import { Adam } from '../../src/optim/adam.js';
import { StepLR } from '../../src/optim/lr_scheduler/step.js';
import { manualSeed } from '../../src/random.js';
import { ModelCheckpoint } from '../../src/train/callbacks/model_checkpoint.js';
import { fit } from '../../src/train/fit.js';
import { fashion } from './fit_data.js';

const dir = mkdtempSync(join(tmpdir(), 'steepest-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function setUp(seed: number) {
  manualSeed(seed);
  // Dropout draws from the default generator: the resumed run must continue its stream.
  const model = sequential(linear(784, 32), relu(), dropout(0.2), linear(32, 10));
  const optimizer = new Adam(model.parameters(), { lr: 2e-3 });
  const schedule = new StepLR(optimizer, { stepSize: 1, gamma: 0.7 });
  return { model, optimizer, schedule };
}

const weightsOf = (model: Awaited<ReturnType<typeof setUp>>['model']) =>
  model.namedParameters().map(([name, p]) => [name, Array.from(p.toArray())] as const);

describe('fit: checkpoint and resume', () => {
  it('4 epochs straight equal 2 epochs, a checkpoint, and 2 resumed epochs, bit for bit', async () => {
    const { x, y, xVal, yVal } = await fashion(640, 128);
    const common = { batchSize: 32, loss: 'crossEntropy' as const, metrics: ['accuracy'] };

    const a = await setUp(0);
    const straight = await fit(a.model, { ...common, data: [x, y], validationData: [xVal, yVal], epochs: 4, optimizer: a.optimizer, schedules: [a.schedule] });

    const b = await setUp(0);
    const path = join(dir, 'run.safetensors');
    await fit(b.model, { ...common, data: [x, y], validationData: [xVal, yVal], epochs: 2, optimizer: b.optimizer, schedules: [b.schedule], callbacks: [new ModelCheckpoint(path, { everyNEpochs: 2 })] });

    const c = await setUp(99); // different init and RNG position: everything must come from the checkpoint
    const resumed = await fit(c.model, { ...common, data: [x, y], validationData: [xVal, yVal], epochs: 4, optimizer: c.optimizer, schedules: [c.schedule], resumeFrom: path });

    expect(weightsOf(c.model)).toEqual(weightsOf(a.model));
    expect(resumed.series('loss')).toEqual(straight.series('loss'));
    expect(resumed.series('valAccuracy')).toEqual(straight.series('valAccuracy'));
    expect(resumed.series('lr')).toEqual(straight.series('lr'));
    expect(c.optimizer.paramGroups[0].lr).toBe(a.optimizer.paramGroups[0].lr);
  }, 30_000);

  it('refuses a checkpoint that does not fit the run', async () => {
    const { x, y } = await fashion(64);
    const a = await setUp(0);
    const path = join(dir, 'one.safetensors');
    await fit(a.model, { data: [x, y], epochs: 1, optimizer: a.optimizer, loss: 'crossEntropy', callbacks: [new ModelCheckpoint(path)] });
    const b = await setUp(0);
    await expect(fit(b.model, { data: [x, y], epochs: 2, optimizer: b.optimizer, loss: 'crossEntropy', schedules: [b.schedule], resumeFrom: path }))
      .rejects.toThrow(/the checkpoint holds 0 schedules, this run has 1/);
    await expect(fit(b.model, { data: [x, y], epochs: 2, optimizer: b.optimizer, loss: 'crossEntropy', resumeFrom: join(dir, 'missing.safetensors') }))
      .rejects.toThrow(/does not exist/);
  });
});
