/** Runs bench/data/reference.py with /usr/bin/python3 (torch 1.13, imblearn) and parses its JSON line. */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const script = join(dirname(fileURLToPath(import.meta.url)), 'reference.py');

/** What a reference run reports. */
export interface ReferenceResult {
  what: string;
  seconds: number[];
  samples?: number;
  counts?: Record<string, number>;
}

/** Runs one mode of reference.py; OpenBLAS tuning variables are removed, as the reference runs do. */
export function runReference(...args: string[]): ReferenceResult {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const out = execFileSync('/usr/bin/python3', [script, ...args], { encoding: 'utf8', env, maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as ReferenceResult;
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
