import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'steepest-pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('native thread pool', () => {
  // The pool is C++ only (kernels call it, JS does not), so this compiles a small stress
  // program against native/cpu/threadpool.cc with the same compiler node-gyp uses.
  it('runs every task exactly once while threads claim tasks in turn (140,000 jobs)', () => {
    const binary = join(dir, 'threadpool_stress');
    execFileSync('g++', ['-O2', '-std=c++17', '-pthread', '-I', join(root, 'native'),
      join(root, 'native/cpu/threadpool.cc'), join(here, 'threadpool_stress.cc'), '-o', binary]);
    const out = execFileSync(binary, { encoding: 'utf8', timeout: 180_000 });
    expect(out.trim()).toBe('ok 140000');
  });
});
