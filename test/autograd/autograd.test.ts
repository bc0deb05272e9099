// The autograd contract: requiresGrad propagation, backward from a scalar or with an explicit
// gradient, accumulation across calls and into existing .grad tensors (an optimizer's arena),
// noGrad, detach, and the tape (and its memory) released after backward.
import { describe, expect, it } from 'vitest';
import { add, backward, isGradEnabled, mul, nn, noGrad, randn, sum, tensor, zeros } from '../../src/index.js';
import { onEachDevice } from '../helpers/devices.js';

onEachDevice(() => {

describe('autograd', () => {
  it('propagates requiresGrad and computes d(sum(x*x))/dx = 2x', () => {
    const x = tensor([1, -2, 3], { requiresGrad: true });
    const y = mul(x, x);
    expect(y.requiresGrad).toBe(true);
    expect(tensor([1]).mul(2).requiresGrad).toBe(false);
    sum(y).backward();
    expect(Array.from(x.grad!.toArray())).toEqual([2, -4, 6]);
  });

  it('takes an explicit upstream gradient for a non-scalar output', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = mul(x, 3);
    expect(() => y.backward()).toThrow(/not a scalar; pass the upstream gradient/);
    backward(y, tensor([1, 10]));
    expect(Array.from(x.grad!.toArray())).toEqual([3, 30]);
    expect(() => mul(x, 2).backward(tensor([1, 2, 3]))).toThrow(/gradient has shape \[3\]/);
  });

  it('accumulates across backward calls, into the same .grad tensor', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    sum(mul(x, 2)).backward();
    const g = x.grad!;
    sum(mul(x, 5)).backward();
    expect(x.grad).toBe(g);
    expect(Array.from(g.toArray())).toEqual([7, 7]);
  });

  it('writes into a .grad that is a view of a shared gradient arena', () => {
    const model = nn.sequential(nn.linear(3, 4), nn.relu(), nn.linear(4, 2));
    const params = model.parameters();
    const total = params.reduce((n, p) => n + p.size, 0);
    const arena = zeros([total]);
    let offset = 0;
    for (const p of params) {
      p.grad = arena.rows(offset, offset + p.size).reshape(p.shape);
      offset += p.size;
    }
    const views = params.map((p) => p.grad);
    const x = randn([5, 3]);
    sum(model.forward(x)).backward();
    const once = arena.toArray();
    sum(model.forward(x)).backward();
    params.forEach((p, i) => expect(p.grad).toBe(views[i]));
    const twice = arena.toArray();
    expect(once.some((v) => v !== 0)).toBe(true);
    for (let i = 0; i < total; i++) expect(twice[i]).toBeCloseTo(2 * once[i], 5);
  });

  it('noGrad records nothing and detach cuts the graph', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = noGrad(() => mul(x, 2));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    expect(isGradEnabled()).toBe(true);
    const d = x.detach();
    expect(d.requiresGrad).toBe(false);
    expect(mul(d, 2).requiresGrad).toBe(false);
    expect(() => sum(mul(d, 2)).backward()).toThrow(/does not require grad/);
  });

  it('releases the tape after backward; a second pass is an error', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = mul(x, 2);
    const loss = sum(h);
    loss.backward();
    expect(loss.gradFn).toBeNull();
    expect(h.gradFn).toBeNull();
    expect(() => loss.backward()).toThrow(/already released/);
  });

  it('keeps the loss and the model output readable after backward', () => {
    const model = nn.sequential(nn.linear(3, 4), nn.relu(), nn.linear(4, 2));
    const x = randn([5, 3]);
    const out = model.forward(x);
    const before = out.toArray();
    const loss = new nn.CrossEntropyLoss().forward(out, tensor(Int32Array.from([0, 1, 0, 1, 1]), [5]));
    const value = loss.item();
    loss.backward();
    expect(out.toArray()).toEqual(before);
    expect(loss.item()).toBe(value);
    // Still usable in new computations (copied back into native memory on demand).
    expect(Array.from(out.mul(2).toArray())).toEqual(Array.from(before, (v) => Math.fround(2 * v)));
    expect(out.argmax(1).shape).toEqual([5]);
  });
});

describe('gradient routing', () => {
  it('passes a gradient through to several inputs and sums repeated uses', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = tensor([3, 4], { requiresGrad: true });
    const h = add(x, y); // both inputs receive the same upstream gradient
    const z = add(mul(h, 2), h.reshape(2)); // h used twice: 2 + 1
    backward(z, tensor([1, 10]));
    expect(Array.from(x.grad!.toArray())).toEqual([3, 30]);
    expect(Array.from(y.grad!.toArray())).toEqual([3, 30]);
    const w = tensor([5], { requiresGrad: true });
    add(add(w, 1), add(w, 2)).backward(); // unit seed passed through to two branches
    expect(Array.from(w.grad!.toArray())).toEqual([2]);
    add(w, 1).backward(); // the shared seed must still hold 1
    expect(Array.from(w.grad!.toArray())).toEqual([3]);
  });
});
});
