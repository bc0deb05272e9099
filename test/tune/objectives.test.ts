// The benchmark objectives take their published minima at their published minimizers.
import { describe, expect, it } from 'vitest';
import { branin, hartmann6, levy10, rosenbrock10 } from './helpers/objectives.js';

describe('test objectives', () => {
  it('reach their minima where the literature puts them, and exceed them nearby', () => {
    for (const x of [[-Math.PI, 12.275], [Math.PI, 2.275], [9.42478, 2.475]]) expect(branin.f(x)).toBeCloseTo(branin.minimum, 5);
    expect(hartmann6.f([0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573])).toBeCloseTo(hartmann6.minimum, 5);
    expect(rosenbrock10.f(new Array(10).fill(1))).toBe(0);
    expect(levy10.f(new Array(10).fill(1))).toBeCloseTo(0, 12);
    for (const fn of [branin, hartmann6, rosenbrock10, levy10]) {
      const center = fn.bounds.map(([lo, hi]) => (lo + hi) / 2);
      expect(fn.f(center)).toBeGreaterThan(fn.minimum + 1e-3);
    }
  });
});
