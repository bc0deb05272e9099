// evaluate/predict (batched, no graph, eval mode, modes restored) and the Keras-style
// compile(model).fit(x, y) sugar.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { relu } from '../../src/nn/activation.js';
import { dropout } from '../../src/nn/dropout.js';
import { linear } from '../../src/nn/linear.js';
import { CrossEntropyLoss } from '../../src/nn/loss.js';
import { sequential } from '../../src/nn/sequential.js';
import { argmax } from '../../src/ops/reduce.js';
import { SGD } from '../../src/optim/sgd.js';
import { manualSeed } from '../../src/random.js';
import { Callback } from '../../src/train/callbacks/callback.js';
import { ProgressBar } from '../../src/train/callbacks/progress_bar.js';
import { compile } from '../../src/train/compile.js';
import { evaluate } from '../../src/train/evaluate.js';
import { fit } from '../../src/train/fit.js';
import { predict } from '../../src/train/predict.js';
import { fashion, mlp } from './fit_data.js';

describe('evaluate and predict', () => {
  it('predict: batched outputs equal one forward pass, without a graph, in eval mode', async () => {
    const { x } = await fashion(300);
    manualSeed(1);
    const model = sequential(linear(784, 32), relu(), dropout(0.5), linear(32, 10));
    model.train();
    const a = await predict(model, x, { batchSize: 64 }); // 5 batches, the last one partial
    const b = await predict(model, x, { batchSize: 1000 });
    expect(a.shape).toEqual([300, 10]);
    expect(a.requiresGrad).toBe(false);
    // Dropout off (eval mode): two passes agree, whatever the batching.
    expect(Array.from(a.toArray())).toEqual(Array.from(b.toArray()));
    expect(model.training).toBe(true); // mode restored
    expect(model.parameters().every((p) => p.grad === null || p.grad === undefined)).toBe(true);
    model.eval();
    model.at(2).train(); // mixed modes survive
    await predict(model, x);
    expect(model.modules().map((m) => m.training)).toEqual([false, false, false, true, false]);
    await expect(predict(model, x, { batchSize: 0 })).rejects.toThrow(/predict: option 'batchSize' must be an integer >= 1 and <= 2147483647, got 0/);
  });

  it('evaluate: loss weighted by batch size and metrics, the same for any batching', async () => {
    const { x, y } = await fashion(300);
    const model = mlp(16);
    const small = await evaluate(model, [x, y], { loss: 'crossEntropy', metrics: ['accuracy', 'top3Accuracy'], batchSize: 7 });
    const whole = await evaluate(model, { x, y }, { loss: 'crossEntropy', metrics: ['accuracy', 'top3Accuracy'], batchSize: 300 });
    expect(small.loss).toBeCloseTo(whole.loss, 5);
    expect(small.accuracy).toBe(whole.accuracy);
    expect(small.top3Accuracy).toBe(whole.top3Accuracy);
    const predicted = argmax(await predict(model, x), 1).toArray();
    const labels = y.toArray();
    expect(whole.accuracy).toBeCloseTo(predicted.filter((p, i) => p === labels[i]).length / 300, 12);
    const noLoss = await evaluate(model, [x, y], { metrics: ['accuracy'] });
    expect(Object.keys(noLoss)).toEqual(['accuracy']);
  });
});

describe('compile(model).fit(x, y): the Keras sugar', () => {
  it('compiles with a named optimizer and fits with validationSplit, callbacks and classWeight', async () => {
    const { x, y, xVal, yVal } = await fashion(2000, 500);
    const net = compile(mlp(64), { optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    let epochsSeen = 0;
    class Count extends Callback {
      override onEpochEnd() { epochsSeen++; }
    }
    const history = await net.fit(x, y, { epochs: 3, batchSize: 32, validationSplit: 0.2, callbacks: [new Count()], classWeight: 'balanced', verbose: 0 });
    expect(epochsSeen).toBe(3);
    expect(history.series('valAccuracy')).toHaveLength(3);
    expect(history.series('valAccuracy')[2]).toBeGreaterThan(0.7);
    const result = await net.evaluate(xVal, yVal);
    expect(Object.keys(result).sort()).toEqual(['accuracy', 'loss']);
    expect(result.accuracy).toBeGreaterThan(0.7);
    const probs = await net.predict(xVal);
    expect(probs.shape).toEqual([500, 10]);
  });

  it('takes an optimizer object and validationData; a ProgressBar callback prints one line per epoch', async () => {
    const { x, y, xVal, yVal } = await fashion(200, 100);
    const model = mlp(16);
    const net = compile(model, { optimizer: new SGD(model.parameters(), { lr: 0.05 }), loss: 'crossEntropy', metrics: ['accuracy'] });
    let text = '';
    const stream = new Writable({ write(chunk, _enc, done) { text += String(chunk); done(); } });
    const history = await net.fit(x, y, { epochs: 2, validationData: [xVal, yVal], verbose: 0, callbacks: [new ProgressBar({ stream, tty: false })] });
    expect(history.epochs).toHaveLength(2);
    expect(text).toMatch(/^Epoch 1\/2 - [\d.]+s - loss [\d.]+ - accuracy [\d.]+ - valLoss [\d.]+ - valAccuracy [\d.]+ - lr 0\.05\nEpoch 2\/2/);
    expect(() => compile(model, { optimizer: 'lbfgs' as never, loss: 'mse' })).toThrow(/CompiledModel: option 'optimizer' must be one of 'adam', 'sgd', 'rmsprop', 'adamw', 'adagrad', got string 'lbfgs'/);
  });

  it('fit accepts a loss function too', async () => {
    const { x, y } = await fashion(128);
    const model = mlp(16);
    const calls: number[] = [];
    const ce = new CrossEntropyLoss();
    const history = await fit(model, {
      data: [x, y], epochs: 1, batchSize: 64, optimizer: new SGD(model.parameters(), { lr: 0.01 }),
      loss: (input, target) => {
        calls.push(input.shape[0]);
        return ce.forward(input, target);
      },
    });
    expect(calls).toEqual([64, 64]);
    expect(Number.isFinite(history.epochs[0].loss)).toBe(true);
  });
});

describe('compile again, and a new optimizer after a fit', () => {
  it('a second compile (or a new optimizer) takes the parameters over; the old optimizer refuses to step; dispose() is typed', async () => {
    const { x, y } = await fashion(64);
    const model = mlp(8);
    const first = compile(model, { optimizer: 'adam', loss: 'crossEntropy' });
    await first.fit(x, y, { verbose: 0 });
    const second = compile(model, { optimizer: 'sgd', loss: 'crossEntropy', metrics: ['accuracy'] });
    const before = Array.from(model.parameters()[0].toArray());
    await second.fit(x, y, { verbose: 0 });
    expect(Array.from(model.parameters()[0].toArray())).not.toEqual(before); // the new optimizer trains the model
    expect(() => first.optimizer.step()).toThrow(/adam: this optimizer's parameters were taken over by a newer optimizer \(sgd\)/);
    // The PyTorch habit: a fresh optimizer over the same parameters for fine-tuning.
    const tune = new SGD(model.parameters(), { lr: 1e-3 });
    await fit(model, { data: [x, y], epochs: 1, optimizer: tune, loss: 'crossEntropy' });
    await expect(second.fit(x, y, { verbose: 0 })).rejects.toThrow(/sgd: this optimizer's parameters were taken over by a newer optimizer \(sgd\)/);
    tune.dispose();
    second.dispose();
  });
});
