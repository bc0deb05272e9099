/**
 * Hostile values: what a careless or malicious caller passes where the API expects something
 * else. Each is made fresh per case (a disposed tensor, an object whose getters throw).
 */
import { tensor, zeros } from '../../src/index.js';

/** The message of every error that the hostile objects below throw themselves. */
export const HOSTILE_THROW = 'hostile getter threw';

/** An object whose every property read throws. */
export function throwingGetters(keys: readonly string[] = ['x', 'y', 'length', 'shape', 'then']): object {
  const o: Record<string, unknown> = {};
  for (const k of keys) {
    Object.defineProperty(o, k, { enumerable: true, get() { throw new Error(HOSTILE_THROW); } });
  }
  return o;
}

/** A Proxy whose every trap throws (even instanceof and Array.isArray's checks reach a trap). */
export function throwingProxy(): object {
  const fail = () => {
    throw new Error(HOSTILE_THROW);
  };
  return new Proxy({}, { get: fail, has: fail, ownKeys: fail, getPrototypeOf: fail, getOwnPropertyDescriptor: fail, set: fail });
}

function disposedTensor() {
  const t = zeros([2, 3]);
  t.dispose();
  return t;
}

/** [name, factory] for every hostile value. */
export const HOSTILE: readonly (readonly [string, () => unknown])[] = [
  ['undefined', () => undefined],
  ['null', () => null],
  ['NaN', () => NaN],
  ['Infinity', () => Infinity],
  ['-Infinity', () => -Infinity],
  ['-1', () => -1],
  ['0', () => 0],
  ['1.5', () => 1.5],
  ['1e15', () => 1e15],
  ['2^53', () => 2 ** 53],
  ['2^32 + 1', () => 2 ** 32 + 1],
  ['-2^31', () => -(2 ** 31)],
  ["''", () => ''],
  ["'abc'", () => 'abc'],
  ['true', () => true],
  ['10n', () => 10n],
  ['a symbol', () => Symbol('hostile')],
  ['a function', () => () => undefined],
  ['{}', () => ({})],
  ['[]', () => []],
  ['[NaN]', () => [NaN]],
  ['[-1]', () => [-1]],
  ['[1e15, 1e15]', () => [1e15, 1e15]],
  ["['a']", () => ['a']],
  ['an object whose getters throw', () => throwingGetters()],
  ['a Proxy whose traps throw', () => throwingProxy()],
  ['a disposed tensor', disposedTensor],
  ['an int32 tensor [3]', () => tensor(Int32Array.of(0, 1, 2), [3])],
  ['a scalar tensor', () => tensor(2)],
  ['an empty tensor [0]', () => zeros([0])],
  ['a tensor [2, 3]', () => tensor([[1, 2, 3], [4, 5, 6]])],
  ['a tensor [7]', () => zeros([7])],
  ['a Float32Array', () => new Float32Array(3)],
  ['a Promise', () => Promise.resolve(1)],
];
