// Distributions: Optuna's validation, internal representations, compatibility and JSON form.
import { describe, expect, it } from 'vitest';
import {
  CategoricalDistribution, checkDistributionCompatibility, distributionFromJSON, FloatDistribution, IntDistribution,
} from '../../src/tune/index.js';

describe('distributions', () => {
  it('validate their arguments with messages that name the caller, the argument and the value', () => {
    expect(() => new FloatDistribution(1, 0, {}, 'suggestFloat')).toThrow('suggestFloat: low must be <= high, got low 1, high 0');
    expect(() => new FloatDistribution(0, 1, { log: true })).toThrow('FloatDistribution: low must be > 0 when log is true, got low 0');
    expect(() => new FloatDistribution(1, 2, { log: true, step: 0.1 })).toThrow('FloatDistribution: step is not supported when log is true, got step 0.1');
    expect(() => new FloatDistribution(0, 1, { step: -1 })).toThrow('FloatDistribution: step must be > 0, got -1');
    expect(() => new IntDistribution(0, 1.5)).toThrow('IntDistribution: high must be an integer, got 1.5');
    expect(() => new IntDistribution(0, 10, { log: true })).toThrow('IntDistribution: low must be >= 1 when log is true, got low 0');
    expect(() => new IntDistribution(1, 10, { log: true, step: 2 })).toThrow('IntDistribution: step must be 1 when log is true, got step 2');
    expect(() => new CategoricalDistribution([])).toThrow('CategoricalDistribution: choices must be a non-empty array, got array []');
  });

  it('lower high to the last grid point when the range is not divisible by step (Optuna)', () => {
    expect(new IntDistribution(0, 10, { step: 3 }).high).toBe(9);
    expect(new FloatDistribution(0, 1, { step: 0.3 }).high).toBe(0.9);
    expect(new FloatDistribution(0, 1, { step: 0.1 }).high).toBe(1);
  });

  it('map values to internal numbers and back; categoricals by index', () => {
    const c = new CategoricalDistribution(['adam', 'sgd', null, 3]);
    expect(c.toInternalRepr('sgd')).toBe(1);
    expect(c.toInternalRepr(null)).toBe(2);
    expect(c.toExternalRepr(3)).toBe(3);
    expect(() => c.toInternalRepr('rmsprop')).toThrow('"rmsprop" is not one of ["adam","sgd",null,3]');
    const i = new IntDistribution(2, 20, { step: 2 });
    expect(i.contains(8)).toBe(true);
    expect(i.contains(9)).toBe(false);
    expect(new FloatDistribution(0, 1, { step: 0.1 }).contains(0.30000000000000004)).toBe(true);
  });

  it('know when they hold a single value', () => {
    expect(new FloatDistribution(2, 2).single()).toBe(true);
    expect(new IntDistribution(0, 1, { step: 2 }).single()).toBe(true);
    expect(new IntDistribution(0, 2, { step: 2 }).single()).toBe(false);
    expect(new CategoricalDistribution(['x']).single()).toBe(true);
  });

  it('one name keeps its kind, log flag and choices; bounds may change', () => {
    const fn = 'suggestFloat';
    expect(() => checkDistributionCompatibility(fn, 'lr', new FloatDistribution(0, 1), new FloatDistribution(0, 5))).not.toThrow();
    expect(() => checkDistributionCompatibility(fn, 'lr', new FloatDistribution(0, 1), new IntDistribution(0, 1)))
      .toThrow("suggestFloat: parameter 'lr' was suggested as a float before, got an int");
    expect(() => checkDistributionCompatibility(fn, 'lr', new FloatDistribution(1e-5, 1), new FloatDistribution(1e-5, 1, { log: true })))
      .toThrow("suggestFloat: parameter 'lr' was suggested with log false before, got log true");
    expect(() => checkDistributionCompatibility('suggestCategorical', 'opt', new CategoricalDistribution(['a', 'b']), new CategoricalDistribution(['a', 'c'])))
      .toThrow('categorical choices cannot change within a study');
  });

  it('round-trip through Optuna-style JSON', () => {
    for (const d of [new FloatDistribution(1e-5, 1, { log: true }), new FloatDistribution(0, 1, { step: 0.25 }), new IntDistribution(1, 9, { step: 2 }), new CategoricalDistribution([true, 'x', 1.5, null])]) {
      const back = distributionFromJSON(JSON.parse(JSON.stringify(d)));
      expect(back.equals(d)).toBe(true);
    }
    expect(JSON.parse(JSON.stringify(new IntDistribution(1, 3)))).toEqual({ name: 'IntDistribution', attributes: { low: 1, high: 3, log: false, step: 1 } });
  });
});
