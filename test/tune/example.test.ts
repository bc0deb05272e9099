// examples/tune_mlp.ts runs as a user runs it (tsx), with few trials and epochs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('examples/tune_mlp.ts', () => {
  it('tunes the handbook MLP (MedianPruner through PruningCallback) and resumes from its journal', () => {
    const dir = mkdtempSync(join(tmpdir(), 'steepest-tune-example-'));
    const run = (trials: number) => execFileSync(process.execPath, ['--import', 'tsx', 'examples/tune_mlp.ts'], {
      env: { ...process.env, TUNE_TRIALS: String(trials), TUNE_EPOCHS: '2', TUNE_JOURNAL: join(dir, 'mlp.jsonl') },
      encoding: 'utf8', timeout: 240_000,
    });
    try {
      const first = run(4);
      expect(first).toMatch(/^Trial 0 finished with value: [\d.]+ and parameters: \{"lr":0.001,"weightDecay":0.000001,"hidden":128\}/m);
      expect(first).toMatch(/^4 trials: \d complete, \d pruned, 0 failed$/m);
      const second = run(2);
      const m = /^(\d+) trials: (\d+) complete, (\d+) pruned, 0 failed$/m.exec(second);
      expect(Number(m?.[1])).toBe(6);
      expect(Number(m![2]) + Number(m![3])).toBe(6);
      expect(Number(/best trial \d+: val accuracy ([\d.]+)%/.exec(second)?.[1])).toBeGreaterThan(75);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
