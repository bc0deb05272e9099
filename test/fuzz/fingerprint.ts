/**
 * A string that changes when observable state changes: a tensor's values and gradient, a
 * module's parameters, buffers and mode, an optimizer's groups, steps and state buffers, the
 * default generator's position. Taken before and after a call that threw, it shows whether
 * the call changed anything before it threw (issue 13: "a call that throws changes no state").
 */
import { Generator, Tensor, nn } from '../../src/index.js';

const MAX_DEPTH = 4;
const MAX_ITEMS = 64;

export function fingerprint(value: unknown): string {
  try {
    return fp(value, 0, new Set());
  } catch {
    return '<uninspectable>';
  }
}

function fp(v: unknown, depth: number, seen: Set<unknown>): string {
  if (v === null || typeof v !== 'object') return typeof v === 'function' ? 'fn' : `${typeof v}:${String(v)}`;
  if (seen.has(v)) return '<seen>';
  seen.add(v);
  if (v instanceof Tensor) {
    const values = v.disposed ? 'disposed' : Array.from(v.toArray().slice(0, 4096)).join(',');
    return `T(${v.dtype};${v.shape.join('x')};${values};rg=${v.requiresGrad};g=${v.grad ? fp(v.grad, depth, seen) : '-'})`;
  }
  if (v instanceof Generator) return `G(${v.seed},${v.offset})`;
  if (v instanceof nn.Module) {
    const entries = [...v.namedParameters(), ...v.namedBuffers()].map(([k, t]) => `${k}=${fp(t, depth, seen)}`);
    return `M(${v.training};${entries.join(';')};${v.modules().map((m) => m.training).join('')})`;
  }
  if (isNativeBuffer(v)) return v.disposed ? 'B(disposed)' : `B(${Array.from(v.read(0, Math.min(v.length, 4096))).join(',')})`;
  if (depth >= MAX_DEPTH) return '<deep>';
  if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const items = Array.from(v as ArrayLike<unknown>).slice(0, MAX_ITEMS);
    return `[${items.map((x) => fp(x, depth + 1, seen)).join(',')}]`;
  }
  if (v instanceof Map) return `Map(${[...v].slice(0, MAX_ITEMS).map(([k, x]) => `${String(k)}=${fp(x, depth + 1, seen)}`).join(',')})`;
  if (v instanceof Set) return `Set(${v.size})`;
  if (v instanceof Promise) return 'Promise';
  const keys = Object.keys(v).slice(0, MAX_ITEMS);
  return `{${keys.map((k) => `${k}:${fp((v as Record<string, unknown>)[k], depth + 1, seen)}`).join(',')}}`;
}

interface BufferLike {
  disposed: boolean;
  length: number;
  read(offset: number, count: number): ArrayLike<number>;
}

function isNativeBuffer(v: object): v is BufferLike {
  return v.constructor?.name === 'NativeBuffer';
}
