// Checkpoint and resume inside fit: 4 epochs straight equal 2 epochs + ModelCheckpoint +
// a fresh process-like restart (new model, optimizer, schedule, other RNG state) + 2 more.
import { spawn, spawnSync } from 'node:child_process';
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
import { fashion, mlp } from './fit_data.js';
import { Callback } from '../../src/train/callbacks/callback.js';
import { loadCheckpoint } from '../../src/train/checkpoint/checkpoint.js';
import { loadSafetensors } from '../../src/train/checkpoint/safetensors.js';
import { SGD } from '../../src/optim/sgd.js';

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
  });

  it('a run cancelled mid-epoch leaves a checkpoint that resumes at the next batch, bit for bit', async () => {
    const { x, y } = await fashion(320);
    const common = { batchSize: 32, loss: 'crossEntropy' as const };
    const a = await setUp(0);
    await fit(a.model, { ...common, data: [x, y], epochs: 3, optimizer: a.optimizer, schedules: [a.schedule] });

    const b = await setUp(0);
    const controller = new AbortController();
    class AbortAt extends Callback {
      override onBatchEnd() { if (this.trainer.globalStep === 13) controller.abort(); } // epoch 2, after batch 3 of 10
    }
    const path = join(dir, 'partial.safetensors');
    const cut = await fit(b.model, { ...common, data: [x, y], epochs: 3, optimizer: b.optimizer, schedules: [b.schedule], signal: controller.signal, callbacks: [new AbortAt(), new ModelCheckpoint(path)] });
    expect(cut.epochs.map((e) => e.epoch)).toEqual([0, 1]);

    const c = await setUp(5);
    const resumed = await fit(c.model, { ...common, data: [x, y], epochs: 3, optimizer: c.optimizer, schedules: [c.schedule], resumeFrom: path });
    expect(weightsOf(c.model)).toEqual(weightsOf(a.model));
    expect(resumed.epochs.map((e) => e.epoch)).toEqual([0, 1, 2]); // the partial record was replaced
    expect(resumed.eventsOf('terminate')).toHaveLength(1); // the cancellation stays in the record
  });

  it('SIGINT during fit (abortOnSignals) leaves a checkpoint that loads and resumes bit-identically', async () => {
    const path = join(dir, 'sigint.safetensors');
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/train/fixtures/sigint_fit.ts', path], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += String(chunk);
      if (out.includes('ready') && !child.killed) child.kill('SIGINT');
    });
    child.stderr.on('data', (chunk) => (out += String(chunk)));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(out).toMatch(/SIGINT: stopping after the current batch/);
    expect(out).toMatch(/stopped: Training cancelled by the AbortSignal after \d+ batch/);
    expect(code).toBe(0);

    const savedEpoch = loadCheckpoint(path).metadata.epoch!;
    expect(savedEpoch).toBeGreaterThanOrEqual(1); // 'ready' comes at epoch 2
    // The same run, resumed here to one epoch past the cut, equals an uninterrupted run.
    const { x, y } = await fashion(640);
    const run = async (resumeFrom?: string) => {
      const model = mlp(32);
      const optimizer = new SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
      await fit(model, { data: [x, y], epochs: savedEpoch + 2, batchSize: 32, optimizer, loss: 'crossEntropy', resumeFrom });
      return model.namedParameters().map(([n, p]) => [n, Array.from(p.toArray())]);
    };
    expect(await run(path)).toEqual(await run());
  });

  it('a 784-128-10 MLP with Adam: moments as tensors, small JSON metadata', async () => {
    const { x, y } = await fashion(256);
    const model = mlp(128);
    const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
    const path = join(dir, 'mlp.safetensors');
    await fit(model, { data: [x, y], epochs: 3, batchSize: 32, optimizer, loss: 'crossEntropy', callbacks: [new ModelCheckpoint(path)] });
    const { tensors, metadata } = loadSafetensors(path);
    const moments = Object.keys(tensors).filter((k) => k.startsWith('state/optimizer/'));
    expect(moments).toHaveLength(8); // exp_avg and exp_avg_sq of 4 parameters
    expect(tensors['state/optimizer/state/0/exp_avg'].shape).toEqual([784 * 128]);
    expect(Buffer.byteLength(JSON.stringify(metadata))).toBeLessThan(16 * 1024); // 200k moment values would be MBs as JSON
  });

  // /proc refuses new entries with ENOENT, which sent the recursive mkdirSync into an endless
  // retry; in a child, so that such a hang fails this test instead of blocking the runner.
  it.runIf(process.platform === 'linux')('a ModelCheckpoint under /proc fails fit with a clear error instead of hanging', () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'test/train/fixtures/proc_checkpoint.ts'], { encoding: 'utf8', timeout: 30_000 });
    expect(child.signal).toBeNull(); // not killed by the timeout
    expect(child.stdout).toContain("rejected: ModelCheckpoint: cannot create folder '/proc/nope' for '/proc/nope/y.safetensors': ENOENT");
  }, 40_000);

  it('refuses a checkpoint that does not fit the run', async () => {
    const { x, y } = await fashion(64);
    const a = await setUp(0);
    const path = join(dir, 'one.safetensors');
    await fit(a.model, { data: [x, y], epochs: 1, optimizer: a.optimizer, loss: 'crossEntropy', callbacks: [new ModelCheckpoint(path)] });
    const b = await setUp(0);
    await expect(fit(b.model, { data: [x, y], epochs: 2, optimizer: b.optimizer, loss: 'crossEntropy', schedules: [b.schedule], resumeFrom: path }))
      .rejects.toThrow(/the checkpoint holds 0 schedules, this run has 1/);
    await expect(fit(b.model, { data: [x, y], epochs: 2, optimizer: b.optimizer, loss: 'crossEntropy', resumeFrom: join(dir, 'missing.safetensors') }))
      .rejects.toThrow(/loadCheckpoint: cannot read checkpoint '.*missing.safetensors': it does not exist/);
  });
});
