// Sobol points: the plain sequence against scipy.stats.qmc.Sobol, and the scramble's net property.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Sobol, SOBOL_MAX_DIMENSION } from '../../src/tune/samplers/sobol.js';

const ref = JSON.parse(readFileSync(new URL('./fixtures/scipy_reference.json', import.meta.url), 'utf8'));

describe('Sobol', () => {
  it('unscrambled points equal scipy Sobol(10, scramble=False) exactly (Joe–Kuo directions, Gray-code order)', () => {
    const s = new Sobol(10, null);
    ref.sobol10.forEach((p: number[], i: number) => expect(s.point(i)).toEqual(p));
  });

  it('reaches point 1000 directly, in all 40 dimensions, as scipy fast_forward(1000) does', () => {
    expect(SOBOL_MAX_DIMENSION).toBe(40);
    expect(new Sobol(40, null).point(1000)).toEqual(ref.sobol40At1000);
  });

  it('scrambled: each dimension of the first 2^m points has one point in each interval [k/2^m, (k+1)/2^m)', () => {
    const s = new Sobol(12, 7);
    for (const m of [3, 6, 9]) {
      const n = 2 ** m;
      for (let j = 0; j < 12; j++) {
        const cells = new Set<number>();
        for (let i = 0; i < n; i++) cells.add(Math.floor(s.point(i)[j] * n));
        expect(cells.size).toBe(n);
      }
    }
  });

  it('scrambled: every 2-D projection of the first 16 points is a (0,4,2)-net in base 2 for dimensions 1 and 2', () => {
    // Sobol's first two dimensions have t = 0: every dyadic box of area 1/16 holds one point.
    const s = new Sobol(2, 3);
    const pts = Array.from({ length: 16 }, (_, i) => s.point(i));
    for (const bx of [1, 2, 4, 8, 16]) {
      const by = 16 / bx;
      const boxes = new Set(pts.map(([x, y]) => `${Math.floor(x * bx)},${Math.floor(y * by)}`));
      expect(boxes.size).toBe(16);
    }
  });

  it('the scramble depends on the seed and only on it', () => {
    expect(new Sobol(5, 11).point(3)).toEqual(new Sobol(5, 11).point(3));
    expect(new Sobol(5, 11).point(3)).not.toEqual(new Sobol(5, 12).point(3));
    expect(new Sobol(5, 11).point(0)).not.toEqual([0, 0, 0, 0, 0]);
  });

  it('rejects dimensions it has no direction numbers for', () => {
    expect(() => new Sobol(41, null)).toThrow('Sobol: dimension must be an integer in [1, 40], got 41');
  });
});
