import { describeValue, errorText, label } from '../validate/index.js';

/** JSON values, as user and system attributes and storage records carry them. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * `value` as a JSON value, copied once (a getter or Proxy trap that throws is named, and later
 * code reads plain data): null, booleans, finite numbers... as JSON.stringify keeps them, arrays
 * and plain objects of those. A BigInt, a function, a symbol, undefined, a cycle or a class
 * instance is an error naming `op` and `name`.
 */
export function checkJsonValue(op: string, name: string, value: unknown): JsonValue {
  const seen = new Set<object>();
  const fail = (where: string, what: string): never => {
    throw new TypeError(`${op}: ${where} must be a JSON value (null, a boolean, a number, a string, an array or a plain object of them), got ${what}`);
  };
  const copy = (v: unknown, where: string): JsonValue => {
    if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
    if (typeof v === 'number') return v;
    if (typeof v !== 'object') return fail(where, typeof v === 'bigint' ? 'a BigInt' : typeof v);
    if (seen.has(v)) return fail(where, 'a circular structure');
    let proto: unknown;
    try {
      proto = Object.getPrototypeOf(v);
    } catch (e) {
      throw new TypeError(`${op}: reading ${where} threw: ${errorText(e)}`, { cause: e });
    }
    seen.add(v);
    try {
      if (Array.isArray(v)) {
        let items: unknown[];
        try {
          items = Array.from(v as unknown[]);
        } catch (e) {
          throw new TypeError(`${op}: reading ${where} threw: ${errorText(e)}`, { cause: e });
        }
        return items.map((x, i) => copy(x, `${where}[${i}]`));
      }
      if (proto !== null && proto !== Object.prototype) return fail(where, describeValue(v));
      let entries: [string, unknown][];
      try {
        entries = Object.entries(v);
      } catch (e) {
        throw new TypeError(`${op}: reading ${where} threw: ${errorText(e)}`, { cause: e });
      }
      const out: { [key: string]: JsonValue } = {};
      for (const [k, x] of entries) out[k] = copy(x, `${where}.${k}`);
      return out;
    } finally {
      seen.delete(v);
    }
  };
  return copy(value, label(name));
}
