/**
 * stateDict()/loadStateDict(): an optimizer saved mid-run and loaded into a fresh optimizer
 * (over fresh parameters holding the saved values) continues bit-identically.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { optim, tensor } from '../../src/index.js';
import { feedGradient, fixture, flatParams, makeOptimizer } from './fixture_problem.js';

const pick = (name: string) => fixture.cases.find((c) => c.name === name)!;
const CASES = ['sgd_momentum', 'sgd_ema_handbook', 'rmsprop_all', 'adam_amsgrad', 'adamw_default', 'adagrad_all',
  'adam_two_groups', 'sgd_clip_value'];

describe('stateDict round trip', () => {
  for (const name of CASES) {
    it(`${name}: save at step 37, load into a fresh optimizer, continue bit-identically`, () => {
      const c = pick(name);
      const full = makeOptimizer(c);
      const resumed = makeOptimizer(c);
      for (let s = 0; s < 37; s++) {
        feedGradient(full.params);
        full.opt.step();
      }
      // Plain JSON: through JSON.stringify and back, with no replacer.
      const saved = JSON.parse(JSON.stringify(full.opt.stateDict()));
      resumed.params.w.buffer.write(full.params.w.toFloat32Array(), resumed.params.w.offset);
      resumed.params.b.buffer.write(full.params.b.toFloat32Array(), resumed.params.b.offset);
      resumed.opt.loadStateDict(saved);
      for (let s = 0; s < 40; s++) {
        feedGradient(full.params);
        full.opt.step();
        feedGradient(resumed.params);
        resumed.opt.step();
      }
      expect(Array.from(flatParams(resumed.params))).toEqual(Array.from(flatParams(full.params)));
      full.opt.dispose();
      resumed.opt.dispose();
    });
  }

  it('restores hyperparameters and step counts, and rejects a mismatched layout', () => {
    const w = tensor([1, 2, 3], [3]).requiresGrad_();
    const opt = new optim.Adam([w], { lr: 0.05, betas: [0.8, 0.9] });
    w.grad!.buffer.write(Float32Array.of(1, 1, 1), w.grad!.offset);
    opt.step();
    const dict = opt.stateDict();
    expect(dict.state[0].step).toBe(1);
    expect(dict.paramGroups[0]).toMatchObject({ lr: 0.05, betas: [0.8, 0.9], params: [0] });

    const v = tensor([0, 0, 0], [3]).requiresGrad_();
    const fresh = new optim.Adam([v]);
    fresh.loadStateDict(dict);
    expect(fresh.paramGroups[0].lr).toBe(0.05);
    expect(fresh.paramGroups[0].betas).toEqual([0.8, 0.9]);
    expect(fresh.stateDict().state[0].exp_avg).toEqual(dict.state[0].exp_avg);

    const u = tensor([0, 0], [2]).requiresGrad_();
    const other = new optim.Adam([u]);
    expect(() => other.loadStateDict(dict)).toThrow(/exp_avg of parameter 0 has 3 values, parameter has 2/);
    opt.dispose();
    fresh.dispose();
    other.dispose();
  });
});

describe('PyTorch names and PyTorch state dicts', () => {
  it('buffer names are PyTorch\'s', () => {
    const names = (opt: { stateDict(): { state: Record<number, Record<string, unknown>> } }) => Object.keys(opt.stateDict().state[0]).sort();
    const w = tensor([1, 2], [2]).requiresGrad_();
    const step = <T extends { step(): unknown; dispose(): void }>(opt: T) => {
      w.grad!.buffer.write(Float32Array.of(0.5, -1), w.grad!.offset);
      opt.step();
      return opt;
    };
    const cases: [() => optim.Optimizer<never>, string[]][] = [
      [() => new optim.Adam([w], { amsgrad: true }) as never, ['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq', 'step']],
      [() => new optim.SGD([w], { momentum: 0.9 }) as never, ['momentum_buffer', 'step']],
      [() => new optim.RMSprop([w], { momentum: 0.9, centered: true }) as never, ['grad_avg', 'momentum_buffer', 'square_avg', 'step']],
      [() => new optim.Adagrad([w]) as never, ['step', 'sum']],
    ];
    for (const [make, expected] of cases) {
      const opt = step(make());
      expect(names(opt)).toEqual(expected);
      opt.dispose();
    }
  });

  // bench/reference/optim_state_fixtures.py: PyTorch 1.13 ran 3 steps, its state_dict was
  // converted by a 6-line function (tensors to lists, step to an int, hyperparameters camelCase).
  const torchStates = JSON.parse(readFileSync(new URL('../fixtures/optim/pytorch_state_dicts.json', import.meta.url), 'utf8')) as {
    cases: { name: string; stateDict: never; param: number[]; grad: number[]; expected: number[] }[];
  };
  const make: Record<string, (w: ReturnType<typeof tensor>) => { loadStateDict(d: never): void; step(): unknown; dispose(): void }> = {
    adam_amsgrad: (w) => new optim.Adam([w]),
    sgd_momentum: (w) => new optim.SGD([w], { momentum: 0.1 }), // the loaded state sets 0.9 and nesterov
    rmsprop_centered: (w) => new optim.RMSprop([w], { momentum: 0.1, centered: true }),
    adagrad: (w) => new optim.Adagrad([w]),
  };
  for (const c of torchStates.cases) {
    it(`${c.name}: a converted PyTorch state loads, and the next step equals PyTorch's`, () => {
      const w = tensor(c.param, [c.param.length]).requiresGrad_();
      const opt = make[c.name](w);
      opt.loadStateDict(c.stateDict);
      w.grad!.buffer.write(Float32Array.from(c.grad), w.grad!.offset);
      opt.step();
      const got = Array.from(w.toArray());
      got.forEach((v, i) => expect(Math.abs(v - c.expected[i])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(c.expected[i]))));
      opt.dispose();
    });
  }
});
