// Conv1d, Conv2d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d and BatchNorm2d against PyTorch 1.13
// (test/fixtures/nn/conv.json, made by bench/reference/conv_fixtures.py): forward, every
// gradient, the default initialization's bound, and the state-dict names; the convolution and
// pooling cases on every device.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nn, tensor, type Tensor } from '../../src/index.js';
import { onEachDevice } from '../helpers/devices.js';
import { expectClose } from './close.js';

interface Case {
  name: string; layer: string; args: Record<string, unknown>; xShape: number[]; x: number[]; yShape: number[]; y: number[];
  w: number[]; dx: number[]; weight?: number[]; bias?: number[]; dweight?: number[]; dbias?: number[];
  weightShape?: number[]; initBound?: number;
}
const fixtures = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'nn', 'conv.json'), 'utf8')) as {
  cases: Case[];
  batchnorm2d: { xShape: number[]; weight: number[]; bias: number[]; evalX: number[]; evalY: number[];
    steps: { x: number[]; y: number[]; w: number[]; dx: number[]; dweight: number[]; dbias: number[]; runningMean: number[]; runningVar: number[] }[] };
};

/** Our layer for a fixture case, from PyTorch's arguments (snake_case → camelCase). */
function build(c: Case): nn.Module {
  const a = c.args as Record<string, never>;
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.args)) {
    if (['inChannels', 'outChannels', 'kernelSize', 'outputSize'].includes(k)) continue;
    options[k === 'count_include_pad' ? 'countIncludePad' : k] = v;
  }
  switch (c.layer) {
    case 'Conv2d': return new nn.Conv2d(a.inChannels, a.outChannels, a.kernelSize, options);
    case 'Conv1d': return new nn.Conv1d(a.inChannels, a.outChannels, a.kernelSize, options);
    case 'MaxPool2d': return new nn.MaxPool2d(a.kernelSize, options);
    case 'AvgPool2d': return new nn.AvgPool2d(a.kernelSize, options);
    case 'AdaptiveAvgPool2d': return new nn.AdaptiveAvgPool2d(a.outputSize);
    default: throw new Error(`unknown layer ${c.layer}`);
  }
}

onEachDevice(() => {
  describe('layers against PyTorch 1.13', () => {
    for (const c of fixtures.cases) {
      it(`${c.layer} ${c.name}: forward and gradients`, () => {
        const layer = build(c);
        const params = layer.parameters();
        if (c.weight) {
          const conv = layer as nn.Conv2d;
          expect([...conv.weight.shape]).toEqual(c.weightShape);
          layer.loadStateDict({ weight: tensor(c.weight, c.weightShape!), ...(c.bias ? { bias: tensor(c.bias) } : {}) });
          expect(Object.keys(layer.stateDict())).toEqual(c.bias ? ['weight', 'bias'] : ['weight']);
        } else {
          expect(params).toHaveLength(0);
        }
        const x = tensor(c.x, c.xShape, { requiresGrad: true });
        const y = layer.forward(x);
        expect([...y.shape]).toEqual(c.yShape);
        expectClose(y.toArray(), c.y, 1e-5);
        y.backward(tensor(c.w, y.shape));
        expectClose(x.grad!.toArray(), c.dx, 1e-5);
        if (c.dweight) expectClose((layer as nn.Conv2d).weight.grad!.toArray(), c.dweight, 1e-5);
        if (c.dbias) expectClose((layer as nn.Conv2d).bias!.grad!.toArray(), c.dbias, 1e-5);
      });
      if (c.initBound !== undefined) {
        it(`${c.layer} ${c.name}: default initialization U(-1/sqrt(fanIn), 1/sqrt(fanIn)) as PyTorch's`, () => {
          const layer = build(c) as nn.Conv2d;
          for (const p of [layer.weight, ...(layer.bias ? [layer.bias] : [])] as Tensor[]) {
            const v = Array.from(p.toArray());
            expect(Math.max(...v.map(Math.abs))).toBeLessThanOrEqual(c.initBound! * (1 + 1e-6));
          }
          // The weight spreads over the whole interval (max |w| near the bound), not a narrower one.
          const w = Array.from(layer.weight.toArray());
          if (w.length >= 50) expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.9 * c.initBound!);
        });
      }
    }
  });
});

describe('BatchNorm2d against PyTorch 1.13, and the argument checks', () => {
  it('BatchNorm2d over two training steps, then eval', () => {
    const f = fixtures.batchnorm2d;
    const bn = new nn.BatchNorm2d(3);
    expect(Object.keys(bn.stateDict())).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
    bn.loadStateDict({ ...bn.stateDict(), weight: tensor(f.weight), bias: tensor(f.bias) });
    for (const step of f.steps) {
      bn.zeroGrad();
      const x = tensor(step.x, f.xShape, { requiresGrad: true });
      const y = bn.forward(x);
      expectClose(y.toArray(), step.y, 1e-5);
      y.backward(tensor(step.w, f.xShape));
      expectClose(x.grad!.toArray(), step.dx, 1e-5);
      expectClose(bn.weight!.grad!.toArray(), step.dweight, 1e-5);
      expectClose(bn.bias!.grad!.toArray(), step.dbias, 1e-5);
      expectClose(bn.runningMean!.toArray(), step.runningMean, 1e-5);
      expectClose(bn.runningVar!.toArray(), step.runningVar, 1e-5);
    }
    bn.eval();
    expectClose(bn.forward(tensor(f.evalX, f.xShape)).toArray(), f.evalY, 1e-5);
  });

  it('names what is wrong, before drawing any weight', () => {
    expect(() => new nn.Conv2d(3, 4, 3, { groups: 2 })).toThrow(/Conv2d: groups 2 must divide inChannels \(3\)/);
    expect(() => new nn.Conv2d(3, 4, 0)).toThrow(/Conv2d: kernelSize must be an integer >= 1/);
    expect(() => new nn.Conv2d(3, 4, 3, { paddin: 1 } as never)).toThrow(/unknown option 'paddin' \(did you mean 'padding'\?\)/);
    expect(() => new nn.Conv1d(3, 4, 3, { stride: [1, 2] as never })).toThrow(/Conv1d: option 'stride' must be a single integer/);
    const conv = new nn.Conv2d(3, 4, 3);
    expect(() => conv.forward(tensor(new Float32Array(2 * 2 * 5 * 5), [2, 2, 5, 5]))).toThrow(/Conv2d: expected input \[N, 3, H, W\], got \[2, 2, 5, 5\]/);
    expect(() => conv.forward(tensor(new Float32Array(3 * 2 * 2), [1, 3, 2, 2]))).toThrow(/conv2d: the kernel \[3, 3\].* is larger than the padded input \[2, 2\]/);
    expect(() => new nn.Conv2d(3, 4, 2, { padding: 'same' })).not.toThrow();
    expect(() => new nn.Conv2d(3, 4, 2, { padding: 'same' }).forward(tensor(new Float32Array(3 * 16), [1, 3, 4, 4]))).toThrow(/needs uneven padding, which is not supported/);
    expect(() => new nn.MaxPool2d(2, { padding: 2 }).forward(tensor(new Float32Array(16), [1, 1, 4, 4]))).toThrow(/maxPool2d: padding \[2, 2\] must be at most half the kernel/);
    expect(() => new nn.AdaptiveAvgPool2d(5).forward(tensor(new Float32Array(16), [1, 1, 4, 4]))).toThrow(/outputSize \[5, 5\] is larger than the input's \[4, 4\]/);
  });
});
