// Losses: PyTorch 1.13 fixtures (within 1e-5 relative), finite-difference gradient checks
// against float64 references, and label validation.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  binaryCrossEntropyWithLogits, crossEntropy, Generator, huberLoss, l1Loss, mseLoss, nllLoss, nn, randn, tensor,
  uniform, type Tensor,
} from '../../src/index.js';
import { expectGradientsMatch } from '../helpers/gradcheck.js';
import { classLossRef, pointwiseRef, type Reduction } from '../helpers/ref64.js';
import { expectClose } from './close.js';
import { onEachDevice } from '../helpers/devices.js';

onEachDevice(() => {

interface Case {
  name: string;
  reduction: Reduction;
  options: Record<string, number | number[]>;
  input: number[];
  shape: number[];
  target: number[];
  output: number[];
  outputShape: number[];
  w: number[];
  grad: number[];
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/nn/losses.json', import.meta.url), 'utf8')) as { cases: Case[] };

function run(c: Case, input: Tensor): Tensor {
  const o = c.options;
  const kind = c.name.split('/')[0];
  const weight = o.weight && kind !== 'bceWithLogits' ? tensor(o.weight as number[]) : null;
  const targetInt = () => tensor(Int32Array.from(c.target), [c.target.length]);
  const targetFloat = () => tensor(c.target, c.shape);
  switch (kind) {
    case 'crossEntropy':
      return crossEntropy(input, targetInt(), {
        weight, reduction: c.reduction, ignoreIndex: (o.ignore_index as number) ?? -100, labelSmoothing: (o.label_smoothing as number) ?? 0,
      });
    case 'nllLoss':
      return nllLoss(input, targetInt(), { weight, reduction: c.reduction, ignoreIndex: (o.ignore_index as number) ?? -100 });
    case 'bceWithLogits':
      return binaryCrossEntropyWithLogits(input, targetFloat(), {
        reduction: c.reduction, posWeight: o.pos_weight ? tensor(o.pos_weight as number[]) : null,
        weight: o.weight ? tensor(o.weight as number[], o.weightShape as number[]) : null,
      });
    case 'mse':
      return mseLoss(input, targetFloat(), c.reduction);
    case 'l1':
      return l1Loss(input, targetFloat(), c.reduction);
    case 'huber':
      return huberLoss(input, targetFloat(), c.reduction, o.delta as number);
    default:
      throw new Error(`unknown fixture ${c.name}`);
  }
}

describe('losses match PyTorch 1.13 fixtures', () => {
  for (const c of fixture.cases) {
    it(`${c.name} (${c.reduction})`, () => {
      const input = tensor(c.input, c.shape, { requiresGrad: true });
      const out = run(c, input);
      expect(out.shape).toEqual(c.outputShape);
      expectClose(out.toArray(), c.output, 1e-5);
      out.backward(tensor(c.w, c.outputShape));
      expectClose(input.grad!.toArray(), c.grad, 1e-5);
    });
  }
});

describe('loss gradients against float64 references', () => {
  const gen = new Generator(5);
  const N = 6;
  const C = 4;
  const labels = tensor(Int32Array.from([0, 3, -100, 1, 2, 3]), [N]);
  const weight = [0.5, 1.5, 1, 2];
  for (const reduction of ['mean', 'sum', 'none'] as const) {
    it(`crossEntropy with weight, ignoreIndex, smoothing (${reduction})`, () => {
      expectGradientsMatch(([z, y]) => crossEntropy(z, y, { weight: tensor(weight), labelSmoothing: 0.2, reduction }),
        ([z, y]) => classLossRef(z, y, N, C, { weight, smoothing: 0.2, reduction }), [randn([N, C], { generator: gen }), labels]);
    });
    it(`nllLoss (${reduction})`, () => {
      expectGradientsMatch(([z, y]) => nllLoss(z, y, { weight: tensor(weight), reduction }),
        ([z, y]) => classLossRef(z, y, N, C, { weight, logProb: true, reduction }), [randn([N, C], { generator: gen }), labels]);
    });
    for (const [name, fn, kind] of [['mse', mseLoss, 'mse'], ['l1', l1Loss, 'l1']] as const) {
      it(`${name} (${reduction}), input and target`, () => {
        expectGradientsMatch(([x, t]) => fn(x, t, reduction), ([x, t]) => pointwiseRef(kind, x, t, reduction),
          [randn([3, 5], { generator: gen }), randn([3, 5], { generator: gen })]);
      });
    }
    it(`huber (${reduction}), both branches`, () => {
      expectGradientsMatch(([x, t]) => huberLoss(x, t, reduction, 0.8), ([x, t]) => pointwiseRef('huber', x, t, reduction, 0.8),
        [randn([3, 5], { generator: gen, std: 2 }), randn([3, 5], { generator: gen })]);
    });
    it(`bceWithLogits with posWeight (${reduction})`, () => {
      const pw = [0.5, 2, 3];
      expectGradientsMatch(([x, t]) => binaryCrossEntropyWithLogits(x, t, { posWeight: tensor(pw), reduction }),
        ([x, t]) => pointwiseRef('bce', x, t, reduction, 1, pw),
        [randn([4, 3], { generator: gen, std: 3 }), uniform([4, 3], 0, 1, { generator: gen })], { wrt: [0] });
    });
  }
  it('70000 elements (more GPU blocks than the final sum has threads), every loss, against float64', () => {
    const [rows, cols] = [10000, 7];
    const n = rows * cols;
    const xv = Float32Array.from({ length: n }, (_, i) => 3 * Math.sin(i * 0.7));
    const tv = Float32Array.from({ length: n }, (_, i) => 0.5 + 0.5 * Math.cos(i * 1.3));
    const pw = [0.5, 1, 2, 3, 0.25, 1.5, 4];
    const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
    // [kind, reduction, loss, param, d loss_i / d x_i]
    const cases = [
      ['mse', 'mean', (x: Tensor, t: Tensor) => mseLoss(x, t, 'mean'), 1, (i: number) => 2 * (xv[i] - tv[i])],
      ['l1', 'sum', (x: Tensor, t: Tensor) => l1Loss(x, t, 'sum'), 1, (i: number) => Math.sign(xv[i] - tv[i])],
      ['huber', 'mean', (x: Tensor, t: Tensor) => huberLoss(x, t, 'mean', 0.8), 0.8,
        (i: number) => Math.max(-0.8, Math.min(0.8, xv[i] - tv[i]))],
      ['bce', 'sum', (x: Tensor, t: Tensor) => binaryCrossEntropyWithLogits(x, t, { posWeight: tensor(pw), reduction: 'sum' }), 1,
        (i: number) => (1 - tv[i]) - (1 + (pw[i % cols] - 1) * tv[i]) * sigmoid(-xv[i])],
    ] as const;
    for (const [kind, reduction, fn, param, slope] of cases) {
      const x = tensor(xv, [rows, cols], { requiresGrad: true });
      const out = fn(x, tensor(tv, [rows, cols]));
      out.backward();
      expectClose(out.toArray(), pointwiseRef(kind, Float64Array.from(xv), Float64Array.from(tv), reduction, param, kind === 'bce' ? pw : undefined), 1e-5);
      const scale = reduction === 'mean' ? 1 / n : 1;
      expectClose(x.grad!.toArray(), Array.from(xv, (_, i) => scale * slope(i)), 1e-5);
    }
  });
  it('loss modules equal the functions', () => {
    const z = randn([N, C], { generator: gen });
    const y = tensor(Int32Array.from([0, 1, 2, 3, 0, 1]), [N]);
    expect(new nn.CrossEntropyLoss({ labelSmoothing: 0.1 }).forward(z, y).item()).toBe(crossEntropy(z, y, { labelSmoothing: 0.1 }).item());
    const t = randn([N, C], { generator: gen });
    expect(nn.huberLoss({ delta: 0.5 }).forward(z, t).item()).toBe(huberLoss(z, t, 'mean', 0.5).item());
    expect(nn.mseLoss().forward(z, t).item()).toBe(mseLoss(z, t).item());
  });
});

describe('label validation', () => {
  // Made when the tests run, on the device of the run (collection happens before).
  let z: Tensor;
  beforeAll(() => {
    z = randn([3, 4]);
  });
  it('names the bad label and its position', () => {
    expect(() => crossEntropy(z, tensor(Int32Array.from([0, 7, 1]), [3]))).toThrow(/crossEntropy: target label 7 at position 1 is out of range for 4 classes/);
    expect(() => crossEntropy(z, tensor(Int32Array.from([0, -1, 1]), [3]))).toThrow(/label -1 at position 1/);
    expect(() => nllLoss(z, tensor(Int32Array.from([4, 0, 1]), [3]))).toThrow(/nllLoss: target label 4 at position 0/);
  });
  it('rejects float labels and wrong shapes', () => {
    expect(() => crossEntropy(z, tensor([0, 1, 2]))).toThrow(/target must be an int32 tensor of class indices, got float32/);
    expect(() => crossEntropy(z, tensor(Int32Array.from([0, 1]), [2]))).toThrow(/target must have shape \[3\]/);
    expect(() => crossEntropy(z, tensor(Int32Array.from([0, 1, 2]), [3]), { labelSmoothing: 2 })).toThrow(/crossEntropy: option 'labelSmoothing' must be >= 0 and <= 1, got 2/);
    expect(() => mseLoss(z, randn([4, 3]))).toThrow(/mseLoss: target shape \[4, 3\] differs from input shape \[3, 4\]/);
    expect(() => crossEntropy(z, tensor(Int32Array.from([0, 1, 2]), [3]), { reduction: 'avg' as Reduction })).toThrow(/crossEntropy: option 'reduction' must be one of 'none', 'mean', 'sum', got string 'avg'/);
  });
});

describe('BCEWithLogitsLoss weight', () => {
  it('the module passes weight through, and a weight that does not broadcast is named', () => {
    const z = tensor([[0.5, -1], [2, 0]]);
    const t = tensor([[1, 0], [0, 1]]);
    const w = tensor([2, 0.5]);
    expect(new nn.BCEWithLogitsLoss({ weight: w }).forward(z, t).item()).toBe(binaryCrossEntropyWithLogits(z, t, { weight: w }).item());
    expect(() => binaryCrossEntropyWithLogits(z, t, { weight: tensor([1, 2, 3]) }))
      .toThrow('binaryCrossEntropyWithLogits: weight [3] does not broadcast over the input [2, 2]; give [C], [N, 1] or [N, C]');
  });
});
});
