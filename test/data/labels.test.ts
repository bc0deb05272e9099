// Labels are class indices on every loader path: integers in [0, classes) where the number of
// classes is known (Fashion-MNIST's 10, CSV and TensorDataset with numClasses), and never
// silently wrapped into int32. Label vectors are checked for size before anything loops.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { data, tensor } from '../../src/index.js';
import { runDataChild } from './child.js';

const dir = mkdtempSync(join(tmpdir(), 'steepest-labels-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function idx(type: number, shape: number[], body: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * shape.length);
  header[2] = type;
  header[3] = shape.length;
  shape.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, body]);
}

/** A Fashion-MNIST directory of n images per split whose train labels file is `trainLabels`. */
function mnistDir(name: string, trainLabels: Buffer): string {
  const d = join(dir, name);
  mkdirSync(d);
  const images = (n: number) => gzipSync(idx(0x08, [n, 28, 28], new Uint8Array(n * 784)));
  writeFileSync(join(d, 'train-images-idx3-ubyte.gz'), images(4));
  writeFileSync(join(d, 'train-labels-idx1-ubyte.gz'), gzipSync(trainLabels));
  writeFileSync(join(d, 't10k-images-idx3-ubyte.gz'), images(2));
  writeFileSync(join(d, 't10k-labels-idx1-ubyte.gz'), gzipSync(idx(0x08, [2], Uint8Array.of(0, 9))));
  return d;
}

describe('Fashion-MNIST labels', () => {
  it('accepts classes 0-9 and rejects -1, -7 (int8), 10 and 255 (uint8) and 2.5 (float32), naming the file', async () => {
    const ok = await data.loadFashionMnist(mnistDir('ok', idx(0x08, [4], Uint8Array.of(0, 3, 9, 1))));
    expect(Array.from(ok.train.labels.toArray())).toEqual([0, 3, 9, 1]);

    const int8 = idx(0x09, [4], new Uint8Array(Int8Array.of(0, -1, 3, -7).buffer));
    await expect(data.loadFashionMnist(mnistDir('neg', int8)))
      .rejects.toThrow(/^loadFashionMnist: label -1 at index 1 of .*neg\/train-labels-idx1-ubyte\.gz is not a class in \[0, 10\)$/);
    await expect(data.loadFashionMnist(mnistDir('ten', idx(0x08, [4], Uint8Array.of(0, 1, 10, 2)))))
      .rejects.toThrow(/label 10 at index 2 .* is not a class in \[0, 10\)/);
    await expect(data.loadFashionMnist(mnistDir('255', idx(0x08, [4], Uint8Array.of(255, 1, 1, 2)))))
      .rejects.toThrow(/label 255 at index 0 /);
    const f32 = Buffer.alloc(16);
    [0, 1, 2.5, 3].forEach((v, i) => f32.writeFloatBE(v, 4 * i));
    await expect(data.loadFashionMnist(mnistDir('float', idx(0x0d, [4], f32))))
      .rejects.toThrow(/label 2.5 at index 2 .* is not a class in \[0, 10\)/);
  });
});

describe('CSV labels', () => {
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };

  it('are non-negative class indices, below numClasses when it is given, on both readers', async () => {
    const neg = file('neg.csv', 'a,y\n1,0\n2,-1\n');
    await expect(data.loadCsv(neg, { labelColumn: 'y' })).rejects.toThrow(/neg\.csv line 3: label "-1" is not a class index >= 0/);
    const big = file('big.csv', 'a,y\n1,0\n2,3\n3,1\n');
    const r = await data.loadCsv(big, { labelColumn: 'y' });
    expect(Array.from(r.labels!.toArray())).toEqual([0, 3, 1]);
    await expect(data.loadCsv(big, { labelColumn: 'y', numClasses: 3 })).rejects.toThrow(/big\.csv line 3: label "3" is not a class in \[0, 3\)/);
    const rows = async (options: data.CsvOptions) => {
      const out: number[] = [];
      for await (const [, label] of data.csvRows(big, options)) out.push(label);
      return out;
    };
    expect(await rows({ labelColumn: 'y', numClasses: 4 })).toEqual([0, 3, 1]);
    await expect(rows({ labelColumn: 'y', numClasses: 3 })).rejects.toThrow(/line 3: label "3" is not a class in \[0, 3\)/);
    await expect(rows({ labelColumn: 'y', numClasses: 0 })).rejects.toThrow(/^csvRows: numClasses must be an integer in \[1, 2\^31\], got 0$/);
  });
});

describe('in-memory datasets', () => {
  it('TensorDataset with numClasses checks the last tensor; without it labels are not range-checked', () => {
    const x = tensor(new Float32Array(6), [3, 2]);
    const y = tensor(Int32Array.of(0, 4, 1), [3]);
    expect(new data.TensorDataset(x, y).length).toBe(3);
    expect(new data.TensorDataset(x, y, { numClasses: 5 }).length).toBe(3);
    expect(() => new data.TensorDataset(x, y, { numClasses: 4 })).toThrow(/^TensorDataset: label 4 at index 1 of tensor 1 is not a class in \[0, 4\)$/);
    expect(() => new data.TensorDataset(x, tensor(Int32Array.of(0, -1, 1), [3]), { numClasses: 4 })).toThrow(/label -1 at index 1/);
    expect(() => new data.TensorDataset(y, x, { numClasses: 4 })).toThrow(/numClasses needs the last tensor to be int32 labels \[n\], got float32 \[3, 2\]/);
    expect(() => new data.TensorDataset(x, y, { numClasses: 0 })).toThrow(/numClasses must be a positive integer, got 0/);
  });

  it('ArrayDataset and streamed samples reject labels that int32 would wrap', async () => {
    expect(() => new data.ArrayDataset([[1], [2]], [0, 2 ** 32])).toThrow(/^ArrayDataset: label 1 is 4294967296, expected a 32-bit integer$/);
    async function* samples() {
      yield [[1], 0] as const;
      yield [[2], 2 ** 32 + 1] as const;
    }
    const loader = new data.DataLoader(samples(), { batchSize: 2 });
    await expect((async () => { for await (const _ of loader) void _; })())
      .rejects.toThrow(/DataLoader: stream sample 1 has label 4294967297, expected a 32-bit integer/);
  });
});

describe('label vectors are sized before any loop', () => {
  it('resolveSamplingStrategy rejects an array-like of 1e15 labels at once instead of walking it', () => {
    // Before: classCounts looped over all 1e15 (undefined) entries and never returned, so
    // that call runs in a child with a timeout.
    const r = runDataChild(`
      try { data.resolveSamplingStrategy('op', 'auto', { length: 1e15 }, 'over'); console.log('returned'); }
      catch (e) { console.log(e.message); }`);
    expect(r.signal, 'the call hung').toBe(null);
    expect(r.stdout).toBe('op: labels must have an integer length in [0, 2147483647], got 1000000000000000');
    expect(() => data.resolveSamplingStrategy('op', 'auto', { length: 2.5 } as never, 'over')).toThrow(/integer length/);
    expect(() => data.resolveSamplingStrategy('op', 'auto', undefined as never, 'over'))
      .toThrow(/^op: labels must be a Tensor, an Int32Array or an array of integers, got undefined$/);
    expect(() => data.resolveSamplingStrategy('op', 'auto', [0, 0, 1], 'sideways' as never)).toThrow(/^op: sampling kind must be 'over' or 'under', got string 'sideways'$/);
    expect(data.resolveSamplingStrategy('op', 'auto', [0, 0, 0, 1], 'over')).toEqual(new Map([[1, 2]]));
    expect(data.resolveSamplingStrategy('op', 'auto', Int32Array.of(0, 0, 0, 1), 'under')).toEqual(new Map([[0, 1]]));
  });
});
