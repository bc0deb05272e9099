// "0 native allocations per step in steady state" for models that are not one Sequential of
// Linear layers: the CNN of examples/cnn.ts, a small ResNet and an MLP written as user module
// classes, trained as users write the loop, and their no-grad evaluation.
import { describe, expect, it } from 'vitest';
import { Generator, linear, manualSeed, mseLoss, nn, optim, randn, relu, tensor } from '../../src/index.js';
import { leNet } from '../../examples/cnn.js';
import { allocationsPerStep, evaluationStep, trainingStep } from '../helpers/steady_state.js';
import { HandMlp, SmallResNet } from './models.js';

const labels = (n: number) => tensor(Int32Array.from({ length: n }, (_, i) => i % 10), [n], { dtype: 'int32' });

describe('0 native allocations per step in steady state', () => {
  it('the LeNet-5-style CNN of examples/cnn.ts (Adam, cross-entropy)', () => {
    manualSeed(0);
    const model = leNet();
    const x = randn([8, 784], { generator: new Generator(1) });
    const step = trainingStep(model, new nn.CrossEntropyLoss(), new optim.Adam(model.parameters(), { lr: 1e-3 }), x, labels(8));
    expect(allocationsPerStep(step)).toEqual([0, 0, 0, 0]);
    expect(allocationsPerStep(evaluationStep(model.eval(), x))).toEqual([0, 0, 0, 0]);
  });

  it('a small ResNet: user module classes with residual blocks, batch norm, global average pooling', () => {
    manualSeed(0);
    const model = new SmallResNet();
    const x = randn([4, 1, 12, 12], { generator: new Generator(2) });
    const step = trainingStep(model, new nn.CrossEntropyLoss(), new optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 }), x, labels(4));
    expect(allocationsPerStep(step)).toEqual([0, 0, 0, 0]);
    expect(allocationsPerStep(evaluationStep(model.eval(), x))).toEqual([0, 0, 0, 0]);
  });

  it('an MLP written as a module class, without Sequential', () => {
    manualSeed(0);
    const model = new HandMlp(20, 16, 10);
    const x = randn([16, 20], { generator: new Generator(3) });
    const step = trainingStep(model, new nn.CrossEntropyLoss(), new optim.AdamW(model.parameters()), x, labels(16));
    expect(allocationsPerStep(step)).toEqual([0, 0, 0, 0]);
    expect(allocationsPerStep(evaluationStep(model.eval(), x))).toEqual([0, 0, 0, 0]);
  });

  it('plain op code in a user loop, no module: what it holds stays readable, its memory returns', () => {
    const g = new Generator(4);
    const [w1, b1, w2] = [randn([8, 6], { generator: g }), randn([8], { generator: g }), randn([1, 8], { generator: g })];
    for (const p of [w1, b1, w2]) p.requiresGrad_();
    const optimizer = new optim.SGD([w1, b1, w2], { lr: 0.01 });
    const x = randn([10, 6], { generator: g });
    const target = randn([10, 1], { generator: g });
    const step = () => {
      const loss = mseLoss(linear(relu(linear(x, w1, b1)), w2), target);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
    };
    expect(allocationsPerStep(step)).toEqual([0, 0, 0, 0]);
    // A hidden activation the loop holds, read after backward moved it out of native memory.
    const hidden = relu(linear(x, w1, b1));
    const expected = Array.from(hidden.toFloat32Array());
    mseLoss(linear(hidden, w2), target).backward();
    expect(Array.from(hidden.toFloat32Array())).toEqual(expected);
  });
});
