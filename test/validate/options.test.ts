/**
 * readOptions and the nearest-name hint (issue 13, point 2): unknown keys throw naming the
 * closest known key; values are read once, so a getter that throws fails there, named.
 */
import { describe, expect, it } from 'vitest';
import { nn, optim, tensor } from '../../src/index.js';
import { editDistance, nearestName } from '../../src/validate/edit_distance.js';
import { optionKeys, readOptions } from '../../src/validate/index.js';

const param = () => tensor([1, 2], { requiresGrad: true });

describe('nearestName', () => {
  it('is Levenshtein distance, over names compared without case, _ and -', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(nearestName('weight_decay', ['lr', 'weightDecay', 'eps'])).toBe('weightDecay');
    expect(nearestName('eta-min', ['tMax', 'etaMin'])).toBe('etaMin');
    expect(nearestName('lrr', ['lr', 'betas'])).toBe('lr');
    // A name inside another counts as near (BCE's PyTorch 'weight' is our 'posWeight').
    expect(nearestName('weight', ['posWeight', 'reduction'])).toBe('posWeight');
    expect(nearestName('zzzzzz', ['lr', 'betas'])).toBeNull();
  });
});

describe('readOptions', () => {
  const keys = optionKeys<{ a?: number; b?: string }>({ a: true, b: true });

  it('returns a copy of the known keys that are set', () => {
    const given = { a: 1, b: undefined };
    const read = readOptions('op', given, keys);
    expect(read).toEqual({ a: 1 });
    expect(read).not.toBe(given);
    expect(readOptions('op', undefined, keys)).toEqual({});
  });

  it('rejects non-objects and unknown keys, naming the nearest known key or listing them', () => {
    expect(() => readOptions('op', 'abc', keys)).toThrow("op: argument 'options' must be an options object, got string 'abc'");
    expect(() => readOptions('op', [1], keys)).toThrow(/must be an options object, got array \[1\]/);
    expect(() => readOptions('op', { A: 1 }, keys)).toThrow("op: unknown option 'A' (did you mean 'a'?)");
    expect(() => readOptions('op', { zzzzzz: 1 }, keys)).toThrow("op: unknown option 'zzzzzz' (known options: a, b)");
  });

  it('reads each value once and names a getter that throws', () => {
    let reads = 0;
    const counted = { get a() { reads++; return 1; } };
    readOptions('op', counted, keys);
    expect(reads).toBe(1);
    const throwing = { get a(): number { throw new Error('boom'); } };
    expect(() => readOptions('op', throwing, keys)).toThrow("op: reading option 'a' threw: boom");
  });

  it('catches the three options issue 13 found silently ignored', () => {
    expect(() => new optim.Adam([param()], { weight_decay: 0.5 } as never))
      .toThrow("adam: unknown option 'weight_decay' (did you mean 'weightDecay'?)");
    const opt = new optim.SGD([param()], { lr: 0.1 });
    expect(() => new optim.lrScheduler.CosineAnnealingLR(opt, { tMax: 10, eta_min: 0.01 } as never))
      .toThrow("CosineAnnealingLR: unknown option 'eta_min' (did you mean 'etaMin'?)");
    // 'weight' is an option since issue 14 (PyTorch's per-element weight); its snake_case sibling is not.
    expect(() => new nn.BCEWithLogitsLoss({ pos_weight: tensor([1]) } as never))
      .toThrow("BCEWithLogitsLoss: unknown option 'pos_weight' (did you mean 'posWeight'?)");
  });
});
