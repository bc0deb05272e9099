/**
 * Issue 13's examples of engine TypeErrors from deep inside, each now a message naming the
 * function, the argument, what was expected and what came; and its example of state left
 * broken by a call that threw (point 5).
 */
import { describe, expect, it } from 'vitest';
import { add, data, defaultGenerator, Generator, manualSeed, mul, nn, ones, optim, rand, tensor, train, zeros } from '../../src/index.js';

describe('clear errors at the public entry points', () => {
  it('reports the examples of the issue by function and argument', () => {
    const t = mul(tensor([1, 2], { requiresGrad: true }), 2);
    expect(() => t.backward('abc' as never)).toThrow("backward: argument 'gradient' must be a float32 Tensor, got string 'abc'");
    expect(() => data.trainTestSplit('abc' as never, tensor(Int32Array.of(0, 1), [2])))
      .toThrow("trainTestSplit: argument 'x' must be a Tensor, got string 'abc'");
    expect(() => new nn.Linear(3, 4, { generator: 'abc' as never })).toThrow("Linear: option 'generator' must be a Generator, got string 'abc'");
    expect(() => zeros(undefined as never)).toThrow("zeros: argument 'shape' must be an array of non-negative integers, got undefined");
    expect(() => add(undefined as never, t)).toThrow("add: argument 'a' must be a Tensor or a number, got undefined");
    expect(() => nn.linear(3, 4).forward('abc' as never)).toThrow("Linear.forward: argument 'x' must be a float32 Tensor, got string 'abc'");
  });

  it('rejects a bad resumeFrom before training starts', async () => {
    const model = nn.sequential(nn.linear(2, 2));
    const compiled = train.compile(model, { optimizer: 'sgd', loss: 'crossEntropy' });
    const x = zeros([4, 2]);
    const y = tensor(Int32Array.of(0, 1, 0, 1), [4]);
    const before = model.stateDict()['0.weight'].toArray();
    await expect(compiled.fit(x, y, { resumeFrom: {} as never, verbose: 0 }))
      .rejects.toThrow("fit: option 'resumeFrom' must be a non-empty string, got object");
    expect(model.stateDict()['0.weight'].toArray()).toEqual(before);
  });
});

describe('a call that throws changes no state', () => {
  it('nn.init.normal with a bad tensor leaves the default generator usable', () => {
    manualSeed(3);
    const before = defaultGenerator.getState();
    expect(() => nn.init.normal('abc' as never)).toThrow("normal: argument 'tensor' must be a float32 Tensor, got string 'abc'");
    expect(defaultGenerator.getState()).toEqual(before);
    expect(rand([2]).size).toBe(2);
  });

  it('a schedule with a bad option leaves the optimizer groups as they were', () => {
    const opt = new optim.SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
    expect(() => new optim.lrScheduler.StepLR(opt, { stepSize: 2, gamma: -1 })).toThrow("StepLR: option 'gamma' must be >= 0, got -1");
    expect(opt.paramGroups[0].initialLr).toBeUndefined();
    expect(opt.paramGroups[0].lr).toBe(0.1);
  });

  it('a state dict with one bad entry loads nothing', () => {
    const model = nn.sequential(nn.linear(2, 2), nn.linear(2, 1));
    const before = Object.values(model.stateDict()).map((t) => Array.from(t.toArray()));
    const state = { ...model.stateDict(), '0.weight': ones([2, 2]), '1.bias': 'abc' } as never;
    expect(() => model.loadStateDict(state)).toThrow("loadStateDict: entry '1.bias' must be a Tensor, got string 'abc'");
    expect(Object.values(model.stateDict()).map((t) => Array.from(t.toArray()))).toEqual(before);
  });

  it('a generator asked for a bad number of draws keeps its position', () => {
    const g = new Generator(1);
    expect(() => g.take('abc' as never)).toThrow("Generator.take: argument 'n' must be an integer, got string 'abc'");
    expect(g.offset).toBe(0);
  });
});
