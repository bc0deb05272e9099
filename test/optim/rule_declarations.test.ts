/**
 * Each update rule is declared once, in its own header under native/common/optim/: its math,
 * its state slots (PyTorch's names, and the option that switches each on) and how it reads its
 * hyperparameters. The addon exports the slot declarations, and the optimizers allocate, pass
 * and save exactly those slots; nothing in TypeScript restates them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { optimRule } from '../../src/backend/optim_rules.js';
import { addon } from '../../src/backend/addon.js';
import { optim, tensor } from '../../src/index.js';

const header = (name: string) => new URL(`../../native/common/optim/${name}.h`, import.meta.url);

/** Keys of the per-parameter state an optimizer saves after two steps, besides `step`. */
interface Steppable {
  step(): boolean;
  stateDict(): { state: Record<number, Record<string, unknown>> };
  dispose(): void;
}

function savedSlots(make: (p: ReturnType<typeof tensor>) => Steppable): string[] {
  const p = tensor([1, -2, 3], { requiresGrad: true });
  const opt = make(p);
  for (let s = 0; s < 2; s++) {
    p.grad = tensor([0.5, -0.25, 1]);
    opt.step();
  }
  const keys = Object.keys(opt.stateDict().state[0]).filter((k) => k !== 'step');
  opt.dispose();
  return keys.sort();
}

describe('optimizer rules: one declaration each', () => {
  it('every rule the addon has is one header under native/common/optim/, named as the rule', () => {
    const names = Object.keys(addon.optimRules);
    expect(names.sort()).toEqual(['adagrad', 'adam', 'rmsprop', 'sgd']);
    for (const name of names) {
      expect(existsSync(header(name))).toBe(true);
      expect(readFileSync(header(name), 'utf8')).toContain(`kName = "${name}"`);
    }
  });

  it('the exported slots are the header\'s, in slot order', () => {
    expect(optimRule('adam').slots).toEqual([
      { name: 'exp_avg', when: null }, { name: 'exp_avg_sq', when: null }, { name: 'max_exp_avg_sq', when: 'amsgrad' },
    ]);
    expect(optimRule('rmsprop').slots.map((s) => s.when)).toEqual([null, 'momentum', 'centered']);
    expect(optimRule('sgd').slots).toEqual([{ name: 'momentum_buffer', when: 'momentum' }]);
    expect(() => optimRule('lion')).toThrow(/no optimizer rule 'lion' \(it has sgd, rmsprop, adam, adagrad\)/);
  });

  it('optimizers save the slots their options switch on', () => {
    const P = (p: ReturnType<typeof tensor>) => [p];
    expect(savedSlots((p) => new optim.Adam(P(p)))).toEqual(['exp_avg', 'exp_avg_sq']);
    expect(savedSlots((p) => new optim.Adam(P(p), { amsgrad: true }))).toEqual(['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq']);
    expect(savedSlots((p) => new optim.SGD(P(p), { lr: 0.1 }))).toEqual([]);
    expect(savedSlots((p) => new optim.SGD(P(p), { lr: 0.1, momentum: 0.9 }))).toEqual(['momentum_buffer']);
    expect(savedSlots((p) => new optim.RMSprop(P(p)))).toEqual(['square_avg']);
    expect(savedSlots((p) => new optim.RMSprop(P(p), { momentum: 0.5, centered: true })))
      .toEqual(['grad_avg', 'momentum_buffer', 'square_avg']);
    expect(savedSlots((p) => new optim.Adagrad(P(p)))).toEqual(['sum']);
  });

  it('a loaded state keeps its optional slots before the next step', () => {
    const p = tensor([1, -2, 3], { requiresGrad: true });
    const a = new optim.Adam([p], { amsgrad: true });
    p.grad = tensor([0.5, -0.25, 1]);
    a.step();
    const saved = a.stateDict();
    const q = tensor([1, -2, 3], { requiresGrad: true });
    const b = new optim.Adam([q], { amsgrad: true });
    b.loadStateDict(saved);
    expect(Object.keys(b.stateDict().state[0]).sort()).toEqual(['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq', 'step']);
    a.dispose();
    b.dispose();
  });
});
