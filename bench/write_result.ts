/** Writes a benchmark's figures to bench/results/<name>.json (atomically) and says where. */
import { join } from 'node:path';
import { writeFileAtomic } from '../src/train/atomic_file.js';

export function writeResult(name: string, result: unknown): void {
  const target = join(import.meta.dirname, 'results', `${name}.json`);
  writeFileAtomic(target, JSON.stringify(result, null, 2) + '\n');
  console.log(`\nwrote ${target}`);
}
