/**
 * Issue 13, point 8: a public-API fuzz test. Every export and method (enumerated from
 * src/index.ts, see surface.ts) is called with hostile arguments (cases.ts: wrong types, NaN,
 * infinities, huge and negative sizes, disposed tensors, empty arrays, unknown option keys,
 * objects whose getters throw, and fast-check's random values), in child processes. It fails on
 * any crash, hang, unclear message (an engine TypeError, or one that does not name the
 * function) and any call that threw after changing state.
 *
 * FUZZ_ONLY=<regex> restricts the run to matching target keys (for working on one area).
 */
import { describe, expect, it } from 'vitest';
import { isInternal, runnerFor, targets } from './resolve.js';
import { runFuzz, type CaseResult } from './run_children.js';
import { specs } from './specs/index.js';

const only = process.env.FUZZ_ONLY ? new RegExp(process.env.FUZZ_ONLY) : null;
const publicTargets = targets.filter((t) => !isInternal(specs, t));

const show = (rs: CaseResult[]) => rs.slice(0, 40).map((r) => `${r.key} [${r.name}]: ${r.message}`);

describe('public-API fuzz', () => {
  it('has a spec for every public export and method, and none for a missing one', () => {
    const missing = publicTargets.map((t) => [t.key, runnerFor(specs, t)] as const).filter(([, r]) => typeof r === 'string' && r !== 'abstract (no ctor spec)');
    expect(missing.map(([k, why]) => `${k}: ${why}`)).toEqual([]);
    // A spec's method must exist on the class or on a subclass (abstract methods exist only there).
    const members = new Map<unknown, Set<string>>();
    for (const t of targets) {
      if (!t.method) continue;
      for (let c: unknown = t.type; typeof c === 'function'; c = Object.getPrototypeOf(c)) {
        if (!members.has(c)) members.set(c, new Set());
        members.get(c)!.add(t.method);
      }
    }
    const classes = new Map(targets.filter((t) => t.kind === 'constructor').map((t) => [t.path, t.type]));
    const stale = [
      ...Object.keys(specs.functions).filter((k) => !targets.some((t) => t.kind === 'function' && t.key === k)),
      ...Object.keys(specs.classes).filter((p) => !classes.has(p)),
      ...Object.entries(specs.classes).flatMap(([p, c]) => [...Object.keys(c.methods ?? {}), ...Object.keys(c.statics ?? {}), ...(c.internal ?? [])]
        .filter((m) => !members.get(classes.get(p))?.has(m)).map((m) => `${p}#${m}`)),
    ];
    expect(stale).toEqual([]);
  });

  it('ends every hostile call in a clear Error or a return: 0 crashes, 0 hangs, 0 unclear, 0 corrupting', async () => {
    const keys = publicTargets.filter((t) => typeof runnerFor(specs, t) !== 'string' && (!only || only.test(t.key))).map((t) => t.key);
    const report = await runFuzz(keys, 2);
    const by = (o: CaseResult['outcome']) => report.results.filter((r) => r.outcome === o);
    const unavailable = (r: CaseResult) => r.outcome === 'clear' && !!specs.functions[r.key]?.unavailable?.test(r.message);
    const invalid = report.results.filter((r) => r.index === 0 && r.outcome !== 'returned' && !unavailable(r));
    const counts = {
      targets: keys.length, calls: report.results.length, returned: by('returned').length, clear: by('clear').length,
      crashes: by('crash').length, hangs: by('hang').length, unclear: by('unclear').length, corrupting: by('corrupt').length,
      strays: report.strays.length,
    };
    console.log(`public-API fuzz: ${JSON.stringify(counts)}`);
    expect(invalid.map((r) => `${r.key}: the valid call ended ${r.outcome}: ${r.message}`)).toEqual([]);
    expect(show(by('crash'))).toEqual([]);
    expect(show(by('hang'))).toEqual([]);
    expect(report.strays.slice(0, 20)).toEqual([]);
    expect(show(by('corrupt'))).toEqual([]);
    expect(show(by('unclear'))).toEqual([]);
    expect(report.skipped).toEqual([]);
    expect(counts.calls).toBeGreaterThan(keys.length);
  }, 300_000);
});
