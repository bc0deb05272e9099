/**
 * Point 4 of issue 2: every N-API entry point rejects bad input with an Error naming the op,
 * and no call from JavaScript crashes the process.
 *
 * The cases (bad_input_cases.ts) run in a child process (bad_input_child.ts) so that a crash
 * is observed as a crash — the case in flight is reported and the remaining bindings still
 * run in a fresh child — instead of taking the test runner down with it.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { addon as native } from '../../src/backend/addon.js';
import { addonFunctionNames, specs } from './bad_input_cases.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

interface CaseResult {
  key: string;
  case: string;
  expect: 'must' | 'either';
  threw: boolean;
  isError: boolean;
  message: string;
}

interface BindingReport {
  valid?: true | string;
  after?: boolean;
  crash?: string;
  cases: CaseResult[];
}

/** Runs every binding's cases, restarting the child after the binding whose case killed it. */
function runAll(keys: string[]): Map<string, BindingReport> {
  const reports = new Map(keys.map((k) => [k, { cases: [] } as BindingReport]));
  let remaining = keys;
  while (remaining.length > 0) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'bad_input_child.ts'), ...remaining], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: 180_000,
    });
    let inFlight: [string, string] | null = null;
    let done = false;
    for (const line of child.stdout.split('\n')) {
      if (!line) continue;
      const msg = JSON.parse(line);
      if (msg.start) inFlight = msg.start;
      else if (msg.done) done = true;
      else {
        inFlight = null;
        const r = reports.get(msg.key)!;
        if ('valid' in msg) r.valid = msg.valid;
        else if ('after' in msg) r.after = true;
        else r.cases.push(msg);
      }
    }
    if (done && child.status === 0) break;
    const why = child.signal ? `signal ${child.signal}` : `exit status ${child.status}`;
    if (!inFlight) throw new Error(`bad-input child died outside a case (${why}): ${child.stderr}`);
    const [key, name] = inFlight;
    reports.get(key)!.crash = `case "${name}" killed the process (${why})`;
    remaining = remaining.slice(remaining.indexOf(key) + 1);
  }
  return reports;
}

/** The message names the op: it starts with one of the op's names and a colon. */
const namesOp = (names: string[], message: string) => names.some((n) => message.startsWith(`${n}:`));

describe('bad input to the native addon', () => {
  const keys = Object.keys(specs).sort();

  it('covers every function the addon exports', () => {
    const exported = addonFunctionNames();
    // A new binding without bad-input cases fails here; so does a spec for a removed one.
    expect(exported.filter((k) => !(k in specs))).toEqual([]);
    expect(keys.filter((k) => !exported.includes(k))).toEqual([]);
  });

  const reports = runAll(keys);

  for (const key of keys) {
    it(`${key}: rejects every bad input with an Error naming the op, and survives`, () => {
      const r = reports.get(key)!;
      expect(r.crash, 'process crash').toBeUndefined();
      expect(r.valid, 'the unmodified valid call').toBe(true);
      expect(r.cases.length).toBeGreaterThan(0);
      const wrong = r.cases
        .filter((c) => (c.threw ? !c.isError || !namesOp(specs[key].names, c.message) : c.expect === 'must'))
        .map((c) => `${c.case}: ${c.threw ? `threw "${c.message}"` : 'returned'}`);
      expect(wrong).toEqual([]);
      expect(r.after, 'a valid call after the bad ones').toBe(true);
    });
  }

  it('NativeBuffer methods called on a foreign receiver throw instead of crashing', () => {
    const proto = native.NativeBuffer.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
    for (const name of ['read', 'write', 'copyFrom', 'dispose']) {
      for (const receiver of [{}, Object.create(proto), null]) {
        // V8 checks the receiver before the binding runs, so the message is V8's own.
        expect(() => proto[name].call(receiver, 0, 0), name).toThrow(Error);
      }
    }
    expect(() => Object.getOwnPropertyDescriptor(proto, 'length')!.get!.call({})).toThrow(Error);
  });

  it('the NativeBuffer constructor needs new', () => {
    expect(() => (native.NativeBuffer as unknown as (...a: unknown[]) => unknown)('float32', 2)).toThrow(TypeError);
  });
});
