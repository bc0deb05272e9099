// The examples run as a user runs them (tsx), on the bundled Fashion-MNIST slice.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const run = (file: string, env: Record<string, string>) =>
  execFileSync(process.execPath, ['--import', 'tsx', file], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 240_000,
  });

describe('examples', () => {
  it('the demo trains the handbook MLP past 75% test accuracy in one epoch', () => {
    const report = join(tmpdir(), `steepest-demo-test-${process.pid}.html`);
    const out = run('examples/demo.ts', { DEMO_DATA: 'bundled', DEMO_EPOCHS: '1', DEMO_REPORT: report });
    expect(readFileSync(report, 'utf8')).toMatch(/<svg/);
    rmSync(report);
    expect(out).toMatch(/bundled 6k\/1k slice/);
    expect(out).toMatch(/report: .+\.html/);
    // Each epoch once: the ProgressBar's line (no second summary line), fixed decimals.
    expect(out.split('\n').filter((l) => /^epoch 1\/1/i.test(l))).toHaveLength(1);
    expect(out).toMatch(/^Epoch 1\/1 - \d+\.\d{2}s - loss \d\.\d{4} - accuracy \d\.\d{4} - valLoss \d\.\d{4} - valAccuracy \d\.\d{4} - lr 0\.001$/m);
    const accuracy = Number(/test accuracy ([\d.]+)%/.exec(out)?.[1]);
    expect(accuracy).toBeGreaterThan(75);
  }, 240_000);

  it('the handbook Keras snippet, translated, trains with compile/fit', () => {
    const out = run('examples/keras_fit.ts', { EPOCHS: '1' });
    expect(out).toMatch(/Epoch 1\/1 - [\d.]+s - loss [\d.]+ - accuracy [\d.]+ - valLoss [\d.]+ - valAccuracy [\d.]+/);
    expect(Number(/final val accuracy ([\d.]+)%/.exec(out)?.[1])).toBeGreaterThan(75);
  }, 240_000);

  it('the handbook PyTorch loop, translated, prints a finite loss per epoch', () => {
    const out = run('examples/handbook_loop.ts', { EPOCHS: '1' });
    const m = /Epoch 0: Loss=([\d.]+), Val=([\d.]+)/.exec(out);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeLessThan(1.0); // chance level is ln 10 = 2.30
  }, 240_000);
});
