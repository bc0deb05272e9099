/**
 * Argument checks for every public entry point. Each returns the value (narrowed) when it is
 * acceptable and otherwise throws an Error that names the function, the argument, what was
 * expected and what came:
 *
 *   add: argument 'b' must be a Tensor, got undefined
 *   zeros: argument 'shape' must be an array of non-negative integers, got string 'abc'
 *   adam: option 'lr' must be >= 0, got -1
 *
 * `name` is an argument's name ('b' renders as "argument 'b'") or any other label, used as it
 * is ("option 'lr'", "labels[3]"). Wrong types throw TypeError, wrong values RangeError. The
 * checks are cheap when they pass: the message is only built on failure.
 */
import { Tensor, type DType } from '../tensor.js';
import { describeValue } from './describe.js';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** "argument 'b'" for a bare name, the label itself otherwise. */
export const label = (name: string): string => (IDENTIFIER.test(name) ? `argument '${name}'` : name);

/** The message every check throws: `${op}: ${label} must be ${expected}, got ${value}`. */
export function mustBe(op: string, name: string, expected: string, value: unknown): string {
  return `${op}: ${label(name)} must be ${expected}, got ${describeValue(value)}`;
}

/** Throws a TypeError with mustBe's message. */
export function typeError(op: string, name: string, expected: string, value: unknown): never {
  throw new TypeError(mustBe(op, name, expected, value));
}

/** Throws a RangeError with mustBe's message. */
export function rangeError(op: string, name: string, expected: string, value: unknown): never {
  throw new RangeError(mustBe(op, name, expected, value));
}

/** Bounds of a number; `Open` bounds exclude the value itself. */
export interface Bounds {
  min?: number;
  minOpen?: number;
  max?: number;
  maxOpen?: number;
  integer?: boolean;
  /** Accept -Infinity and Infinity (within the other bounds). */
  infinite?: boolean;
  /** Accept NaN too (a diverged loss in a record). */
  nan?: boolean;
}

function boundsText(b: Bounds): string {
  const parts: string[] = [];
  if (b.min !== undefined) parts.push(`>= ${b.min}`);
  if (b.minOpen !== undefined) parts.push(`> ${b.minOpen}`);
  if (b.max !== undefined) parts.push(`<= ${b.max}`);
  if (b.maxOpen !== undefined) parts.push(`< ${b.maxOpen}`);
  const range = parts.join(' and ');
  if (b.integer) return `an integer${range ? ` ${range}` : ''}`;
  // "finite" goes unsaid beside a range: the value that came (Infinity) shows what was wrong.
  if (range) return range;
  return b.infinite ? 'a number other than NaN' : 'a finite number';
}

/** A number (not NaN; finite unless `bounds.infinite`) within `bounds`. */
export function checkNumber(op: string, name: string, value: unknown, bounds: Bounds = {}): number {
  if (typeof value !== 'number') typeError(op, name, bounds.integer ? 'an integer' : 'a number', value);
  if (bounds.nan && Number.isNaN(value)) return value;
  const ok = !Number.isNaN(value)
    && (bounds.infinite || Number.isFinite(value))
    && (bounds.min === undefined || value >= bounds.min)
    && (bounds.minOpen === undefined || value > bounds.minOpen)
    && (bounds.max === undefined || value <= bounds.max)
    && (bounds.maxOpen === undefined || value < bounds.maxOpen)
    && (!bounds.integer || Number.isSafeInteger(value));
  if (!ok) rangeError(op, name, boundsText(bounds), value);
  return value;
}

/** An integer (a safe one) within `bounds`. */
export const checkInteger = (op: string, name: string, value: unknown, bounds: Omit<Bounds, 'integer' | 'infinite'> = {}): number =>
  checkNumber(op, name, value, { ...bounds, integer: true });

/** A count or index that native code holds in an int32: an integer in [min, 2^31 - 1]. */
export const checkInt32 = (op: string, name: string, value: unknown, min = 0): number =>
  checkNumber(op, name, value, { min, max: 2 ** 31 - 1, integer: true });

export function checkBoolean(op: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') typeError(op, name, 'a boolean', value);
  return value;
}

export function checkString(op: string, name: string, value: unknown, nonEmpty = false): string {
  if (typeof value !== 'string') typeError(op, name, nonEmpty ? 'a non-empty string' : 'a string', value);
  if (nonEmpty && value.length === 0) rangeError(op, name, 'a non-empty string', value);
  return value;
}

/** One of `choices` (strings compared exactly). */
export function checkChoice<T extends string | number | boolean>(op: string, name: string, value: unknown, choices: readonly T[]): T {
  if (!choices.includes(value as T)) {
    const list = choices.map((c) => (typeof c === 'string' ? `'${c}'` : String(c))).join(', ');
    const fail = typeof value === typeof choices[0] ? rangeError : typeError;
    fail(op, name, `one of ${list}`, value);
  }
  return value as T;
}

export function checkFunction<F extends (...args: never[]) => unknown>(op: string, name: string, value: unknown): F {
  if (typeof value !== 'function') typeError(op, name, 'a function', value);
  return value as F;
}

/** A class, whatever its constructor's visibility (abstract and protected ones included). */
export type Class<T> = { readonly prototype: T; readonly name: string };

/**
 * `value instanceof type`, false instead of throwing for a Proxy whose getPrototypeOf trap
 * throws: the check must fail with this module's message, not the caller's trap's.
 */
export function isInstance<T>(value: unknown, type: Class<T>): value is T {
  try {
    return value instanceof (type as unknown as new () => T);
  } catch {
    return false;
  }
}

/** A live (not disposed) Tensor, of `dtype` when given. */
export function checkTensor(op: string, name: string, value: unknown, dtype?: DType): Tensor {
  if (!isInstance(value, Tensor)) typeError(op, name, dtype ? `a ${dtype} Tensor` : 'a Tensor', value);
  if (value.disposed) rangeError(op, name, 'a live Tensor', value);
  if (dtype && value.dtype !== dtype) typeError(op, name, `a ${dtype} Tensor`, value);
  return value;
}

/** checkTensor, or null for null and undefined. */
export function checkOptionalTensor(op: string, name: string, value: unknown, dtype?: DType): Tensor | null {
  return value === undefined || value === null ? null : checkTensor(op, name, value, dtype);
}

/** An instance of `type` (described as `what`, default its class name). */
export function checkInstance<T>(op: string, name: string, value: unknown, type: Class<T>, what = `a ${type.name}`): T {
  if (!isInstance(value, type)) typeError(op, name, what, value);
  return value;
}

/** An object that is not an array, typed array, Tensor or function (options, state dicts). */
export function checkPlainObject(op: string, name: string, value: unknown, what = 'a plain object'): Record<string, unknown> {
  if (!isPlainObject(value)) typeError(op, name, what, value);
  return value as Record<string, unknown>;
}

/** A plain object: `{...}` or Object.create(null), not a class instance, array or function. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  try {
    const proto: unknown = Object.getPrototypeOf(value);
    return proto === null || proto === Object.prototype;
  } catch {
    return false;
  }
}

/** A real array (Array.isArray), of at most `maxLength` items. */
export function checkArray(op: string, name: string, value: unknown, what = 'an array'): unknown[] {
  if (!Array.isArray(value)) typeError(op, name, what, value);
  return value;
}

/** An array or typed array of numbers, each passing `bounds` (finite by default). */
export function checkNumbers(op: string, name: string, value: unknown, bounds: Bounds = {}): ArrayLike<number> {
  const what = `an array of ${bounds.integer ? 'integers' : 'numbers'}`;
  if (!Array.isArray(value) && !isNumericTypedArray(value)) typeError(op, name, what, value);
  const list = value as ArrayLike<unknown>;
  for (let i = 0; i < list.length; i++) checkNumber(op, `${label(name)}[${i}]`, list[i], bounds);
  return list as ArrayLike<number>;
}

/** A typed array holding numbers (not a BigInt64Array, not a DataView). */
export function isNumericTypedArray(value: unknown): value is ArrayLike<number> {
  return ArrayBuffer.isView(value) && !(value instanceof DataView)
    && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array);
}

/** Most elements a tensor may have (the native kernels index with 64-bit sizes below this). */
export const MAX_ELEMENTS = 2 ** 32;

/** A shape: non-negative integers, each and their product at most MAX_ELEMENTS. */
export function checkShape(op: string, name: string, value: unknown): number[] {
  const expected = 'an array of non-negative integers';
  if (!Array.isArray(value)) typeError(op, name, expected, value);
  let size = 1;
  for (const d of value) {
    if (!Number.isSafeInteger(d) || (d as number) < 0 || (d as number) > MAX_ELEMENTS) {
      (typeof d === 'number' ? rangeError : typeError)(op, name, expected, value);
    }
    size *= d as number;
  }
  if (size > MAX_ELEMENTS) rangeError(op, name, `a shape of at most 2^32 elements (${size} here)`, value);
  return value as number[];
}
