import { describe, expect, it } from 'vitest';
import { data, tensor } from '../../src/index.js';
import { fixture } from './fixtures.js';

interface Case { y: number[]; classes: number[]; balanced?: number[]; map?: Record<string, number>; mapped?: number[] }
const { cases } = fixture<{ cases: Case[] }>('class_weights.json');

describe('computeClassWeight', () => {
  it("'balanced' equals scikit-learn's n_samples / (n_classes * bincount(y))", () => {
    for (const c of cases.filter((k) => k.balanced)) {
      const w = Array.from(data.computeClassWeight('balanced', c.y).toArray());
      c.balanced!.forEach((v, i) => expect(w[i]).toBeCloseTo(v, 6));
      const fromTensor = data.computeClassWeight('balanced', tensor(Int32Array.from(c.y)), { classes: c.classes });
      expect(Array.from(fromTensor.toArray())).toEqual(w);
    }
  });

  it('a class -> weight map gives 1 to unnamed classes, as scikit-learn', () => {
    const c = cases.find((k) => k.map)!;
    const w = data.computeClassWeight(c.map as Record<number, number>, c.y);
    expect(Array.from(w.toArray())).toEqual(c.mapped);
    expect(Array.from(data.computeClassWeight(new Map([[2, 3]]), c.y).toArray())).toEqual([1, 1, 3]);
  });

  it('rejects inconsistent input', () => {
    expect(() => data.computeClassWeight('balanced', [])).toThrow(/y is empty/);
    expect(() => data.computeClassWeight('balanced', [0, 1], { classes: [0, 1, 2] })).toThrow(/class 2 does not occur in y/);
    expect(() => data.computeClassWeight('balanced', [0, 3], { classes: [0, 1] })).toThrow(/label 3 in y is not one of classes/);
    expect(() => data.computeClassWeight({ 7: 1 }, [0, 1])).toThrow(/class 7 in the weight map/);
    expect(() => data.computeClassWeight('balanced', [0, 1.5])).toThrow(/computeClassWeight: label 1 must be a 32-bit integer, got 1.5/);
  });
});
