import { describe, expect, it } from 'vitest';
import { linear, randn, tensor } from '../src/index.js';
import { expectGradientsMatch } from './helpers/gradcheck.js';

describe('autograd smoke', () => {
  it('linear+relu matches a float64 reference gradient', () => {
    const x = randn([3, 4]);
    const w = randn([2, 4]);
    const b = randn([2]);
    expectGradientsMatch(
      ([x, w, b]) => linear(x, w, b, true),
      ([x, w, b]) => {
        const out: number[] = [];
        for (let i = 0; i < 3; i++)
          for (let o = 0; o < 2; o++) {
            let s = b[o];
            for (let k = 0; k < 4; k++) s += x[i * 4 + k] * w[o * 4 + k];
            out.push(Math.max(0, s));
          }
        return out;
      },
      [x, w, b],
    );
  });
  it('reads back what was written', () => {
    expect(Array.from(tensor([1, 2, 3]).toArray())).toEqual([1, 2, 3]);
  });
});
