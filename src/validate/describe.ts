/**
 * How an error message shows the value that came: its type and, for small values, the value
 * itself ("string 'abc'", "undefined", "NaN", "Tensor(float32, [3, 4])", "array [1, -2]").
 * It never throws, whatever it is given: a Proxy whose traps throw, an object whose getters
 * throw, a revoked Proxy; the message that describes a bad argument must not fail itself.
 */
import { Tensor, formatShape } from '../tensor.js';

const MAX_STRING = 40;
const MAX_ITEMS = 6;

/** A short description of `value` for "..., got <description>". */
export function describeValue(value: unknown): string {
  try {
    return describeUnchecked(value);
  } catch {
    return 'an object that cannot be inspected';
  }
}

/** The message of a thrown value, whatever was thrown (an Error, a string, a Symbol). */
export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  try {
    return String(e);
  } catch {
    return typeof e;
  }
}

function quote(s: string): string {
  const cut = s.length > MAX_STRING ? `${s.slice(0, MAX_STRING)}…` : s;
  return `'${cut.replace(/[\n\r\t]/g, (c) => JSON.stringify(c).slice(1, -1))}'`;
}

/** Primitives inside arrays: numbers as they are, strings quoted, anything else by kind. */
function item(v: unknown): string {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return quote(v);
  if (v === undefined || v === null || typeof v === 'boolean') return String(v);
  return describeUnchecked(v);
}

function describeUnchecked(value: unknown): string {
  switch (typeof value) {
    case 'undefined': return 'undefined';
    case 'string': return `string ${quote(value)}`;
    case 'number': return Object.is(value, -0) ? '-0' : String(value);
    case 'boolean': return `boolean ${value}`;
    case 'bigint': return `bigint ${value}n`;
    case 'symbol': return `symbol ${value.description ?? ''}`.trimEnd();
    case 'function': return value.name ? `function ${value.name}` : 'a function';
  }
  if (value === null) return 'null';
  if (value instanceof Tensor) {
    const what = `Tensor(${value.dtype}, ${formatShape(value.shape)})`;
    return value.disposed ? `disposed ${what}` : what;
  }
  if (Array.isArray(value)) {
    if (value.length > MAX_ITEMS || value.some((v) => typeof v === 'object' && v !== null)) {
      return `array of length ${value.length}`;
    }
    return `array [${value.map(item).join(', ')}]`;
  }
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor?.name ?? 'typed array';
    return 'length' in value ? `${name} of length ${(value as unknown as ArrayLike<number>).length}` : name;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === null || proto === Object.prototype) return 'object';
  const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name ? name : 'object';
}
