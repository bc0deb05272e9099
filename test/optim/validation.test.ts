/** Bad hyperparameters throw clear errors naming the op, the argument, the bound and the value. */
import { describe, expect, it } from 'vitest';
import { optim, tensor } from '../../src/index.js';

const param = () => tensor([1, 2], [2]).requiresGrad_();

describe('hyperparameter validation', () => {
  it('rejects a negative lr', () => {
    expect(() => new optim.Adam([param()], { lr: -1 })).toThrow("adam: option 'lr' must be >= 0, got -1");
    expect(() => new optim.SGD([param()], { lr: -0.1 })).toThrow("sgd: option 'lr' must be >= 0, got -0.1");
  });
  it('rejects betas outside [0, 1)', () => {
    expect(() => new optim.Adam([param()], { betas: [1, 0.999] })).toThrow("adam: option 'betas'[0] must be >= 0 and < 1, got 1");
    expect(() => new optim.AdamW([param()], { betas: [0.9, -0.1] })).toThrow("adamw: option 'betas'[1] must be >= 0 and < 1, got -0.1");
  });
  it('rejects eps <= 0', () => {
    expect(() => new optim.Adam([param()], { eps: 0 })).toThrow("adam: option 'eps' must be > 0, got 0");
    expect(() => new optim.RMSprop([param()], { eps: -1e-8 })).toThrow("rmsprop: option 'eps' must be > 0, got -1e-8");
    expect(() => new optim.Adagrad([param()], { eps: 0 })).toThrow("adagrad: option 'eps' must be > 0, got 0");
  });
  it('rejects other bad values', () => {
    expect(() => new optim.SGD([param()], { momentum: -0.5 })).toThrow("sgd: option 'momentum' must be >= 0, got -0.5");
    expect(() => new optim.SGD([param()], { nesterov: true })).toThrow(/nesterov needs momentum > 0 and dampening 0/);
    expect(() => new optim.Adam([param()], { weightDecay: -1 })).toThrow("adam: option 'weightDecay' must be >= 0, got -1");
    expect(() => new optim.RMSprop([param()], { alpha: 1.5 })).toThrow("rmsprop: option 'alpha' must be >= 0 and <= 1, got 1.5");
    expect(() => new optim.Adagrad([param()], { lrDecay: -1 })).toThrow("adagrad: option 'lrDecay' must be >= 0, got -1");
    expect(() => new optim.Adam([param()], { lr: Number.NaN })).toThrow("adam: option 'lr' must be >= 0, got NaN");
    expect(() => new optim.Adam([param()], { clipGradNorm: -1 })).toThrow("adam: option 'clipGradNorm' must be >= 0, got -1");
    expect(() => new optim.Adam([param()], { nonFinite: 'maybe' as never })).toThrow(/adam: option 'nonFinite' must be one of 'ignore', 'skip', 'throw', got string 'maybe'/);
  });
  it('checks per-group overrides and values a schedule or user sets later', () => {
    const a = param();
    const b = param();
    expect(() => new optim.Adam([{ params: [a] }, { params: [b], lr: -2 }])).toThrow("adam: option 'lr' of group 1 must be >= 0, got -2");
    const opt = new optim.Adam([a]);
    opt.paramGroups[0].lr = -1;
    expect(() => opt.step()).toThrow("adam: option 'lr' of group 0 must be >= 0, got -1");
    opt.dispose();
  });
  it('rejects parameters that cannot be optimized', () => {
    expect(() => new optim.Adam([tensor([1], [1])])).toThrow(/does not require grad/);
    expect(() => new optim.Adam([tensor([1], [1], { dtype: 'int32' })])).toThrow(/adam: params\[0\] must be a float32 Tensor, got Tensor\(int32, \[1\]\)/);
    const p = param();
    expect(() => new optim.Adam([p, p])).toThrow(/appears more than once/);
    expect(() => new optim.Adam([])).toThrow(/no parameter groups|empty parameter list/);
  });
});
