/**
 * Option-bag checks shared by the tune area: an unknown key is an error that names the nearest
 * known key (edit distance), so a typo such as `nStartupTrails` fails loudly instead of being
 * ignored.
 */
import { describeValue, readSafely } from '../validate/index.js';

/** Throws when `options` holds a key outside `known`, naming the closest known key. */
export function checkOptionKeys(fn: string, options: object | undefined, known: readonly string[]): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${fn}: options must be an object, got ${describeValue(options)}`);
  }
  for (const key of readSafely(fn, 'options', () => Object.keys(options))) {
    if (known.includes(key)) continue;
    const near = nearest(key, known);
    throw new TypeError(`${fn}: unknown option '${key}'${near ? ` (did you mean '${near}'?)` : ''}; known options: ${known.join(', ')}`);
  }
}

/** The known name with the smallest edit distance to `name`, when it is close enough to help. */
export function nearest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return bestDistance <= Math.max(2, Math.ceil(name.length / 3)) ? best : undefined;
}

/** Levenshtein distance (insert, delete, substitute all cost 1), two-row dynamic programme. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

/** Checks an integer option: `fn: name must be an integer >= min, got value`. */
export function checkInt(fn: string, name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${fn}: ${name} must be an integer >= ${min}, got ${describeValue(value)}`);
  return value;
}

/** Checks a finite number option in [min, max]. */
export function checkNumber(fn: string, name: string, value: number, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    const range = min === -Infinity && max === Infinity ? 'finite' : max === Infinity ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new RangeError(`${fn}: ${name} must be a number ${range}, got ${describeValue(value)}`);
  }
  return value;
}

/** Draws a 48-bit seed from the OS when the caller gave none (Optuna's seed=None). */
export function freshSeed(): number {
  const words = new Uint32Array(2);
  globalThis.crypto.getRandomValues(words);
  return words[0] * 2 ** 16 + (words[1] >>> 16);
}
