/**
 * The options folded into the fused step: the arena, the non-finite check, clipping by global
 * norm, maximize, proximal L1 (exact zeros), decoupled decay, zeroGrad and backward into the
 * arena, and one owner per parameter.
 */
import { describe, expect, it } from 'vitest';
import { memoryStats, optim, tensor, type Tensor } from '../../src/index.js';
import { onEachDevice } from '../helpers/devices.js';

onEachDevice(() => {

const setGrad = (p: Tensor, values: number[]) => p.grad!.buffer.write(Float32Array.from(values), p.grad!.offset);

describe('parameter arena', () => {
  it('packs parameters into one storage with 16-float aligned groups, keeping identity', () => {
    const a = tensor([1, 2, 3], [3]).requiresGrad_();
    const b = tensor([4, 5, 6, 7, 8], [5]).requiresGrad_();
    const c = tensor([9], [1]).requiresGrad_();
    const opt = new optim.SGD([{ params: [a, b] }, { params: [c] }], { lr: 0.1 });
    expect(a.storage).toBe(b.storage);
    expect(a.storage).toBe(c.storage);
    expect(opt.arena.offsets).toEqual([0, 3, 16]);
    expect(opt.arena.slices).toEqual([{ offset: 0, count: 8 }, { offset: 16, count: 1 }]);
    expect(opt.arena.length % optim.GROUP_ALIGN).toBe(0);
    expect(Array.from(b.toArray())).toEqual([4, 5, 6, 7, 8]);
    expect(a.grad!.storage).toBe(c.grad!.storage);
    opt.dispose();
  });

  it('backward accumulates into the gradient arena; zeroGrad clears it in one fill', () => {
    const w = tensor([1, -2, 3], [3]).requiresGrad_();
    const opt = new optim.SGD([w], { lr: 0.5 });
    const view = w.grad;
    w.mul(w).sum().backward();
    expect(w.grad).toBe(view);
    expect(Array.from(w.grad!.toArray())).toEqual([2, -4, 6]);
    opt.step();
    expect(Array.from(w.toArray())).toEqual([0, 0, 0]);
    opt.zeroGrad();
    expect(Array.from(w.grad!.toArray())).toEqual([0, 0, 0]);
    opt.dispose();
  });

  it('copies a replaced gradient back into the arena and treats a cleared one as zero', () => {
    const w = tensor([1, 1], [2]).requiresGrad_();
    const opt = new optim.SGD([w], { lr: 1 });
    const g = tensor([0.5, -0.5], [2]);
    w.grad = g;
    opt.step();
    expect(Array.from(w.toArray())).toEqual([0.5, 1.5]);
    expect(Array.from(g.toArray())).toEqual([0.5, -0.5]); // the assigned tensor stays usable
    w.grad = g; // and may be assigned again
    opt.step();
    expect(Array.from(w.toArray())).toEqual([0, 2]);
    w.grad = tensor([1, 2, 3], [3]);
    expect(() => opt.step()).toThrow('sgd: the gradient assigned to parameter 0 [2] must be a float32 tensor of 2 elements, got float32 [3]');
    w.grad = null;
    opt.step();
    expect(Array.from(w.toArray())).toEqual([0, 2]);
    opt.dispose();
  });

  it('allocates no native memory per step in steady state', () => {
    const w = tensor(Array.from({ length: 5000 }, (_, i) => Math.sin(i)), [5000]).requiresGrad_();
    const opt = new optim.Adam([w], { amsgrad: true, clipGradNorm: 1, nonFinite: 'skip' });
    w.grad!.buffer.write(new Float32Array(5000).fill(0.5), w.grad!.offset);
    opt.step(); // first step allocates the state arenas
    const before = memoryStats().allocations;
    for (let s = 0; s < 20; s++) {
      opt.zeroGrad();
      w.grad!.buffer.write(new Float32Array(5000).fill(0.5), w.grad!.offset);
      opt.step();
    }
    expect(memoryStats().allocations).toBe(before);
    opt.dispose();
  });

  it('a new optimizer takes over the parameters of a live one, which then refuses to step; dispose() frees them too', () => {
    const w = tensor([1, 2], [2]).requiresGrad_();
    const v = tensor([5], [1]).requiresGrad_();
    const first = new optim.Adam([w, v]);
    setGrad(w, [1, 1]);
    first.step();
    const afterAdam = Array.from(w.toArray());
    expect(() => new optim.SGD([w, w])).toThrow(/appears more than once/); // a failed takeover leaves the old one working
    first.step();
    const taker = new optim.SGD([w], { lr: 1 });
    expect(Array.from(w.toArray())).not.toEqual(afterAdam); // the second Adam step moved it, and the values came along
    const moved = Array.from(w.toArray());
    expect(() => first.step()).toThrow("adam: this optimizer's parameters were taken over by a newer optimizer (sgd); step that one, or create a new adam");
    expect(() => first.zeroGrad()).toThrow(/taken over by a newer optimizer \(sgd\)/);
    expect(Array.from(w.toArray())).toEqual(moved);
    setGrad(w, [0.5, 0.5]);
    taker.step();
    expect(Array.from(w.toArray())).toEqual(moved.map((x) => Math.fround(x - 0.5)));
    const third = new optim.Adagrad([v]); // the retired Adam's other parameter is free
    third.dispose();
    taker.dispose();
  });

  it('a disposed optimizer frees its parameters for the next, values kept', () => {
    const w = tensor([1, 2], [2]).requiresGrad_();
    const first = new optim.Adam([w]);
    first.dispose();
    expect(() => first.step()).toThrow('adam: optimizer was disposed');
    const second = new optim.SGD([w], { lr: 1 });
    expect(Array.from(w.toArray())).toEqual([1, 2]);
    setGrad(w, [1, 1]);
    second.step();
    expect(Array.from(w.toArray())).toEqual([0, 1]);
    second.dispose();
  });
});

describe('non-finite gradients', () => {
  for (const policy of ['skip', 'throw'] as const) {
    it(`'${policy}' leaves parameters and state untouched and names the parameter`, () => {
      const a = tensor([1, 2], [2]).requiresGrad_();
      const b = tensor([3, 4, 5], [3]).requiresGrad_();
      const opt = new optim.Adam([['layer.weight', a], ['layer.bias', b]], { lr: 0.1, nonFinite: policy });
      setGrad(a, [1, 1]);
      setGrad(b, [1, Number.NaN, Infinity]);
      if (policy === 'throw') {
        expect(() => opt.step()).toThrow("adam: gradient of parameter 1 ('layer.bias', group 0) is NaN or infinite at element 1; the step was skipped");
      } else {
        expect(opt.step()).toBe(false);
      }
      expect(opt.lastNonFinite).toEqual({ param: 1, group: 0, name: 'layer.bias', element: 1 });
      expect(opt.skippedSteps).toBe(1);
      expect(Array.from(a.toArray())).toEqual([1, 2]);
      expect(Array.from(b.toArray())).toEqual([3, 4, 5]);
      setGrad(b, [1, 1, 1]);
      expect(opt.step()).toBe(true);
      expect(opt.stateDict().state[0].step).toBe(1);
      opt.dispose();
    });
  }

  it("'ignore' (PyTorch's behaviour) lets NaN through", () => {
    const a = tensor([1, 2], [2]).requiresGrad_();
    const opt = new optim.SGD([a], { lr: 0.1 });
    setGrad(a, [Number.NaN, 1]);
    expect(opt.step()).toBe(true);
    expect(Number.isNaN(a.toArray()[0])).toBe(true);
    opt.dispose();
  });
});

describe('folded options', () => {
  it('clipGradNorm scales all groups by maxNorm / (norm + 1e-6) and reports the norm', () => {
    const a = tensor([0, 0], [2]).requiresGrad_();
    const b = tensor([0], [1]).requiresGrad_();
    const opt = new optim.SGD([{ params: [a] }, { params: [b] }], { lr: 1, clipGradNorm: 1 });
    setGrad(a, [3, 0]);
    setGrad(b, [4]);
    opt.step();
    expect(opt.lastGradNorm).toBeCloseTo(5, 6);
    const scale = 1 / (5 + 1e-6);
    expect(a.toArray()[0]).toBeCloseTo(-3 * scale, 6);
    expect(b.toArray()[0]).toBeCloseTo(-4 * scale, 6);
    opt.dispose();
  });

  it('maximize steps up the gradient', () => {
    const a = tensor([1], [1]).requiresGrad_();
    const opt = new optim.SGD([a], { lr: 0.5, maximize: true });
    setGrad(a, [2]);
    opt.step();
    expect(a.toArray()[0]).toBe(2);
    opt.dispose();
  });

  it('proximal L1 gives exact zeros; the subgradient hovers around zero', () => {
    const init = [0.3, -0.2, 0.05, -0.5];
    const prox = tensor(init, [4]).requiresGrad_();
    const sub = tensor(init, [4]).requiresGrad_();
    const o1 = new optim.SGD([prox], { lr: 0.1, l1: 1, l1Proximal: true });
    const o2 = new optim.SGD([sub], { lr: 0.1, l1: 1 });
    for (let s = 0; s < 10; s++) {
      o1.zeroGrad();
      o2.zeroGrad();
      o1.step();
      o2.step();
    }
    expect(Array.from(prox.toArray())).toEqual([0, 0, 0, 0]);
    expect(Array.from(sub.toArray()).some((v) => v !== 0)).toBe(true);
    o1.dispose();
    o2.dispose();
  });

  it('decoupled weight decay multiplies by 1 - lr * wd before the update (AdamW)', () => {
    const a = tensor([2], [1]).requiresGrad_();
    const opt = new optim.AdamW([a], { lr: 0.1, weightDecay: 0.5 });
    setGrad(a, [0]);
    opt.step();
    expect(a.toArray()[0]).toBeCloseTo(2 * (1 - 0.05), 6);
    opt.dispose();
  });
});
});
