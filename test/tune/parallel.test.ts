// Trials in worker threads: every trial runs once and is recorded with the value its parameters
// give, on more than one thread; each worker's native thread budget is its own; failures,
// pruning, a worker that exits and a hung trial are recorded as such and the study goes on.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { numThreads } from '../../src/runtime.js';
import { tune } from '../../src/index.js';

const objective = join(import.meta.dirname, 'fixtures', 'parallel_objective.ts');

describe('optimize with concurrency (worker threads)', () => {
  it('runs every trial once across the workers, with its own native thread budget', async () => {
    const before = numThreads();
    const study = await tune.createStudy({ sampler: new tune.TPESampler({ seed: 1, nStartupTrials: 4 }) });
    const lines: string[] = [];
    await study.optimize(objective, { nTrials: 10, concurrency: 2, threadsPerTrial: 1, log: (l) => lines.push(l) });
    const trials = study.trials;
    expect(trials).toHaveLength(10);
    expect(new Set(trials.map((t) => t.number)).size).toBe(10);
    for (const t of trials) {
      expect(t.state).toBe('COMPLETE');
      expect(t.value).toBeCloseTo(((t.params.x as number) - 1) ** 2 + (t.params.k as number), 12);
      expect(t.intermediateValues.size).toBe(3);
      expect(t.userAttrs.nativeThreads).toBe(1);
    }
    expect(new Set(trials.map((t) => t.userAttrs.threadId)).size).toBe(2);
    expect(lines).toHaveLength(10);
    expect(numThreads()).toBe(before); // the workers' budgets did not change this thread's
  });

  it('records a failure, a pruned trial, a worker that exits and a hung trial, and goes on', async () => {
    process.env.MISBEHAVE = '1';
    try {
      const study = await tune.createStudy({ sampler: new tune.RandomSampler({ seed: 2 }) });
      await study.optimize(objective, { nTrials: 8, concurrency: 2, trialTimeoutMs: 3000 });
      const byNumber = new Map(study.trials.map((t) => [t.number, t]));
      expect(byNumber.get(1)).toMatchObject({ state: 'FAIL', errorMessage: 'objective failed on purpose' });
      expect(byNumber.get(2)!.state).toBe('PRUNED');
      expect(byNumber.get(3)!.state).toBe('FAIL');
      expect(byNumber.get(3)!.errorMessage).toMatch(/worker thread exited \(code 3\)/);
      expect(byNumber.get(4)!.state).toBe('FAIL');
      expect(byNumber.get(4)!.errorMessage).toMatch(/timed out after 3000 ms/);
      for (const n of [0, 5, 6, 7]) expect(byNumber.get(n)!.state).toBe('COMPLETE');
    } finally {
      delete process.env.MISBEHAVE;
    }
  });

  it('refuses a function with concurrency > 1, and a module without an objective', async () => {
    const study = await tune.createStudy();
    await expect(study.optimize(() => 1, { nTrials: 2, concurrency: 2 })).rejects.toThrow(/optimize: concurrency > 1 runs trials in worker threads/);
    await expect(study.optimize(join(import.meta.dirname, 'helpers', 'objectives.ts'), { nTrials: 1, concurrency: 2 })).rejects.toThrow(/exports no objective function/);
  });
});
