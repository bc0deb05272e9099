// Memory reuse in any module (nn/forward_scope.ts) and the deferred ReLU epilogue
// (ops/deferred.ts) free and fuse only what no caller can reach: every tensor a user can still
// reach reads the values a plain, eager computation gives, before and after backward.
import { describe, expect, it } from 'vitest';
import { add, conv2d, Generator, linear, nn, noGrad, randn, relu, sum, type Tensor } from '../../src/index.js';
import { onEachDevice } from '../helpers/devices.js';
import { allocationsPerStep } from '../helpers/steady_state.js';
import { expectClose } from './close.js';

const gen = () => new Generator(7);
const values = (t: Tensor) => Array.from(t.toFloat32Array());
const gradsOf = (ps: Tensor[]) => ps.map((p) => values(p.grad as Tensor));

/** The gradients of `loss()` with respect to `params`, from zero. */
function gradients(params: Tensor[], loss: () => Tensor): number[][] {
  for (const p of params) p.grad = null;
  loss().backward();
  return gradsOf(params);
}

class Keeps extends nn.Module {
  readonly fc = this.registerModule('fc', nn.linear(4, 3, { generator: gen() }));
  pre: Tensor | null = null;
  hidden: Tensor | null = null;
  readonly cache = new Map<string, Tensor>();
  forward(x: Tensor): Tensor {
    const h = this.fc.forward(x);
    this.pre = h;
    this.hidden = relu(h);
    this.cache.set('square', this.hidden.mul(this.hidden));
    return sum(this.hidden);
  }
}

describe('forward scopes free only what no caller can reach', () => {
  const x = randn([5, 4], { generator: gen() });

  it('keeps tensors stored on the module (a property, a Map entry) readable after backward', () => {
    const m = new Keeps();
    const out = m.forward(x);
    out.backward();
    const pre = linear(x, m.fc.weight, m.fc.bias);
    expectClose(values(m.pre as Tensor), values(pre), 1e-6);
    expectClose(values(m.hidden as Tensor), values(relu(pre)), 1e-6);
    expectClose(values(m.cache.get('square') as Tensor), values(relu(pre).mul(relu(pre))), 1e-6);
    expect(out.item()).toBeCloseTo(sum(relu(pre)).item(), 4);
  });

  it('keeps a pre-activation read after its fused ReLU (values and gradients)', () => {
    class PreResidual extends nn.Module {
      readonly fc = this.registerModule('fc', nn.linear(4, 4, { generator: gen() }));
      forward(input: Tensor): Tensor {
        const h = this.fc.forward(input);
        return add(relu(h), h);
      }
    }
    const m = new PreResidual();
    const ps = m.parameters();
    const reference = () => {
      const h = linear(x, m.fc.weight, m.fc.bias);
      return add(relu(h), h);
    };
    expectClose(values(m.forward(x)), values(reference()), 1e-6);
    const ours = gradients(ps, () => sum(m.forward(x)));
    const expected = gradients(ps, () => sum(reference()));
    ours.forEach((g, i) => expectClose(g, expected[i], 1e-5));
  });

  it('nested modules and one module called twice (weight sharing) give the eager gradients and reuse memory', () => {
    class Shared extends nn.Module {
      readonly fc = this.registerModule('fc', nn.linear(4, 4, { generator: gen() }));
      readonly inner = this.registerModule('inner', nn.sequential(nn.linear(4, 4, { generator: gen() }), nn.relu()));
      forward(input: Tensor): Tensor {
        return this.fc.forward(relu(this.fc.forward(this.inner.forward(input))));
      }
    }
    const m = new Shared();
    const ps = m.parameters();
    const inner = m.inner.at(0) as nn.Linear;
    const reference = () => {
      const a = relu(linear(x, inner.weight, inner.bias));
      return linear(relu(linear(a, m.fc.weight, m.fc.bias)), m.fc.weight, m.fc.bias);
    };
    const ours = gradients(ps, () => sum(m.forward(x)));
    const expected = gradients(ps, () => sum(reference()));
    ours.forEach((g, i) => expectClose(g, expected[i], 1e-5));
    expect(allocationsPerStep(() => sum(m.forward(x)).backward())).toEqual([0, 0, 0, 0]);
  });

  it('no-grad evaluation returns the values of the graph-recording forward', () => {
    class Block extends nn.Module {
      readonly conv = this.registerModule('conv', nn.conv2d(2, 2, 3, { padding: 1, generator: gen() }));
      forward(input: Tensor): Tensor {
        return relu(add(this.conv.forward(relu(this.conv.forward(input))), input));
      }
    }
    const m = new Block();
    const img = randn([2, 2, 5, 5], { generator: gen() });
    const withGrad = values(m.forward(img));
    expectClose(values(noGrad(() => m.forward(img))), withGrad, 1e-6);
    const plain = relu(add(conv2d(relu(conv2d(img, m.conv.weight, m.conv.bias, { padding: 1 })), m.conv.weight, m.conv.bias, { padding: 1 }), img));
    expectClose(withGrad, values(plain), 1e-5);
  });

  it('a forward that throws leaves its inputs and outputs usable', () => {
    class Fails extends nn.Module {
      readonly fc = this.registerModule('fc', nn.linear(4, 3, { generator: gen() }));
      kept: Tensor | null = null;
      forward(input: Tensor): Tensor {
        this.kept = this.fc.forward(input);
        throw new Error('Fails: on purpose');
      }
    }
    const m = new Fails();
    expect(() => m.forward(x)).toThrow(/on purpose/);
    expectClose(values(m.kept as Tensor), values(linear(x, m.fc.weight, m.fc.bias)), 1e-6);
    expect(x.disposed).toBe(false);
  });
});

onEachDevice(() => {
  describe('Linear/Conv + ReLU fusion in user-written modules', () => {
    it('a ReLU reading a Linear or Conv2d output first runs in its epilogue; top-level ops stay eager', () => {
      class Fused extends nn.Module {
        readonly fc = this.registerModule('fc', nn.linear(4, 3, { generator: gen() }));
        readonly conv = this.registerModule('conv', nn.conv2d(1, 2, 3, { generator: gen() }));
        forward(input: Tensor): Tensor {
          return relu(input.ndim === 2 ? this.fc.forward(input) : this.conv.forward(input));
        }
      }
      const m = new Fused();
      const x = randn([5, 4], { generator: gen() });
      const img = randn([2, 1, 6, 6], { generator: gen() });
      const y = m.forward(x);
      expect(y.gradFn?.name).toBe('linear+relu');
      expectClose(values(y), values(relu(linear(x, m.fc.weight, m.fc.bias))), 1e-6);
      const z = m.forward(img);
      expect(z.gradFn?.name).toBe('conv2d+relu');
      expectClose(values(z), values(relu(conv2d(img, m.conv.weight, m.conv.bias))), 1e-6);
      expect(relu(linear(x, m.fc.weight, m.fc.bias)).gradFn?.name).toBe('relu');
      // The fused backward gives the unfused gradients.
      const ps = m.parameters();
      const ours = gradients(ps, () => add(sum(m.forward(x)), sum(m.forward(img))));
      const expected = gradients(ps, () => add(sum(relu(linear(x, m.fc.weight, m.fc.bias))), sum(relu(conv2d(img, m.conv.weight, m.conv.bias)))));
      ours.forEach((g, i) => expectClose(g, expected[i], 1e-5));
    });

    it('nn.ReLU after nn.Linear in a Sequential fuses the same way', () => {
      const model = nn.sequential(nn.linear(4, 3, { generator: gen() }), nn.relu());
      expect(model.forward(randn([2, 4], { generator: gen() })).gradFn?.name).toBe('linear+relu');
    });
  });
});
