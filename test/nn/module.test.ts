// Module API: parameters, PyTorch state-dict names, loadStateDict, train/eval, to(device),
// factories and classes; initialization.
import { describe, expect, it } from 'vitest';
import { Generator, nn, noGrad, tensor, type Tensor } from '../../src/index.js';

const stats = (t: Tensor) => {
  const v = t.toFloat32Array();
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  let min = Infinity;
  let max = -Infinity;
  for (const x of v) {
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  return { mean, std, min, max };
};

describe('Module', () => {
  const build = () => nn.sequential(nn.linear(4, 8), nn.relu(), nn.batchNorm1d(8), nn.dropout(0.1), nn.linear(8, 3));

  it('names parameters and state as PyTorch does', () => {
    const model = build();
    expect(model.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias', '4.weight', '4.bias']);
    expect(Object.keys(model.stateDict())).toEqual([
      '0.weight', '0.bias', '2.weight', '2.bias', '4.weight', '4.bias',
      '2.running_mean', '2.running_var', '2.num_batches_tracked',
    ]);
    expect(model.parameters().every((p) => p.requiresGrad)).toBe(true);
    expect(model.parameters()[0].shape).toEqual([8, 4]);
  });

  it('round-trips a state dict into another model, in place', () => {
    const a = build();
    const b = build();
    const weightBefore = b.parameters()[0];
    b.loadStateDict(a.stateDict());
    expect(b.parameters()[0]).toBe(weightBefore);
    const x = tensor([[1, 2, 3, 4], [0, -1, 2, 1]]);
    a.eval();
    b.eval();
    expect(noGrad(() => b.forward(x)).toArray()).toEqual(noGrad(() => a.forward(x)).toArray());
  });

  it('reports missing, unexpected and mis-shaped keys', () => {
    const model = build();
    const state = model.stateDict();
    const { ['0.bias']: _dropped, ...missing } = state;
    expect(() => model.loadStateDict(missing)).toThrow(/missing keys \[0\.bias\]/);
    expect(() => model.loadStateDict({ ...state, extra: tensor([1]) })).toThrow(/unexpected keys \[extra\]/);
    expect(() => model.loadStateDict({ ...state, '0.bias': tensor([1, 2]) })).toThrow(/'0\.bias' has shape \[2\], the module expects \[8\]/);
    model.loadStateDict({ '0.bias': tensor([1, 2, 3, 4, 5, 6, 7, 8]) }, false);
    expect(Array.from(model.parameters()[1].toArray())).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('switches train/eval recursively', () => {
    const model = build();
    expect(model.modules().every((m) => m.training)).toBe(true);
    model.eval();
    expect(model.modules().some((m) => m.training)).toBe(false);
    model.train();
    expect(model.modules().every((m) => m.training)).toBe(true);
  });

  it("to('cpu') is a no-op; to('cuda') says the backend is missing", () => {
    const model = build();
    expect(model.to('cpu')).toBe(model);
    expect(() => model.to('cuda')).toThrow(/device 'cuda' is unavailable: (no NVIDIA driver|backend not built)/);
    expect(() => model.to('tpu')).toThrow("to: device must be one of 'cpu', 'cuda' or 'auto', got 'tpu'");
  });

  it('offers classes and factories, and prints like PyTorch', () => {
    const a = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU(), new nn.Linear(3, 1, { bias: false }));
    expect(a.parameters()).toHaveLength(3);
    expect(nn.linear(2, 3)).toBeInstanceOf(nn.Linear);
    expect(String(a)).toContain('(0): Linear(inFeatures=2, outFeatures=3, bias=true)');
    expect(() => nn.linear(0, 3)).toThrow(/Linear: argument 'inFeatures' must be an integer >= 1 and <= 2147483647, got 0/);
    expect(() => new nn.Sequential({} as nn.Module)).toThrow(/Sequential: argument 0 must be a Module, got object/);
  });

  it('zeroGrad zero-fills gradients in place', () => {
    const model = nn.linear(2, 2);
    model.forward(tensor([[1, 2]])).sum().backward();
    const g = model.weight.grad!;
    model.zeroGrad();
    expect(model.weight.grad).toBe(g);
    expect(Array.from(g.toArray())).toEqual([0, 0, 0, 0]);
  });
});

describe('init', () => {
  it('Linear defaults to PyTorch: U(-1/sqrt(in), 1/sqrt(in)) for weight and bias', () => {
    const layer = nn.linear(400, 300, { generator: new Generator(1) });
    const bound = 1 / Math.sqrt(400);
    const w = stats(layer.weight);
    expect(w.min).toBeGreaterThanOrEqual(-bound);
    expect(w.max).toBeLessThanOrEqual(bound);
    expect(w.std).toBeCloseTo(bound / Math.sqrt(3), 3); // std of U(-b, b) is b / sqrt(3)
    const b = stats(layer.bias!);
    expect(b.min).toBeGreaterThanOrEqual(-bound);
    expect(b.max).toBeLessThanOrEqual(bound);
  });

  it('is reproducible from the generator seed', () => {
    const a = nn.linear(5, 5, { generator: new Generator(9) }).weight.toArray();
    expect(nn.linear(5, 5, { generator: new Generator(9) }).weight.toArray()).toEqual(a);
    expect(nn.linear(5, 5, { generator: new Generator(10) }).weight.toArray()).not.toEqual(a);
  });

  it('Xavier and Kaiming have the documented spread', () => {
    const t = tensor(new Float32Array(500 * 400), [500, 400]);
    const gen = { generator: new Generator(2) };
    nn.init.xavierUniform(t, 1, gen);
    const a = Math.sqrt(6 / 900);
    expect(stats(t).max).toBeLessThanOrEqual(a);
    expect(stats(t).std).toBeCloseTo(a / Math.sqrt(3), 3);
    nn.init.xavierNormal(t, 2, gen);
    expect(stats(t).std).toBeCloseTo(2 * Math.sqrt(2 / 900), 3);
    nn.init.kaimingUniform(t, { nonlinearity: 'relu', ...gen });
    expect(stats(t).std).toBeCloseTo(Math.SQRT2 / Math.sqrt(400), 3);
    nn.init.kaimingNormal(t, { mode: 'fanOut', nonlinearity: 'relu', ...gen });
    expect(stats(t).std).toBeCloseTo(Math.SQRT2 / Math.sqrt(500), 3);
    expect(Math.abs(stats(t).mean)).toBeLessThan(2e-3);
    nn.init.kaimingNormal(t, { mode: 'fan_out', nonlinearity: 'relu', ...gen });
    expect(stats(t).std).toBeCloseTo(Math.SQRT2 / Math.sqrt(500), 3);
    expect(() => nn.init.kaimingNormal(t, { mode: 'fanAvg' as 'fanIn' })).toThrow(/kaimingNormal: option 'mode' must be one of 'fanIn', 'fanOut', 'fan_in', 'fan_out', got string 'fanAvg'/);
    nn.init.kaimingNormal(t, { nonlinearity: 'tanh', ...gen });
    expect(stats(t).std).toBeCloseTo(5 / 3 / Math.sqrt(400), 3);
  });

  it('zeros, constant and calculateGain', () => {
    const t = tensor([1, 2, 3]);
    expect(Array.from(nn.init.zeros(t).toArray())).toEqual([0, 0, 0]);
    expect(Array.from(nn.init.constant(t, 0.5).toArray())).toEqual([0.5, 0.5, 0.5]);
    expect(nn.init.calculateGain('relu')).toBeCloseTo(Math.SQRT2, 12);
    expect(nn.init.calculateGain('tanh')).toBeCloseTo(5 / 3, 12);
    expect(nn.init.calculateGain('leaky_relu', 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 12);
    expect(nn.init.calculateGain('leaky_relu')).toBeCloseTo(Math.sqrt(2 / 1.0001), 12);
    expect(nn.init.calculateGain('sigmoid')).toBe(1);
    expect(() => nn.init.xavierUniform(tensor([1, 2]))).toThrow(/at least 2 dimensions/);
  });
});
