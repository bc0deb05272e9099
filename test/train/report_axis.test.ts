// The report's axes: round ticks, the lr axis from 0, and a log axis past two decades.
import { describe, expect, it } from 'vitest';
import { linearAxis, logAxis, lrAxis, niceStep } from '../../src/train/report_axis.js';

describe('report axes', () => {
  it('nice steps are 1, 2 or 5 times a power of ten', () => {
    expect([0.0691, 0.35, 7, 1.2, 45].map((s) => niceStep(s, 1))).toEqual([0.1, 0.5, 10, 2, 50]);
  });

  it('ticks are round numbers covering the data, labelled without float noise', () => {
    const axis = linearAxis([0.3762, 0.4453, 0.41]);
    expect(axis.ticks).toEqual([0.36, 0.38, 0.4, 0.42, 0.44, 0.46]);
    expect(axis.ticks.map(axis.label)).toEqual(['0.36', '0.38', '0.40', '0.42', '0.44', '0.46']);
    expect(axis.lo).toBeLessThanOrEqual(0.3762);
    expect(axis.hi).toBeGreaterThanOrEqual(0.4453);
    expect(linearAxis([0, 0.3]).ticks.map(linearAxis([0, 0.3]).label)).toEqual(['0.0', '0.1', '0.2', '0.3']);
  });

  it('a constant lr sits on an axis from 0, not on -1.099..1.101', () => {
    const axis = lrAxis([0.1, 0.1, 0.1]);
    expect(axis.log).toBe(false);
    expect(axis.lo).toBe(0);
    expect(axis.ticks.every((t) => t >= 0)).toBe(true);
    expect(axis.at(0.1)).toBeGreaterThan(0.5);
  });

  it('a cosine schedule down to 1e-6 gets a log axis at powers of ten, never below 0', () => {
    const cosine = Array.from({ length: 50 }, (_, e) => 1e-6 + (0.1 - 1e-6) * (1 + Math.cos((Math.PI * e) / 49)) / 2);
    const axis = lrAxis(cosine);
    expect(axis.log).toBe(true);
    expect(axis.ticks[0]).toBeCloseTo(1e-6, 20);
    expect(axis.ticks.map(axis.label)).toEqual(['1e-6', '1e-5', '1e-4', '1e-3', '1e-2', '1e-1']);
    expect(axis.at(0.1)).toBeCloseTo(1, 10);
    expect(lrAxis([0.1, 0.002]).log).toBe(false); // 50x: still linear from 0
    expect(logAxis([0.5, 20]).ticks).toEqual([0.1, 1, 10, 100]);
  });
});
