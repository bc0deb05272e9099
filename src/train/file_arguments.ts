/**
 * Argument checks of the file functions of train (safetensors, checkpoints, reports), kept
 * apart from the file formats themselves: each function calls one of these first.
 */
import { Tensor } from '../tensor.js';
import { checkString, isInstance, isPlainObject, label, readSafely, typeError } from '../validate/index.js';

/** A path argument: a non-empty string. */
export const checkFilePath = (op: string, path: unknown, name = 'path'): string => checkString(op, name, path, true);

/** Tensors by name: a plain object whose values are live tensors (read once, safely). */
export function checkTensorRecord(op: string, name: string, record: unknown): Record<string, Tensor> {
  if (!isPlainObject(record)) typeError(op, name, 'an object of tensors by name', record);
  return readSafely(op, name, () => {
    for (const [k, t] of Object.entries(record)) {
      if (!isInstance(t, Tensor)) typeError(op, `${name} '${k}'`, 'a Tensor', t);
      if (t.disposed) typeError(op, `${name} '${k}'`, 'a live Tensor', t);
    }
    return record as Record<string, Tensor>;
  });
}

/** String metadata: a plain object of strings. */
export function checkStringRecord(op: string, name: string, record: unknown): Record<string, string> {
  if (!isPlainObject(record)) typeError(op, name, 'an object of strings', record);
  return readSafely(op, name, () => {
    for (const [k, v] of Object.entries(record)) if (typeof v !== 'string') typeError(op, `${name} '${k}'`, 'a string', v);
    return record as Record<string, string>;
  });
}

/** JSON-able state: a plain object that JSON.stringify can write (no BigInt, no cycles). */
export function checkJsonState(op: string, name: string, state: unknown): Record<string, unknown> {
  if (!isPlainObject(state)) typeError(op, name, 'a plain object of JSON data', state);
  try {
    JSON.stringify(state);
  } catch {
    throw new TypeError(`${op}: ${label(name)} is not JSON-serializable (it holds a bigint, a cycle or a getter that throws); nothing was written`);
  }
  return state;
}

/** Bytes to parse: a Uint8Array (a Buffer is one), and the name errors give them. */
export function checkBytes(op: string, bytes: unknown, source: unknown): void {
  if (!isInstance(bytes, Uint8Array)) typeError(op, 'bytes', 'a Uint8Array (or Buffer)', bytes);
  checkString(op, 'source', source, true);
}
