/**
 * Finiteness checks for training diagnosis, one native pass per tensor
 * (native/cpu/finite.cc): which named tensor went NaN/±Inf first, and where.
 */
import type { Tensor } from '../tensor.js';
import { checkTensor, readSafely, typeError } from '../validate/index.js';

/** Tensors by name, as a record (a state dict) or a list of [name, tensor] pairs. */
export type NamedTensors = Record<string, Tensor> | Iterable<readonly [string, Tensor]>;

/** Iterates named tensors in their given order. */
export function namedEntries(named: NamedTensors, op = 'findNonFinite'): (readonly [string, Tensor])[] {
  if (typeof named !== 'object' || named === null) typeError(op, 'named', 'tensors by name (a record or [name, tensor] pairs)', named);
  const entries = readSafely(op, 'named', () => [...(Symbol.iterator in named ? (named as Iterable<unknown>) : Object.entries(named))]);
  return entries.map((e, i) => {
    if (!Array.isArray(e) || e.length !== 2 || typeof e[0] !== 'string') typeError(op, `named[${i}]`, 'a [name, tensor] pair', e);
    return [e[0], checkTensor(op, `'${e[0]}'`, e[1])] as const;
  });
}

/** Index of the first NaN/±Inf element of a float32 tensor, or -1 when all are finite. */
export function firstNonFinite(t: Tensor): number {
  checkTensor('firstNonFinite', 'tensor', t, 'float32');
  return t.backend.firstNonFinite(t.buffer, t.offset, t.size);
}

/** Where a named tensor first holds a non-finite value. */
export interface NonFiniteHit {
  name: string;
  /** Flat (row-major) element index. */
  index: number;
  value: number;
}

/**
 * The first tensor, in iteration order, holding a NaN/±Inf, with the first such element;
 * null when every tensor is finite. int32 tensors are always finite and are skipped.
 */
export function findNonFinite(named: NamedTensors): NonFiniteHit | null {
  for (const [name, t] of namedEntries(named)) {
    if (t.dtype !== 'float32') continue;
    const index = t.backend.firstNonFinite(t.buffer, t.offset, t.size);
    if (index >= 0) return { name, index, value: t.buffer.read(t.offset + index, 1)[0] };
  }
  return null;
}
