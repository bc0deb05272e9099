/** describeValue: the "got ..." of every argument message, which must never throw itself. */
import { describe, expect, it } from 'vitest';
import { tensor, zeros } from '../../src/index.js';
import { describeValue } from '../../src/validate/index.js';

describe('describeValue', () => {
  it('names the type and shows small values', () => {
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(null)).toBe('null');
    expect(describeValue('abc')).toBe("string 'abc'");
    expect(describeValue(NaN)).toBe('NaN');
    expect(describeValue(-0)).toBe('-0');
    expect(describeValue(true)).toBe('boolean true');
    expect(describeValue(10n)).toBe('bigint 10n');
    expect(describeValue(Symbol('s'))).toBe('symbol s');
    expect(describeValue([1, -2, 'a'])).toBe("array [1, -2, 'a']");
    expect(describeValue([1, 2, 3, 4, 5, 6, 7])).toBe('array of length 7');
    expect(describeValue(new Float32Array(3))).toBe('Float32Array of length 3');
    expect(describeValue({ a: 1 })).toBe('object');
    expect(describeValue(new Map())).toBe('Map');
  });

  it('shows a tensor as its dtype and shape, and says when it was disposed', () => {
    expect(describeValue(tensor([[1, 2, 3], [4, 5, 6]]))).toBe('Tensor(float32, [2, 3])');
    const t = zeros([4]);
    t.dispose();
    expect(describeValue(t)).toBe('disposed Tensor(float32, [4])');
  });

  it('cuts long strings and survives values that throw when inspected', () => {
    expect(describeValue('x'.repeat(100))).toBe(`string '${'x'.repeat(40)}…'`);
    const trap = () => {
      throw new Error('trap');
    };
    const proxy = new Proxy({}, { getPrototypeOf: trap, get: trap });
    expect(describeValue(proxy)).toBe('an object that cannot be inspected');
    const { proxy: revoked, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(() => describeValue(revoked)).not.toThrow();
  });
});
