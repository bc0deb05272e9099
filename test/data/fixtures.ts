/** Loads the scikit-learn / imbalanced-learn fixtures written by bench/reference/data_fixtures.py. */
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'data');

export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(dir, name), 'utf8')) as T;
}

/** Class -> count, with string keys as JSON writes them. */
export function countsOf(y: ArrayLike<number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < y.length; i++) out[String(y[i])] = (out[String(y[i])] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort((a, b) => Number(a[0]) - Number(b[0])));
}
