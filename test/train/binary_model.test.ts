// A single-logit binary model: output [n, 1], loss 'bceWithLogits', int32 labels {0, 1}. The
// metrics count it as two classes and threshold at logit 0; checked against the counts
// recomputed here from the model's own outputs.
import { describe, expect, it } from 'vitest';
import { linear } from '../../src/nn/linear.js';
import { tensor } from '../../src/ops/creation.js';
import { binaryCrossEntropyWithLogits } from '../../src/ops/loss.js';
import { randn } from '../../src/ops/creation.js';
import { SGD } from '../../src/optim/sgd.js';
import { manualSeed } from '../../src/random.js';
import { evaluate } from '../../src/train/evaluate.js';
import { fit } from '../../src/train/fit.js';
import { createMetric, metricContext } from '../../src/train/metrics/index.js';
import { predict } from '../../src/train/predict.js';

function data(n: number) {
  const x = randn([n, 2]);
  const v = x.toArray();
  // Labels of a noisy linear rule, so the model makes some mistakes of both kinds.
  const y = tensor(Int32Array.from({ length: n }, (_, i) => (v[2 * i] + 0.5 * v[2 * i + 1] + 0.6 * Math.sin(7 * i) > 0 ? 1 : 0)), [n], { dtype: 'int32' });
  return { x, y };
}

describe('binary models', () => {
  it('fit and evaluate: accuracy, precision, recall, F1 at logit 0 with int32 labels', async () => {
    manualSeed(3);
    const { x, y } = data(200);
    const model = linear(2, 1);
    const history = await fit(model, { data: [x, y], epochs: 3, batchSize: 20, optimizer: new SGD(model.parameters(), { lr: 0.1 }), loss: 'bceWithLogits', metrics: ['accuracy', 'precisionMacro', 'recallMacro', 'f1Macro'] });
    expect(history.epochs).toHaveLength(3);

    const logits = Array.from((await predict(model, x)).toArray());
    const labels = Array.from(y.toArray());
    const pred = logits.map((z) => (z >= 0 ? 1 : 0));
    const count = (p: number, t: number) => pred.filter((q, i) => q === p && labels[i] === t).length;
    const [tp, fp, fn, tn] = [count(1, 1), count(1, 0), count(0, 1), count(0, 0)];
    expect(fp).toBeGreaterThan(0);
    expect(fn).toBeGreaterThan(0);
    // The threshold matters: probabilities' 0.5 on these logits would give another accuracy.
    expect(logits.filter((z) => z >= 0 && z < 0.5).length).toBeGreaterThan(0);
    const f1 = (a: number, b: number, c: number) => (2 * a) / (2 * a + b + c);
    const logs = await evaluate(model, [x, y], { loss: 'bceWithLogits', metrics: ['accuracy', 'precisionMacro', 'recallMacro', 'f1Macro'] });
    expect(logs.accuracy).toBeCloseTo((tp + tn) / 200, 12);
    expect(logs.precisionMacro).toBeCloseTo((tp / (tp + fp) + tn / (tn + fn)) / 2, 12);
    expect(logs.recallMacro).toBeCloseTo((tp / (tp + fn) + tn / (tn + fp)) / 2, 12);
    expect(logs.f1Macro).toBeCloseTo((f1(tp, fp, fn) + f1(tn, fn, fp)) / 2, 12);

    const matrix = createMetric('confusionMatrix', metricContext(1, true));
    matrix.update(tensor(logits, [200, 1]), y);
    expect(matrix.result()).toEqual([[tn, fp], [fn, tp]]);
  });

  it('BCE takes int32 {0, 1} labels as float targets, [n] labels against an [n, 1] input, and refuses other labels', () => {
    const z = tensor([[0.3], [-1.2], [2]]);
    const asFloat = binaryCrossEntropyWithLogits(z, tensor([[1], [0], [1]])).item();
    expect(binaryCrossEntropyWithLogits(z, tensor([[1], [0], [1]], { dtype: 'int32' })).item()).toBe(asFloat);
    expect(binaryCrossEntropyWithLogits(z, tensor([1, 0, 1], { dtype: 'int32' })).item()).toBe(asFloat);
    expect(() => binaryCrossEntropyWithLogits(z, tensor([1, 2, 0], { dtype: 'int32' }))).toThrow('binaryCrossEntropyWithLogits: int32 target 1 is 2, expected a binary label 0 or 1 (or give float32 targets)');
  });
});
