// fit({ resumeFrom }) checks a checkpoint's state against the run before applying any of it
// (issue 13): each broken copy of a good checkpoint is refused with an error naming the file
// and the field, and leaves the model, optimizer and schedule as they were.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relu } from '../../src/nn/activation.js';
import { linear } from '../../src/nn/linear.js';
import { sequential } from '../../src/nn/sequential.js';
import { randn, tensor } from '../../src/ops/creation.js';
import { Adam } from '../../src/optim/adam.js';
import { StepLR } from '../../src/optim/lr_scheduler/step.js';
import { manualSeed } from '../../src/random.js';
import type { Tensor } from '../../src/tensor.js';
import { ModelCheckpoint } from '../../src/train/callbacks/model_checkpoint.js';
import { loadCheckpoint, saveCheckpoint, type CheckpointState } from '../../src/train/checkpoint/checkpoint.js';
import { fit } from '../../src/train/fit.js';

const dir = mkdtempSync(join(tmpdir(), 'steepest-resume-checks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

manualSeed(1);
const x = randn([48, 8]);
const y = tensor(Int32Array.from({ length: 48 }, (_, i) => i % 3));
const good = join(dir, 'good.safetensors');

function setUp(seed: number) {
  manualSeed(seed);
  const model = sequential(linear(8, 6), relu(), linear(6, 3));
  const optimizer = new Adam(model.parameters(), { lr: 0.01 });
  const schedule = new StepLR(optimizer, { stepSize: 1, gamma: 0.5 });
  return { model, optimizer, schedule };
}
const resume = (run: ReturnType<typeof setUp>, resumeFrom: string, epochs = 3) =>
  fit(run.model, { data: [x, y], batchSize: 16, epochs, optimizer: run.optimizer, schedules: [run.schedule], loss: 'crossEntropy', resumeFrom });

beforeAll(async () => {
  const run = setUp(0);
  await fit(run.model, { data: [x, y], batchSize: 16, epochs: 2, optimizer: run.optimizer, schedules: [run.schedule], loss: 'crossEntropy', callbacks: [new ModelCheckpoint(good)] });
});

type Edit = (state: Record<string, any>, weights: Record<string, Tensor>) => void;

/** A copy of the good checkpoint with `edit` applied to its state (and weights). */
async function broken(name: string, edit: Edit): Promise<string> {
  const { weights, metadata } = loadCheckpoint(good);
  const { format: _f, version: _v, checkpointId: _c, savedAt: _s, ...state } = metadata;
  edit(state, weights);
  const path = join(dir, `${name}.safetensors`);
  await saveCheckpoint(path, weights, state as CheckpointState);
  for (const t of Object.values(weights)) t.dispose();
  return path;
}

const moment = (s: Record<string, any>, slot = 'exp_avg', param = 0) => s.optimizer.state[param] as Record<string, any> & { [k: string]: Float32Array };

const cases: [string, Edit, string][] = [
  ['moments stored as strings', (s) => { moment(s).exp_avg = Array.from(moment(s).exp_avg, String) as never; },
    "optimizer state 'exp_avg' of parameter 0 must be a float32 tensor of 48 values, got a list of 48 strings"],
  ['a moment of the wrong length', (s) => { moment(s).exp_avg = moment(s).exp_avg.subarray(1); },
    "optimizer state 'exp_avg' of parameter 0 holds 47 values, the parameter has 48"],
  ['a NaN moment', (s) => { moment(s).exp_avg_sq[3] = NaN; }, "optimizer state 'exp_avg_sq' of parameter 0 holds NaN at element 3"],
  ['an infinite moment', (s) => { moment(s, 'exp_avg', 2).exp_avg[0] = -Infinity; }, "optimizer state 'exp_avg' of parameter 2 holds -Infinity at element 0"],
  ['an int32 moment', (s) => { moment(s).exp_avg = new Int32Array(48) as never; }, "optimizer state 'exp_avg' of parameter 0 must be a float32 tensor of 48 values, got an Int32Array"],
  ['a step count that is a string', (s) => { moment(s).step = 'x' as never; }, 'optimizer step of parameter 0 must be a non-negative integer, got the string "x"'],
  ['a negative step count', (s) => { moment(s).step = -1 as never; }, 'optimizer step of parameter 0 must be a non-negative integer, got number -1'],
  ['lr as a string', (s) => { s.optimizer.paramGroups[0].lr = 'abc'; }, 'optimizer paramGroups[0].lr must be a number, got the string "abc"'],
  ['an infinite lr', (s) => { s.optimizer.paramGroups[0].lr = Infinity; }, 'optimizer paramGroups[0].lr must be a finite number, got Infinity'],
  ['one beta', (s) => { s.optimizer.paramGroups[0].betas = [0.9]; }, "optimizer paramGroups[0].betas holds 1 values, this run's holds 2"],
  ['a negative lr (the optimizer\'s own check)', (s) => { s.optimizer.paramGroups[0].lr = -1; }, "adam: option 'lr' of group 0 must be >= 0"],
  ['too few parameters', (s) => { s.optimizer.paramGroups[0].params = [0, 1]; }, 'optimizer paramGroups[0].params must list 4 parameter indices, got a list of 2 numbers'],
  ['a schedule setting as a string', (s) => { s.scheduler[0].gamma = 'x'; }, 'schedule 0 (StepLR) state.gamma must be a number, got the string "x"'],
  ['a NaN schedule counter', (s) => { s.scheduler[0].lastEpoch = NaN; }, 'schedule 0 (StepLR) state.lastEpoch must be a finite number, got NaN'],
  ['an unknown schedule field', (s) => { s.scheduler[0].step = 1; }, "schedule 0 (StepLR) state has the unknown field 'step'"],
  ['another schedule\'s state', (s) => { s.scheduler[0].name = 'CosineAnnealingLR'; }, 'schedule 0 is a StepLR, the checkpoint holds the state of the string "CosineAnnealingLR"'],
  ['lr history of the wrong length', (s) => { s.scheduler[0].lastLr = [0.1, 0.2]; }, "schedule 0 (StepLR) state.lastLr holds 2 values, this run's holds 1"],
  ['a schedule state that is a list', (s) => { s.scheduler[0] = [1]; }, 'schedule 0 (StepLR): its state must be an object, got a list of 1 numbers'],
  ['an RNG offset of null', (s) => { s.rng.offset = null; }, 'rng.offset must be a non-negative integer, got null'],
  ['a fractional globalStep', (s) => { s.extra.globalStep = 1.5; }, 'extra.globalStep must be a non-negative integer, got number 1.5'],
  ['no epoch', (s) => { delete s.epoch; }, 'it has no epoch; it was not written during fit'],
  ['a weight of the wrong shape', (_s, w) => { w['0.weight'].dispose(); w['0.weight'] = randn([3, 8]); }, "weight '0.weight' is float32 [3, 8], the model's is float32 [6, 8]"],
  ['a missing weight', (_s, w) => { w['2.bias'].dispose(); delete w['2.bias']; }, 'weights: missing [2.bias], unexpected []'],
];

describe('fit({ resumeFrom }) refuses state that does not fit, and changes nothing', () => {
  it('the unedited copy resumes (the control for the cases below)', async () => {
    const path = await broken('control', () => {});
    const history = await resume(setUp(5), path);
    expect(history.epochs.map((e) => e.epoch)).toEqual([0, 1, 2]);
  });

  for (const [what, edit, message] of cases) {
    it(what, async () => {
      const path = await broken(what.replace(/\W+/g, '-'), edit);
      const run = setUp(5);
      const before = run.model.namedParameters().map(([n, p]) => [n, Array.from(p.toArray())]);
      const optimizerBefore = JSON.stringify(run.optimizer.stateDict());
      const lrBefore = run.optimizer.paramGroups[0].lr;
      const error = await resume(run, path).then(() => null, (e: Error) => e);
      expect(error?.message).toContain(`fit: checkpoint '${path}' does not fit this run: ${message}`);
      expect(run.model.namedParameters().map(([n, p]) => [n, Array.from(p.toArray())])).toEqual(before);
      expect(JSON.stringify(run.optimizer.stateDict())).toBe(optimizerBefore);
      expect(run.optimizer.paramGroups[0].lr).toBe(lrBefore);
      expect(run.schedule.lastEpoch).toBe(0);
    });
  }

  it('resumeFrom must be a path', async () => {
    await expect(resume(setUp(5), {} as never)).rejects.toThrow("fit: option 'resumeFrom' must be a non-empty string, got object");
  });
});
