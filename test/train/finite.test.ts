// The native finiteness scan behind the training monitor (native/cpu/finite.cc).
import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/ops/creation.js';
import { findNonFinite, firstNonFinite } from '../../src/train/finite.js';

describe('firstNonFinite', () => {
  it('finds the first NaN/Inf, across parallel chunks', () => {
    const n = 1 << 20;
    const data = new Float32Array(n).fill(1);
    expect(firstNonFinite(tensor(data))).toBe(-1);
    for (const [pos, value] of [[n - 1, NaN], [777_777, Infinity], [3, -Infinity], [0, NaN]] as const) {
      data[pos] = value;
      expect(firstNonFinite(tensor(data))).toBe(pos);
    }
    // A second hit in a later chunk does not win over the first.
    const two = new Float32Array(n).fill(0);
    two[900_000] = NaN;
    two[100_000] = Infinity;
    expect(firstNonFinite(tensor(two))).toBe(100_000);
  });

  it('respects views (offsets) and empty tensors', () => {
    const t = tensor([[1, NaN], [2, 3], [4, Infinity]]);
    expect(firstNonFinite(t.rows(1, 2))).toBe(-1);
    expect(firstNonFinite(t.rows(2, 3))).toBe(1);
    expect(firstNonFinite(t.rows(0, 0))).toBe(-1);
    // The largest finite float is finite.
    expect(firstNonFinite(tensor([3.4028234663852886e38, -3.4028234663852886e38]))).toBe(-1);
  });

  it('names the first non-finite tensor in order, for records and pair lists', () => {
    const a = tensor([1, 2]);
    const b = tensor([0, Infinity, NaN]);
    const c = tensor([NaN]);
    expect(findNonFinite({ a, b, c })).toEqual({ name: 'b', index: 1, value: Infinity });
    expect(findNonFinite([['c', c], ['b', b]])).toMatchObject({ name: 'c', index: 0 });
    expect(findNonFinite({ a, labels: tensor(Int32Array.from([1])) })).toBeNull();
  });

  it('rejects int32 tensors and disposed buffers with a clear error', () => {
    expect(() => firstNonFinite(tensor(Int32Array.from([1])))).toThrow(/firstNonFinite: argument 'tensor' must be a float32 Tensor, got Tensor\(int32, \[1\]\)/);
    const t = tensor([1, 2]);
    t.dispose();
    expect(() => firstNonFinite(t)).toThrow(/disposed/);
  });
});
