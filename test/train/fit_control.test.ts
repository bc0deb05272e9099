// fit as a good citizen of the event loop: cancellable through an AbortSignal, timers keep
// firing during training; and the TrainingMonitor's three diagnoses provoked on real data.
import { describe, expect, it } from 'vitest';
import { relu } from '../../src/nn/activation.js';
import { dropout } from '../../src/nn/dropout.js';
import { linear } from '../../src/nn/linear.js';
import { sequential } from '../../src/nn/sequential.js';
import { matmul, randn } from '../../src/ops/index.js';
import { manualSeed } from '../../src/random.js';
import { Adam } from '../../src/optim/adam.js';
import { SGD } from '../../src/optim/sgd.js';
import { Callback } from '../../src/train/callbacks/callback.js';
import { EarlyStopping } from '../../src/train/callbacks/early_stopping.js';
import { ProgressBar } from '../../src/train/callbacks/progress_bar.js';
import { fit } from '../../src/train/fit.js';
import { fashion, mlp } from './fit_data.js';

describe('fit: cancellation', () => {
  it('stops after the current batch when the signal aborts, and History says so', async () => {
    const { x, y, xVal, yVal } = await fashion(320, 100);
    const model = mlp(16);
    const controller = new AbortController();
    const hooks: string[] = [];
    class AbortAt extends Callback {
      override onBatchEnd(batch: number) {
        hooks.push(`batch ${this.trainer.epoch}.${batch}`);
        if (this.trainer.epoch === 1 && batch === 2) controller.abort(new Error('user pressed stop'));
      }
      override onEpochEnd(epoch: number) { hooks.push(`epochEnd ${epoch}`); }
      override onTrainEnd() { hooks.push('trainEnd'); }
    }
    const history = await fit(model, { data: [x, y], validationData: [xVal, yVal], epochs: 5, batchSize: 32, optimizer: new SGD(model.parameters(), { lr: 0.01 }), loss: 'crossEntropy', callbacks: [new AbortAt()], signal: controller.signal });
    expect(hooks.slice(-5)).toEqual(['batch 1.0', 'batch 1.1', 'batch 1.2', 'epochEnd 1', 'trainEnd']);
    expect(history.epochs).toHaveLength(2);
    expect(history.epochs[0].valLoss).toBeDefined();
    expect(history.epochs[1].valLoss).toBeUndefined(); // the partial epoch is not validated
    expect(Number.isFinite(history.epochs[1].loss)).toBe(true);
    const [event] = history.eventsOf('terminate');
    expect(event.epoch).toBe(1);
    expect(event.step).toBe(13); // 10 batches of epoch 0, then 3
    expect(event.detail).toMatchObject({ cause: 'abort', batchesDone: 3, reason: 'user pressed stop' });
    expect(event.message).toMatch(/cancelled by the AbortSignal after 3 batches of epoch 2/);
  });

  it('an abort from a timer ends a long run early; an already aborted signal trains nothing', async () => {
    const { x, y } = await fashion(1000);
    const model = mlp(32);
    const optimizer = new Adam(model.parameters());
    const signal = AbortSignal.timeout(150);
    const history = await fit(model, { data: [x, y], epochs: 1000, batchSize: 32, optimizer, loss: 'crossEntropy', signal });
    expect(history.epochs.length).toBeGreaterThan(0);
    expect(history.epochs.length).toBeLessThan(1000);
    expect(history.eventsOf('terminate')[0].detail?.cause).toBe('abort');

    const again = await fit(model, { data: [x, y], epochs: 3, optimizer, loss: 'crossEntropy', signal });
    expect(again.epochs).toHaveLength(0);
    expect(again.eventsOf('terminate')[0].detail).toMatchObject({ cause: 'abort', batchesDone: 0 });
  });
});

describe('fit: the event loop', () => {
  // Properties counted from inside the run, so a slow or loaded machine cannot flip them: each
  // batch busy-waits past `yieldEveryMs`, so a pause is always due, and a timer armed in one
  // batch is always due by the next. Whether it fires before the next batch begins depends only
  // on fit giving the event loop a turn, not on how fast the machine is.
  const busyWait = (ms: number) => { const end = performance.now() + ms; while (performance.now() < end) { /* spin */ } };

  /** For each batch after the first: did a 0 ms timer armed at its end fire before the next began? */
  const timerBetweenBatches = async (yieldEveryMs: number, spinMs: number) => {
    const { x, y } = await fashion(320);
    const model = mlp(16);
    const fired: boolean[] = [];
    let armed: { fired: boolean } | null = null;
    class ArmTimer extends Callback {
      override onBatchBegin() {
        if (armed) fired.push(armed.fired);
        armed = null;
      }
      override onBatchEnd(batch: number) {
        if (batch === 0 && this.trainer.epoch === 0) return; // before fit's first pause the loop phase is the caller's
        const flag = { fired: false };
        armed = flag;
        setTimeout(() => { flag.fired = true; }, 0);
        busyWait(spinMs); // the timer (1 ms) and, when spinMs > yieldEveryMs, the pause are due
      }
    }
    await fit(model, { data: [x, y], epochs: 2, batchSize: 32, optimizer: new Adam(model.parameters()), loss: 'crossEntropy', callbacks: [new ArmTimer()], yieldEveryMs });
    return fired;
  };

  it('a due timer fires between every two batches once yieldEveryMs has passed', async () => {
    const fired = await timerBetweenBatches(5, 7);
    expect(fired.length).toBe(18); // 2 epochs x 10 batches, less the first batch and the last
    expect(fired.every(Boolean)).toBe(true);
  });

  it('without the pauses (yieldEveryMs huge) no timer fires until fit returns', async () => {
    const fired = await timerBetweenBatches(1e9, 7);
    expect(fired.length).toBe(18);
    expect(fired.some(Boolean)).toBe(false);
  });
});

describe('fit: diagnosis (the handbook\'s "Debugging training")', () => {
  it('lr 10: divergence is diagnosed, the run stops, and a parameter is named', async () => {
    const { x, y, xVal, yVal } = await fashion(1000, 200);
    const model = mlp(64);
    const lines: string[] = [];
    const history = await fit(model, { data: [x, y], validationData: [xVal, yVal], epochs: 10, batchSize: 32, optimizer: new SGD(model.parameters(), { lr: 10 }), loss: 'crossEntropy', log: (l) => lines.push(l) });
    const diagnoses = history.eventsOf('diagnosis');
    expect(diagnoses.map((d) => d.detail?.type)).toEqual(['divergence']);
    const names = model.namedParameters().map(([n]) => n);
    expect(names).toContain(diagnoses[0].detail?.parameter);
    expect(diagnoses[0].detail?.hints).toContain('lower the learning rate');
    expect(history.eventsOf('terminate')[0].detail).toMatchObject({ diagnosis: 'divergence' });
    expect(history.epochs.length).toBeLessThan(10);
    expect(lines.some((l) => l.includes(`parameter '${diagnoses[0].detail?.parameter}'`))).toBe(true);
  });

  it('a gradient that goes NaN is named by the monitor itself', async () => {
    const { x, y } = await fashion(256);
    const model = mlp(16);
    const poison = model.namedParameters()[2][1]; // '2.weight'
    class Poison extends Callback {
      // After the 5th step, one weight becomes NaN: the next backward spreads NaN to the gradients.
      override onBatchEnd() { if (this.trainer.globalStep === 5) poison.buffer.write(new Float32Array([NaN]), poison.offset + 7); }
    }
    const history = await fit(model, { data: [x, y], epochs: 3, batchSize: 32, optimizer: new SGD(model.parameters(), { lr: 0.01 }), loss: 'crossEntropy', callbacks: [new Poison()] });
    const [d] = history.eventsOf('diagnosis');
    expect(d.detail?.type).toBe('divergence');
    expect(d.step).toBe(6);
    expect(typeof d.detail?.parameter).toBe('string');
    expect(d.message).toMatch(/gradient of '[\w.]+' is NaN/);
    expect(d.detail?.parameterReason).toBeUndefined(); // named by the monitor, not by fit's fallback
    expect(history.eventsOf('terminate')).toHaveLength(1);
  });

  it('lr 1e-7: stagnation is diagnosed, and training goes on', async () => {
    const { x, y } = await fashion(640);
    const model = mlp(32);
    const history = await fit(model, { data: [x, y], epochs: 20, batchSize: 32, optimizer: new SGD(model.parameters(), { lr: 1e-7 }), loss: 'crossEntropy' });
    const diagnoses = history.eventsOf('diagnosis');
    expect(diagnoses.map((d) => d.detail?.type)).toEqual(['stagnation']);
    expect(diagnoses[0].detail?.hints).toContain('raise the learning rate');
    expect(history.epochs).toHaveLength(20);
  });

  it('a dropout regression whose loss still falls: no stagnation diagnosis (the former best-of-window rule fired)', async () => {
    manualSeed(0);
    const x = randn([256, 8]);
    const y = matmul(x, randn([8, 1]));
    const model = sequential(linear(8, 32), relu(), dropout(0.5), linear(32, 1));
    const history = await fit(model, { data: [x, y], epochs: 150, batchSize: 32, optimizer: new SGD(model.parameters(), { lr: 3e-4 }), loss: 'mse' });
    const l = history.series('loss');
    // The run is noisy but still falling: its 5-epoch means fall by over 1 % per window on the
    // whole, and the best of the last 5 epochs fails to beat the best before at times.
    const mean = (a: number[]) => a.reduce((p, q) => p + q, 0) / a.length;
    expect(mean(l.slice(-5)) / mean(l.slice(0, 5))).toBeLessThan(0.99 ** 29);
    const minRuleStalls = l.slice(5).filter((_, i) => !(Math.min(...l.slice(i + 1, i + 6)) < Math.min(...l.slice(0, i + 1)) * (1 - 1e-3))).length;
    expect(minRuleStalls).toBeGreaterThan(0);
    expect(history.eventsOf('diagnosis')).toEqual([]);
  });

  it('64 training samples and many epochs: overfitting is diagnosed', async () => {
    const { x, y, xVal, yVal } = await fashion(64, 500);
    const model = mlp(64);
    const history = await fit(model, { data: [x, y], validationData: [xVal, yVal], epochs: 40, batchSize: 16, optimizer: new Adam(model.parameters(), { lr: 1e-3 }), loss: 'crossEntropy' });
    const overfit = history.eventsOf('diagnosis').filter((d) => d.detail?.type === 'overfitting');
    expect(overfit.length).toBeGreaterThanOrEqual(1);
    const e = overfit[0].epoch;
    const valLoss = history.series('valLoss');
    expect(valLoss[e]).toBeGreaterThan(valLoss[e - 3]);
    expect(history.series('loss')[e]).toBeLessThan(history.series('loss')[e - 3]);
    expect(history.eventsOf('terminate')).toHaveLength(0); // a diagnosis, not a stop
  });
});

describe('fit: output', () => {
  it('lines in epoch order (the epoch line before what callbacks logged at its end), numbers rounded', async () => {
    const { x, y, xVal, yVal } = await fashion(128, 64);
    const model = mlp(16);
    const out: string[] = [];
    const stream = { write: (chunk: string) => out.push(...chunk.trimEnd().split('\n')), isTTY: false };
    await fit(model, {
      data: [x, y], validationData: [xVal, yVal], epochs: 30, batchSize: 32, optimizer: new Adam(model.parameters(), { lr: 0.01 }), loss: 'crossEntropy',
      callbacks: [new EarlyStopping({ patience: 1 }), new ProgressBar({ stream })], log: (line) => out.push(line),
    });
    const stop = out.findIndex((l) => l.includes('early stopping'));
    expect(stop).toBeGreaterThan(0);
    const epoch = Number(/^Epoch (\d+):/.exec(out[stop])![1]);
    expect(out[stop - 1]).toMatch(new RegExp(`^Epoch ${epoch}/30 - `)); // its epoch's line comes first
    expect(out[stop]).toMatch(/did not improve on \d\.\d{1,3} for 1 epochs\)$/); // 4 significant digits, not 0.36324349729220073
  });
});
