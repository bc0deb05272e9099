/**
 * Child process of api_fuzz.test.ts: runs the cases of the targets named in argv[2] (JSON:
 * [[key, firstCase], ...]) and reports on file descriptor 3, one JSON line per case, written
 * synchronously before and after the call, so that when a case kills or hangs the process the
 * parent knows which one it was and restarts after it. stdout stays free for what the library
 * itself prints (a ProgressBar, verbose fit).
 *
 * Lines: {"start":[key,i]}, then {"r":[key,i,caseName,outcome,message]}; {"skip":[key,why]} for
 * a target without a runner; {"done":true} at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultGenerator, numThreads, setGradEnabled, setNumThreads } from '../../src/index.js';
import { emitLine } from '../helpers/child_lines.js';
import { casesFor, type Case } from './cases.js';
import { classifyThrow, safeString, type Outcome } from './classify.js';
import { fingerprint } from './fingerprint.js';
import { runnerFor, targets } from './resolve.js';
import { specs } from './specs/index.js';

/** How long an async call may take to settle before it counts as a hang. */
const ASYNC_LIMIT_MS = 5000;

/** Results go to fd 3: stdout is left to what the library itself prints. */
const emit = (o: unknown) => emitLine(o, 3);

let inFlight: [string, number] | null = null;
const stray = (what: string) => (e: unknown) => {
  emit({ stray: [inFlight, `${what}: ${e instanceof Error ? e.message : safeString(e)}`] });
};
process.on('unhandledRejection', stray('unhandled rejection'));
process.on('uncaughtException', stray('uncaught exception'));

// Hostile paths ('abc', '') are written relative to the working directory: keep them out of the
// repo, in a directory removed when the child exits (a killed child leaves it to the OS's tmp).
const workDir = mkdtempSync(join(tmpdir(), 'steepest-fuzz-'));
process.chdir(workDir);
process.on('exit', () => rmSync(workDir, { recursive: true, force: true }));

/** Settles a promise or the first step of an async iterator, or reports a hang. */
async function settle(result: unknown): Promise<'hang' | null> {
  let pending: Promise<unknown> | null = null;
  if (result instanceof Promise) pending = result;
  else if (result && typeof (result as AsyncIterator<unknown>).next === 'function' && Symbol.asyncIterator in (result as object)) {
    const it = result as AsyncGenerator<unknown>;
    pending = it.next().finally(() => it.return?.(undefined));
  }
  if (!pending) return null;
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<'hang'>((resolve) => (timer = setTimeout(() => resolve('hang'), ASYNC_LIMIT_MS)));
  try {
    return (await Promise.race([pending.then(() => null), limit])) as 'hang' | null;
  } finally {
    clearTimeout(timer);
  }
}

async function runCase(key: string, i: number, c: Case, runner: Exclude<ReturnType<typeof runnerFor>, string>): Promise<void> {
  inFlight = [key, i];
  emit({ start: [key, i] });
  let outcome: Outcome = 'returned';
  let message = '';
  try {
    const { self, args } = runner.prepare();
    const edited = c.edit(args);
    const watched = [self, ...edited, defaultGenerator];
    const before = fingerprint(watched);
    try {
      const result = runner.call(self, edited);
      if ((await settle(result)) === 'hang') outcome = 'hang';
    } catch (e) {
      ({ outcome, message } = classifyThrow(e, runner.names));
      if (fingerprint(watched) !== before) {
        outcome = 'corrupt';
        message = `state changed by a call that threw "${message}"`;
      }
    }
  } catch (e) {
    outcome = 'unclear';
    message = `the fuzz could not prepare the case: ${e instanceof Error ? e.message : safeString(e)}`;
  }
  emit({ r: [key, i, c.name, outcome, message] });
  inFlight = null;
  // Process-wide settings a case may legitimately change must not leak into the next target.
  setGradEnabled(true);
  if (numThreads() !== threads) setNumThreads(threads);
}

const threads = numThreads();

async function main(): Promise<void> {
  const requests = JSON.parse(process.argv[2]) as [string, number][];
  for (const [key, first] of requests) {
    const target = targets.find((t) => t.key === key);
    const runner = target ? runnerFor(specs, target) : 'no such target';
    if (typeof runner === 'string') {
      emit({ skip: [key, runner] });
      continue;
    }
    const valid = runner.prepare().args;
    const cases: Case[] = [{ name: 'the valid call', edit: (a) => a }, ...casesFor(key, valid, runner.fixed)];
    for (let i = first; i < cases.length; i++) await runCase(key, i, cases[i], runner);
  }
  emit({ done: true });
}

await main();
// Timers the library left (a never-aborted signal, a pending yield) must not keep the child alive.
process.exit(0);
