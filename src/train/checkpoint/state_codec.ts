/**
 * A checkpoint's state as small JSON with its large arrays kept out of it. `encodeState` walks a
 * JSON-able value and moves every Float32Array and Int32Array (optimizer moment buffers) into a
 * tensor of the file's data section, leaving `{ "$tensor": name }` in its place; numbers JSON
 * cannot hold (NaN, ±Infinity, -0: ReduceLROnPlateau's `best` starts at Infinity) become
 * `{ "$number": "Infinity" }`. `decodeState` reverses both, so a state round-trips exactly.
 *
 * A tensor is named by its place in the state as a JSON pointer (RFC 6901) under 'state', e.g.
 * 'state/optimizer/state/0/expAvg': unique by construction, and readable in any safetensors
 * viewer. Model weights never contain '/' in their names (module paths use '.').
 */
import type { TensorData } from './safetensors.js';

/** Tensor names starting with this hold state, not weights. */
export const STATE_PREFIX = 'state/';

const TENSOR = '$tensor';
const NUMBER = '$number';

/** The JSON text and the tensors taken out of it. */
export interface EncodedState {
  json: string;
  tensors: Record<string, TensorData>;
}

/**
 * Encodes `state` (follows JSON.stringify: undefined and functions are left out of objects and
 * become null in arrays; toJSON is called). Typed arrays are copied, so the caller may go on
 * changing its own. Throws a TypeError naming the place of anything that cannot be stored.
 */
export function encodeState(state: unknown, op: string): EncodedState {
  const tensors: Record<string, TensorData> = {};
  const open = new Set<object>();
  const unstorable = (what: string, at: string): never => {
    throw new TypeError(`${op}: the checkpoint state is not JSON-serializable (${what} at ${at}); nothing was written`);
  };

  const walk = (value: unknown, at: string): unknown => {
    if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
      value = (value as { toJSON(key: string): unknown }).toJSON(at.slice(at.lastIndexOf('/') + 1));
    }
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return value;
      case 'number':
        if (Number.isFinite(value) && !Object.is(value, -0)) return value;
        return { [NUMBER]: Object.is(value, -0) ? '-0' : String(value) };
      case 'bigint':
        return unstorable('a BigInt', at);
      case 'undefined':
      case 'function':
      case 'symbol':
        return undefined;
    }
    if (value === null) return null;
    if (ArrayBuffer.isView(value)) {
      if (!(value instanceof Float32Array || value instanceof Int32Array)) {
        throw new TypeError(`${op}: ${at} is a ${value.constructor.name}; a checkpoint stores Float32Array and Int32Array; nothing was written`);
      }
      tensors[at] = { dtype: value instanceof Float32Array ? 'float32' : 'int32', shape: [value.length], values: value.slice() };
      return { [TENSOR]: at };
    }
    const object = value as object;
    if (open.has(object)) return unstorable('a circular reference', at);
    open.add(object);
    let out: unknown;
    if (Array.isArray(object)) {
      out = object.map((v, i) => walk(v, `${at}/${i}`) ?? null);
    } else {
      const fields: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(object)) {
        if (k === TENSOR || k === NUMBER) {
          throw new TypeError(`${op}: the key '${k}' at ${at} is reserved for the checkpoint's own encoding; nothing was written`);
        }
        const encoded = walk(v, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
        if (encoded !== undefined) fields[k] = encoded;
      }
      out = fields;
    }
    open.delete(object);
    return out;
  };

  const json = JSON.stringify(walk(state, STATE_PREFIX.slice(0, -1)) ?? null);
  return { json, tensors };
}

/**
 * Decodes `encodeState`'s JSON, putting the tensors' values (Float32Array / Int32Array) back
 * in their places. `fail` reports a broken reference (it must throw).
 */
export function decodeState(json: string, tensors: Record<string, TensorData>, fail: (why: string) => never): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    return fail(`its state is not valid JSON (${(e as Error).message})`);
  }
  const walk = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map(walk);
    const keys = Object.keys(value);
    const record = value as Record<string, unknown>;
    if (keys.length === 1 && keys[0] === TENSOR) {
      const name = record[TENSOR];
      const t = typeof name === 'string' && name.startsWith(STATE_PREFIX) ? tensors[name] : undefined;
      if (!t) return fail(`its state refers to tensor ${JSON.stringify(name)}, which the file does not hold`);
      return t.values;
    }
    if (keys.length === 1 && keys[0] === NUMBER) {
      const text = record[NUMBER];
      if (text === '-0') return -0;
      if (text === 'NaN' || text === 'Infinity' || text === '-Infinity') return Number(text);
      return fail(`its state holds the number code ${JSON.stringify(text)}; expected 'NaN', 'Infinity', '-Infinity' or '-0'`);
    }
    return Object.fromEntries(keys.map((k) => [k, walk(record[k])]));
  };
  return walk(parsed);
}
