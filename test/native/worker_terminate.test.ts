/**
 * Issue 13, point 2: terminating a worker thread at any moment of an op, a fit or a data load
 * leaves the process alive and the main thread's results correct.
 *
 * Before the fix every such termination could abort the whole process (SIGABRT, "terminate
 * called after throwing an instance of 'Napi::Error'"): a binding's N-API call fails while the
 * worker's environment is being torn down, node-addon-api turns that into a C++ exception, and
 * rethrowing it as a JS exception fails too, so it escaped the callback wrapper. The addon is
 * now built with NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS (binding.gyp and CMakeLists.txt).
 *
 * The terminations run in a child process (worker_terminate_child.ts) so that an abort is
 * observed as a signal instead of taking the test runner down.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

describe('worker threads terminated at random moments', () => {
  it('100 terminations during ops, fit and data loads: the process lives and the main thread stays exact', () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'worker_terminate_child.ts'), '100', '7'], {
      cwd: join(here, '..', '..'), encoding: 'utf8', timeout: 150_000,
    });
    const died = child.signal ? `signal ${child.signal}` : `exit status ${child.status}`;
    expect(child.status, `the child died (${died}): ${child.stderr.slice(-2000)}`).toBe(0);
    const report = JSON.parse(child.stdout.trim().split('\n').pop()!) as {
      terminations: number; duringStartup: number; checks: number; mismatches: number; errors: string[];
    };
    expect(report.errors).toEqual([]);
    expect(report.terminations).toBe(100);
    expect(report.duringStartup).toBe(10);
    expect(report.checks).toBeGreaterThanOrEqual(100);
    expect(report.mismatches).toBe(0);
  }, 160_000);
});
