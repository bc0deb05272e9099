/**
 * Runs a snippet of ES module code in a child Node process (the TypeScript sources load
 * through tsx) for the calls that used to hang: a synchronous endless loop in the test's own
 * process would stall the whole suite, in a child it is a timeout that fails the test.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ChildResult {
  /** What the snippet printed, trimmed. */
  stdout: string;
  stderr: string;
  status: number | null;
  /** 'SIGTERM' when it ran past the timeout. */
  signal: NodeJS.Signals | null;
}

/** `code` runs with `data` (steepest's data namespace) in scope. */
export function runDataChild(code: string, timeoutMs = 30_000): ChildResult {
  const script = `const { data } = await import(${JSON.stringify(join(root, 'src', 'index.ts'))});\n${code}`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: root, encoding: 'utf8', timeout: timeoutMs,
  });
  return { stdout: r.stdout.trim(), stderr: r.stderr, status: r.status, signal: r.signal };
}
