// Metric names are log keys: two metrics under one name, or a metric named like a key fit logs
// itself, are refused before the first batch, naming both places.
import { describe, expect, it } from 'vitest';
import { SGD } from '../../src/optim/sgd.js';
import { Callback } from '../../src/train/callbacks/callback.js';
import { evaluate } from '../../src/train/evaluate.js';
import { fit } from '../../src/train/fit.js';
import { Accuracy, F1Score } from '../../src/train/metrics/index.js';
import { fashion, mlp } from './fit_data.js';

describe('metric names', () => {
  it('fit refuses two metrics with one name before training; distinct names log both', async () => {
    const { x, y, xVal, yVal } = await fashion(64, 32);
    const model = mlp(8);
    const before = Array.from(model.parameters()[0].toArray());
    let began = false;
    class Spy extends Callback {
      override onTrainBegin() { began = true; }
    }
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const run = (metrics: (string | F1Score | Accuracy)[]) => fit(model, {
      data: [x, y], validationData: [xVal, yVal], epochs: 1, optimizer, loss: 'crossEntropy', metrics, callbacks: [new Spy()],
    });
    const f1 = (posLabel: number, name?: string) => new F1Score({ numClasses: 10, average: 'binary', posLabel, name });
    await expect(run(['accuracy', f1(0), f1(1)])).rejects.toThrow("fit: metrics[1] and metrics[2] are both named 'f1' and would overwrite each other in the logs; give each a distinct name (the metric's name option)");
    await expect(run(['f1', 'f1Macro'])).rejects.toThrow(/metrics\[0\] and metrics\[1\] are both named 'f1Macro'/);
    await expect(run([new Accuracy({ name: 'loss' })])).rejects.toThrow("fit: metrics[0] is named 'loss', which fit logs itself");
    await expect(run(['acuracy'])).rejects.toThrow(/fit: metrics\[0\]: createMetric: unknown metric 'acuracy'/);
    expect(began).toBe(false);
    expect(Array.from(model.parameters()[0].toArray())).toEqual(before);

    const history = await run([f1(0, 'f1Class0'), f1(1, 'f1Class1')]);
    expect(Object.keys(history.epochs[0].valMetrics).sort()).toEqual(['f1Class0', 'f1Class1']);
    expect(history.epochs[0].valMetrics.f1Class0).not.toBe(history.epochs[0].valMetrics.f1Class1);
  });

  it('evaluate refuses them too', async () => {
    const { xVal, yVal } = await fashion(8, 32);
    await expect(evaluate(mlp(8), [xVal, yVal], { loss: 'crossEntropy', metrics: ['accuracy', 'accuracy'] })).rejects.toThrow("evaluate: metrics[0] and metrics[1] are both named 'accuracy'");
  });
});
