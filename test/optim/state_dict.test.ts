/**
 * stateDict()/loadStateDict(): an optimizer saved mid-run and loaded into a fresh optimizer
 * (over fresh parameters holding the saved values) continues bit-identically.
 */
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
      // Through JSON, as a checkpoint file would carry it.
      const saved = JSON.parse(JSON.stringify(full.opt.stateDict(), (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v)));
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
    expect(fresh.stateDict().state[0].expAvg).toEqual(dict.state[0].expAvg);

    const u = tensor([0, 0], [2]).requiresGrad_();
    const other = new optim.Adam([u]);
    expect(() => other.loadStateDict(dict)).toThrow(/expAvg of parameter 0 has 3 values, parameter has 2/);
    opt.dispose();
    fresh.dispose();
    other.dispose();
  });
});
