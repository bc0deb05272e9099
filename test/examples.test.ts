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

  it('tabular classification from a CSV: stratified splits, early stopping, test scores', () => {
    const out = run('examples/tabular_classification.ts', {});
    expect(out).toMatch(/^569 rows x 30 features, 2 classes; train 364, validation 91, test 114$/m);
    expect(out).toMatch(/^stopped after \d+ of 500 epochs/m);
    expect(Number(/accuracy ([\d.]+)%/.exec(out)?.[1])).toBeGreaterThan(90);
    const matrix = JSON.parse(/confusion matrix [^:]*: (.+)$/m.exec(out)![1]) as number[][];
    expect(matrix.flat().reduce((s, v) => s + v, 0)).toBe(114);
    expect(matrix.map((row) => row[0] + row[1])).toEqual([42, 72]); // the stratified test set: 37 % / 63 %
  }, 240_000);

  it('an imbalanced problem: no correction, class weights and SMOTE scored on the minority class', () => {
    const out = run('examples/imbalanced.ts', { EPOCHS: '30' });
    expect(out).toMatch(/^397 tumours, 40 malignant \(10\.1 %\); train 277 \(28 malignant\), test 120 \(12 malignant\)$/m);
    const rows = [...out.matchAll(/^\| ([^|]+) \| (\d+) \| ([\d.]+) % \| ([\d.]+) % \| ([\d.]+) % \| ([\d.]+) % \|$/gm)];
    expect(rows.map((r) => r[1].trim())).toEqual(['no correction', "classWeight 'balanced'", 'SMOTE (+221 synthetic)']);
    expect(rows.map((r) => Number(r[2]))).toEqual([277, 277, 498]); // SMOTE grows the minority to the majority's 249
    for (const r of rows) expect(Number(r[5])).toBeGreaterThan(50); // malignant recall well above chance
  }, 240_000);

  it('a regression with a schedule and checkpoints resumes to the same weights as an uninterrupted run', () => {
    const out = run('examples/regression_resume.ts', { EPOCHS: '10' });
    expect(out).toMatch(/^interrupted after epoch 5: /m);
    expect(out).toMatch(/^resumed from the checkpoint of epoch 5, finished epoch 10: /m);
    expect(out).toMatch(/^resumed vs uninterrupted: identical weights \(769 values\)$/m);
    expect(Number(/R² (-?[\d.]+)/.exec(out)?.[1])).toBeGreaterThan(0.2);
  }, 240_000);

  it('the LeNet-style CNN trains with fit on the bundled slice', () => {
    const out = run('examples/cnn.ts', { CNN_DATA: 'bundled', EPOCHS: '2' });
    expect(out).toMatch(/^Fashion-MNIST bundled slice: 6000 train, 1000 test images$/m);
    expect(Number(/test accuracy ([\d.]+)%/.exec(out)?.[1])).toBeGreaterThan(65); // chance: 10 %
  }, 240_000);

  it('the Transformer encoder learns to sort tokens', () => {
    const out = run('examples/transformer.ts', { STEPS: '100' });
    // Chance is ln 16 = 2.77 for the loss; 100 steps bring it near 0.8.
    expect(Number(/step 100: loss ([\d.]+)/.exec(out)?.[1])).toBeLessThan(1.5);
  }, 240_000);
});
