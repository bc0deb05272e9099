/**
 * The cases of one target, generated from its valid call: each replaces one thing of the valid
 * argument list with a hostile value, so every argument's check is reached (a case with all
 * arguments hostile would only ever reach the first check).
 *
 * Systematic cases: every argument position with every hostile value; trailing arguments left
 * out; for an options object (a plain-object argument) an unknown key, a snake_case spelling,
 * every key with every hostile value, and a key whose getter throws; for an array argument
 * (a shape, a list of milestones) each element with the hostile numbers. Then random cases from
 * fast-check with a seed fixed per target: one or two positions with generated values (numbers
 * of every kind, strings, nested arrays and objects).
 */
import fc from 'fast-check';
import { HOSTILE, HOSTILE_THROW } from './hostile.js';
import { isPlainObject } from '../../src/validate/arguments.js';

export interface Case {
  name: string;
  /** Turns the valid argument list into this case's. */
  edit: (args: unknown[]) => unknown[];
}

const RANDOM_CASES = 12;
const HOSTILE_NUMBERS = HOSTILE.filter(([, make]) => typeof make() === 'number');
/** Hostile values for options: the whole list but the tensors (an option rarely takes one). */
const HOSTILE_OPTION_VALUES = HOSTILE.filter(([name]) => !/tensor/.test(name) || name === 'a tensor [2, 3]');

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const replaced = (args: unknown[], i: number, v: unknown) => {
  const out = [...args];
  out[i] = v;
  return out;
};

function withOption(args: unknown[], i: number, key: string, value: () => unknown): unknown[] {
  return replaced(args, i, { ...(args[i] as object), [key]: value() });
}

function withThrowingGetter(args: unknown[], i: number, key: string): unknown[] {
  const copy = { ...(args[i] as object) };
  Object.defineProperty(copy, key, { enumerable: true, get() { throw new Error(HOSTILE_THROW); } });
  return replaced(args, i, copy);
}

/** fast-check's generated values: everything JSON can hold and then some. */
const generated = fc.oneof(
  fc.double(),
  // Small integers, and huge ones only past every limit (2^31 and up): a valid size near 2^31
  // would allocate gigabytes, which is the caller's right, not a fault.
  fc.integer({ min: -(2 ** 20), max: 2 ** 20 }),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, -(2 ** 53), 2 ** 32 + 1, 1e300),
  fc.string(),
  fc.array(fc.oneof(fc.double(), fc.integer()), { maxLength: 5 }),
  fc.array(fc.array(fc.integer(), { maxLength: 3 }), { maxLength: 3 }),
  fc.object({ maxDepth: 2 }),
  fc.boolean(),
  fc.constant(undefined),
  fc.constant(null),
);

/** A small deterministic hash of the target key, to seed its random cases. */
function seedOf(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Every case for a target whose valid argument list is `valid` (positions in `fixed` stay). */
export function casesFor(key: string, valid: unknown[], fixed: readonly number[] = []): Case[] {
  const cases: Case[] = [];
  const free = valid.map((_, i) => i).filter((i) => !fixed.includes(i));
  for (let n = valid.length - 1; n >= 0; n--) {
    if (fixed.some((i) => i >= n)) break;
    cases.push({ name: `only the first ${n} arguments`, edit: (a) => a.slice(0, n) });
  }
  for (const i of free) {
    for (const [name, make] of HOSTILE) cases.push({ name: `argument ${i} = ${name}`, edit: (a) => replaced(a, i, make()) });
    const v = valid[i];
    if (isPlainObject(v)) {
      cases.push({ name: `argument ${i} with an unknown option`, edit: (a) => withOption(a, i, 'noSuchOption', () => 1) });
      for (const key of Object.keys(v)) {
        if (snake(key) !== key) {
          cases.push({ name: `argument ${i} option ${snake(key)}`, edit: (a) => withOption(a, i, snake(key), () => (v as Record<string, unknown>)[key]) });
        }
        for (const [name, make] of HOSTILE_OPTION_VALUES) {
          cases.push({ name: `argument ${i} option ${key} = ${name}`, edit: (a) => withOption(a, i, key, make) });
        }
        cases.push({ name: `argument ${i} option ${key} getter throws`, edit: (a) => withThrowingGetter(a, i, key) });
      }
    } else if (Array.isArray(v) && v.length > 0 && v.length <= 8 && v.every((x) => typeof x === 'number')) {
      for (let j = 0; j < v.length; j++) {
        for (const [name, make] of HOSTILE_NUMBERS) {
          cases.push({ name: `argument ${i}[${j}] = ${name}`, edit: (a) => replaced(a, i, (a[i] as unknown[]).map((x, k) => (k === j ? make() : x))) });
        }
      }
    }
  }
  if (free.length > 0) {
    const arb = fc.array(fc.tuple(fc.constantFrom(...free), generated), { minLength: 1, maxLength: 2 });
    fc.sample(arb, { seed: seedOf(key), numRuns: RANDOM_CASES }).forEach((edits, r) => {
      cases.push({
        name: `random ${r}: ${edits.map(([i, x]) => `argument ${i} = ${describeGenerated(x)}`).join(', ')}`,
        edit: (a) => edits.reduce((acc, [i, x]) => replaced(acc, i, structuredClone(x)), a),
      });
    });
  }
  return cases;
}

function describeGenerated(x: unknown): string {
  try {
    const s = typeof x === 'number' ? String(x) : JSON.stringify(x) ?? String(x);
    return s.length > 40 ? `${s.slice(0, 40)}…` : s;
  } catch {
    return typeof x;
  }
}
