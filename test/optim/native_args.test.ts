/** The optimStep binding rejects malformed calls with clear errors instead of crashing. */
import { describe, expect, it } from 'vitest';
import { addon as native } from '../../src/backend/addon.js';
import { cpuBackend } from '../../src/backend/cpu.js';
import { neutralRow, StepTable } from '../../src/optim/step_table.js';

const optimAddon = native;

const buf = (n: number) => new native.NativeBuffer('float32', n, true);

describe('optimStep argument checks', () => {
  const table = () => {
    const t = new StepTable(1);
    t.writeGlobal({ clipValue: Infinity, clipNorm: 0, checkFinite: false });
    t.writeRow(0, { ...neutralRow(), count: 16, lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, stepSize: 1, bc2Sqrt: 1 });
    return t;
  };
  const kinds = optimAddon.optimKinds;

  it('runs a well-formed call', () => {
    const t = table();
    expect(t.run(cpuBackend, 'adam', buf(16), buf(16), [buf(16), buf(16)], 16).applied).toBe(true);
  });
  it('rejects a slice outside the arena', () => {
    const t = table();
    t.writeRow(0, { ...neutralRow(), offset: 8, count: 16 });
    expect(() => t.run(cpuBackend, 'sgd', buf(16), buf(16), [], 16)).toThrow(/sgd: group 0: slice \[8, \+16\) must be whole numbers inside the arena of 16/);
  });
  it('rejects a missing state arena, arenas that are too short, or shared', () => {
    const t = table();
    expect(() => t.run(cpuBackend, 'adam', buf(16), buf(16), [buf(16)], 16)).toThrow('adam: group 0 needs state 1, got null');
    expect(() => t.run(cpuBackend, 'adam', buf(16), buf(8), [buf(16), buf(16)], 16)).toThrow(/adam: grad arena needs 16 elements/);
    const shared = buf(16);
    expect(() => t.run(cpuBackend, 'adam', buf(16), shared, [shared, buf(16)], 16)).toThrow('adam: arenas must not share memory');
  });
  it('rejects a malformed table and bad kinds', () => {
    const p = buf(16);
    expect(() => optimAddon.optimStep(kinds.sgd, p, 0, buf(16), 0, null, 0, null, 0, null, 0, 16, new Float64Array(7)))
      .toThrow(/sgd: table must hold 6 \+ k \* 23 numbers, got 7/);
    expect(() => optimAddon.optimStep(9, p, 0, buf(16), 0, null, 0, null, 0, null, 0, 16, new Float64Array(6)))
      .toThrow(/optimStep: kind must be in \[0, 3\], got 9/);
    expect(() => optimAddon.optimStep(kinds.sgd, p, 0, buf(16), 0, null, 0, null, 0, null, 0, 16, [] as never))
      .toThrow('sgd: table must be a Float64Array');
    const t = table();
    t.data[t.data.length - 1] = Number.NaN;
    expect(() => t.run(cpuBackend, 'adam', buf(16), buf(16), [buf(16), buf(16)], 16)).toThrow(/adam: group 0: clr must be finite/);
  });
  it('rejects a disposed arena', () => {
    const p = buf(16);
    p.dispose();
    expect(() => table().run(cpuBackend, 'adam', p, buf(16), [buf(16), buf(16)], 16)).toThrow(/param arena tensor was disposed/);
  });
});
