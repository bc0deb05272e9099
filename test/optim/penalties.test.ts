/**
 * The handbook's two regularization styles agree: lambda * sum|W| / lambda * sum W^2 as loss
 * terms (l1Penalty / l2Penalty, through autograd) and as optimizer options (l1: lambda,
 * weightDecay: 2 * lambda). Also a finite-difference check of the penalties' gradients.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { add, mul, optim, sub, sum, tensor, type Tensor } from '../../src/index.js';
import { expectGradientsMatch } from '../helpers/gradcheck.js';
import { onEachDevice } from '../helpers/devices.js';

onEachDevice(() => {

const W0 = [0.7, -1.3, 0.25, 2.1, -0.4, 0.9];
// Made when the tests run, on the device of the run (collection happens before).
let X: Tensor;
beforeAll(() => {
  X = tensor([0.5, -1, 2, 0.3, 1.5, -0.7], [6]);
});

// A data loss: sum((w * x - 1)^2).
const dataLoss = (w: Tensor) => {
  const r = sub(mul(w, X), 1);
  return sum(mul(r, r));
};

function train(style: 'loss' | 'optimizer', kind: 'l1' | 'l2', lambda: number): number[] {
  const w = tensor(W0, [6]).requiresGrad_();
  const opts = style === 'loss' ? {} : kind === 'l1' ? { l1: lambda } : { weightDecay: 2 * lambda };
  const opt = new optim.SGD([w], { lr: 0.05, momentum: 0.5, ...opts });
  for (let s = 0; s < 30; s++) {
    opt.zeroGrad();
    let loss = dataLoss(w);
    if (style === 'loss') loss = add(loss, kind === 'l1' ? optim.l1Penalty([w], lambda) : optim.l2Penalty([w], lambda));
    loss.backward();
    opt.step();
  }
  const out = Array.from(w.toArray());
  opt.dispose();
  return out;
}

describe('regularizers: penalty in the loss and decay in the optimizer agree', () => {
  for (const kind of ['l1', 'l2'] as const) {
    it(`${kind}: 30 SGD steps, both styles within 1e-5`, () => {
      const a = train('loss', kind, 0.1);
      const b = train('optimizer', kind, 0.1);
      const plain = train('optimizer', kind, 0);
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(b[i])));
      // and the regularizer did something
      expect(Math.max(...a.map((v, i) => Math.abs(v - plain[i])))).toBeGreaterThan(1e-2);
    });
  }

  it('penalty values are the handbook formulas', () => {
    const a = tensor([1, -2], [2]);
    const b = tensor([3], [1]);
    expect(optim.l1Penalty([a, b], 0.5).item()).toBeCloseTo(0.5 * (1 + 2 + 3), 6);
    expect(optim.l2Penalty([a, b], 0.5).item()).toBeCloseTo(0.5 * (1 + 4 + 9), 6);
    expect(() => optim.l1Penalty([a], -1)).toThrow("l1Penalty: argument 'lambda' must be >= 0, got -1");
  });

  it('gradients match finite differences', () => {
    const inputs = [tensor([0.7, -1.3, 0.25], [3]), tensor([2.1, -0.4], [2])];
    expectGradientsMatch(([p, q]) => optim.l1Penalty([p, q], 0.3), ([p, q]) => 0.3 * [...p, ...q].reduce((s, v) => s + Math.abs(v), 0), inputs);
    expectGradientsMatch(([p, q]) => optim.l2Penalty([p, q], 0.3), ([p, q]) => 0.3 * [...p, ...q].reduce((s, v) => s + v * v, 0), inputs);
  });
});
});
