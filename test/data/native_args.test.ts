import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/index.js';
import { addon as dataAddon } from '../../src/backend/addon.js';

// Every data kernel binding validates its arguments and throws naming the op: no call from
// JavaScript may crash the process.
describe('data kernel bindings reject bad arguments', () => {
  const x = tensor(new Float32Array(12), [4, 3]);
  const idx = tensor(Int32Array.from([0, 1, 2, 3]));
  const out = tensor(new Int32Array(8));
  it('knn', () => {
    expect(() => dataAddon.knn(x.buffer, 0, 4, 3, x.buffer, 0, 4, 4, true, out.buffer, 0, null, 0)).toThrow(/knn: k must be at most 3 \(the other rows\), got 4/);
    expect(() => dataAddon.knn(x.buffer, 0, 5, 3, x.buffer, 0, 5, 1, true, out.buffer, 0, null, 0)).toThrow(/knn: data/);
    expect(() => dataAddon.knn(x.buffer, 0, 4, 3, x.buffer, 0, 4, 3, false, idx.buffer, 0, null, 0)).toThrow(/knn: outIndex/);
    expect(() => dataAddon.knn(idx.buffer, 0, 4, 1, x.buffer, 0, 4, 1, false, out.buffer, 0, null, 0)).toThrow(/knn/);
  });
  it('smoteInterpolate', () => {
    const bad = tensor(Int32Array.from([1, 9, 0, 1]));
    expect(() => dataAddon.smoteInterpolate(x.buffer, 0, 4, 3, bad.buffer, 0, 1, 2, 0, 0, tensor(new Float32Array(6)).buffer, 0))
      .toThrow(/smoteInterpolate: neighbour index 9 at position 1 is out of range for 4 rows/);
    expect(() => dataAddon.smoteInterpolate(x.buffer, 0, 4, 3, idx.buffer, 0, 1, 2, 0, 0, x.buffer, 0)).toThrow(/out must not share memory with x/);
  });
  it('gatherBatch, weightedIndex, randperm, oneHot, columnStats', () => {
    const badIdx = tensor(Int32Array.from([0, 7]));
    const xo = tensor(new Float32Array(6));
    expect(() => dataAddon.gatherBatch(x.buffer, 0, 3, 4, null, 0, badIdx.buffer, 0, 2, null, 0, null, 0, xo.buffer, 0, null, 0))
      .toThrow(/gatherBatch: index 7 at position 1 is out of range for 4 rows/);
    expect(() => dataAddon.gatherBatch(x.buffer, 0, 3, 4, null, 0, idx.buffer, 0, 2, x.buffer, 0, null, 0, xo.buffer, 0, null, 0))
      .toThrow(/scale and shift must be given together/);
    const disposed = tensor(new Float32Array(3));
    const buf = disposed.buffer;
    buf.dispose();
    expect(() => dataAddon.weightedIndex(buf, 0, 3, out.buffer, 0, 2, 0, 0)).toThrow(/weightedIndex/);
    expect(() => dataAddon.randperm(out.buffer, 0, 9, 0, 0)).toThrow(/randperm: out/);
    expect(() => dataAddon.randperm(out.buffer, 0, 4, -1, 0)).toThrow(/randperm: seed/);
    expect(() => dataAddon.oneHot(idx.buffer, 0, 4, 0, xo.buffer, 0)).toThrow(/oneHot: classes/);
    // Arguments are checked in order (whatever the compiler's argument evaluation order), so
    // the first one that does not fit is named: min, 3 elements from offset 6 of 6.
    expect(() => dataAddon.columnStats(x.buffer, 0, 4, 3, xo.buffer, 0, xo.buffer, 3, xo.buffer, 6, xo.buffer, 9)).toThrow(/columnStats: min needs 3 elements/);
    const wide = tensor(new Float32Array(12));
    expect(() => dataAddon.columnStats(x.buffer, 0, 4, 3, wide.buffer, 0, wide.buffer, 3, wide.buffer, 6, wide.buffer, 13)).toThrow(/columnStats: offset must be in \[0, 12\]/);
  });
});
