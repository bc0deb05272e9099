import { describe, expect, it } from 'vitest';
import { data, tensor } from '../../src/index.js';
import type { Tensor } from '../../src/index.js';

const { DataLoader, TensorDataset, ArrayDataset } = data;

/** n samples whose feature row i is [i, 10i] and label i, so a batch tells which samples it holds. */
function indexed(n: number) {
  const x = Float32Array.from({ length: 2 * n }, (_, j) => (j % 2 ? 10 : 1) * Math.floor(j / 2));
  return new TensorDataset(tensor(x, [n, 2]), tensor(Int32Array.from({ length: n }, (_, i) => i), [n]));
}

function epochOf(loader: Iterable<[Tensor, Tensor]>): number[][] {
  const out: number[][] = [];
  for (const [x, y] of loader) {
    const ids = Array.from(y.toArray());
    const feats = Array.from(x.toArray());
    ids.forEach((id, r) => expect([feats[2 * r], feats[2 * r + 1]]).toEqual([id, 10 * id]));
    out.push(ids);
  }
  return out;
}

describe('DataLoader', () => {
  const n = 23;
  for (const batchSize of [1, 2, 5, 7, 22, 23, 30, 'full'] as const) {
    for (const dropLast of [false, true]) {
      for (const shuffle of [false, true]) {
        it(`visits every sample once per epoch: batch ${batchSize}, dropLast ${dropLast}, shuffle ${shuffle}`, () => {
          const loader = new DataLoader(indexed(n), { batchSize, dropLast, shuffle, seed: 3 });
          const b = batchSize === 'full' ? n : batchSize;
          const expected = dropLast ? Math.floor(n / b) : Math.ceil(n / b);
          expect(loader.length).toBe(expected);
          for (let epoch = 0; epoch < 2; epoch++) {
            const batches = epochOf(loader);
            expect(batches.length).toBe(expected);
            const seen = batches.flat();
            expect(new Set(seen).size).toBe(seen.length);
            if (!dropLast) expect(seen.sort((a, c) => a - c)).toEqual(Array.from({ length: n }, (_, i) => i));
            else expect(seen.length).toBe(expected * b);
            const sizes = batches.map((batch) => batch.length);
            const last = dropLast || n % b === 0 || b >= n ? Math.min(b, n) : n % b;
            expect(sizes).toEqual(batches.map((_, i) => (i === batches.length - 1 ? last : b)));
          }
        });
      }
    }
  }

  it('length is the handbook iterations per epoch: ceil(n / batch), floor with dropLast', () => {
    expect(new DataLoader(indexed(60), { batchSize: 32 }).length).toBe(2);
    expect(new DataLoader(indexed(60), { batchSize: 32, dropLast: true }).length).toBe(1);
    expect(new DataLoader(indexed(60), { batchSize: 'full' }).length).toBe(1);
    expect(new DataLoader(indexed(60), { batchSize: 1 }).length).toBe(60);
  });

  it('same seed gives the same order, other seeds and epochs differ', () => {
    const a = new DataLoader(indexed(50), { batchSize: 8, shuffle: true, seed: 11 });
    const b = new DataLoader(indexed(50), { batchSize: 8, shuffle: true, seed: 11 });
    const c = new DataLoader(indexed(50), { batchSize: 8, shuffle: true, seed: 12 });
    const a0 = epochOf(a).flat();
    expect(epochOf(b).flat()).toEqual(a0);
    expect(epochOf(c).flat()).not.toEqual(a0);
    expect(epochOf(a).flat()).not.toEqual(a0); // epoch 1 is reshuffled
    a.epoch = 0;
    expect(epochOf(a).flat()).toEqual(a0);
  });

  it('state() / setState() resume mid-epoch with the same batches', () => {
    const a = new DataLoader(indexed(40), { batchSize: 6, shuffle: true, seed: 5 });
    epochOf(a); // epoch 0
    const full: number[][] = [];
    let saved = a.state();
    for (const [, y] of a) {
      full.push(Array.from(y.toArray()));
      if (full.length === 3) saved = a.state();
    }
    expect(saved).toEqual({ epoch: 1, batch: 3 });
    const b = new DataLoader(indexed(40), { batchSize: 6, shuffle: true, seed: 5 });
    b.setState(saved);
    const rest = epochOf(b);
    expect(rest).toEqual(full.slice(3));
    expect(b.state()).toEqual({ epoch: 2, batch: 0 });
    expect(() => b.setState({ epoch: 0, batch: 99 })).toThrow(/DataLoader.setState: option 'batch' must be an integer >= 0 and <= 7, got 99/);
  });

  it('for await gives the same batches as for...of', async () => {
    const a = new DataLoader(indexed(30), { batchSize: 4, shuffle: true, seed: 9 });
    const b = new DataLoader(indexed(30), { batchSize: 4, shuffle: true, seed: 9 });
    const sync = epochOf(a);
    const async: number[][] = [];
    for await (const [, y] of b) async.push(Array.from(y.toArray()));
    expect(async).toEqual(sync);
  });

  it('double-buffers: a batch stays intact while the next one is produced, and buffers are reused', () => {
    const loader = new DataLoader(indexed(40), { batchSize: 4, shuffle: true, seed: 1 });
    let prev: { y: Tensor; ids: number[] } | null = null;
    const seenTensors = new Set<Tensor>();
    for (const [x, y] of loader) {
      if (prev) expect(Array.from(prev.y.toArray())).toEqual(prev.ids);
      prev = { y, ids: Array.from(y.toArray()) };
      seenTensors.add(x);
    }
    expect(seenTensors.size).toBe(2);
  });

  it('WeightedRandomSampler drives the loader with numSamples draws per epoch', () => {
    const sampler = new data.WeightedRandomSampler([0, 1, 0, 3], 1000, { seed: 2 });
    const ds = new TensorDataset(tensor([[0], [1], [2], [3]]), tensor(Int32Array.from([0, 1, 2, 3])));
    const loader = new DataLoader(ds, { batchSize: 100, sampler });
    expect(loader.length).toBe(10);
    const ids = epochOf2(loader);
    expect(ids.length).toBe(1000);
    expect(ids.every((i) => i === 1 || i === 3)).toBe(true);
  });

  it('applies a batch transform in place', () => {
    const ds = indexed(10);
    const loader = new DataLoader(ds, { batchSize: 5, transform: (x) => void x.buffer.write(new Float32Array(10).fill(7), x.offset) });
    for (const [x] of loader) expect(Array.from(x.toArray())).toEqual(new Array(10).fill(7));
    expect(Array.from(ds.tensors[0].toArray()).slice(0, 2)).toEqual([0, 0]);
  });

  it('ArrayDataset and typed arrays serve the same batches as tensors', () => {
    const rows = [[1, 2], [3, 4], [5, 6]];
    const arr = new ArrayDataset(rows, [0, 1, 0]);
    const typed = TensorDataset.fromTypedArrays(Float32Array.from(rows.flat()), [2], Int32Array.from([0, 1, 0]));
    const l1 = epochOf2(new DataLoader(arr, { batchSize: 2 }));
    const l2 = epochOf2(new DataLoader(typed as never, { batchSize: 2 }));
    expect(l1).toEqual([0, 1, 0]);
    expect(l2).toEqual(l1);
    expect(() => new ArrayDataset([[1, 2], [3]], [0, 1])).toThrow(/row 1 has 1 values, expected 2/);
  });

  it('streams an async iterable in batches with prefetch', async () => {
    async function* samples() {
      for (let i = 0; i < 11; i++) yield [[i, -i], i % 3] as const;
    }
    const loader = new DataLoader(samples(), { batchSize: 4 });
    const ys: number[][] = [];
    const xs: number[] = [];
    for await (const [x, y] of loader) {
      ys.push(Array.from(y.toArray()));
      xs.push(...Array.from(x.toArray()).filter((_, j) => j % 2 === 0));
    }
    expect(ys.map((b) => b.length)).toEqual([4, 4, 3]);
    expect(xs).toEqual(Array.from({ length: 11 }, (_, i) => i));
    expect(() => new DataLoader(samples(), { shuffle: true })).toThrow(/cannot be shuffled/);
  });

  it('awaits datasets that load asynchronously, prefetching the next batch', async () => {
    const inner = indexed(9);
    const requested: number[] = [];
    const slow: data.Dataset<[Tensor, Tensor]> = {
      length: 9,
      async getBatch(indices, out) {
        requested.push(indices.toArray()[0]);
        await new Promise((r) => setTimeout(r, 1));
        return inner.getBatch(indices, out);
      },
    };
    const loader = new DataLoader(slow, { batchSize: 4 });
    const got: number[][] = [];
    for await (const [, y] of loader) {
      got.push(Array.from(y.toArray()));
      // by the time batch i is handed out, batch i+1 has been requested
      expect(requested.length).toBe(Math.min(got.length + 1, 3));
    }
    expect(got).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8]]);
    expect(() => [...loader]).toThrow(/loads asynchronously; iterate with for await/);
  });

  it('rejects bad input with clear errors', () => {
    const empty = new TensorDataset(tensor(new Float32Array(0), [0, 3]), tensor(new Int32Array(0), [0]));
    expect(() => new DataLoader(empty)).toThrow(/DataLoader: dataset is empty/);
    expect(() => new TensorDataset(tensor(new Float32Array(6), [3, 2]), tensor(new Int32Array(2), [2])))
      .toThrow(/different lengths: tensor 0 \[3, 2\] has 3 samples, tensor 1 \[2\] has 2/);
    expect(() => new TensorDataset(tensor(Float32Array.from([1, NaN, 3, 4]), [2, 2]), tensor(new Int32Array(2), [2])))
      .toThrow(/tensor 0 contains NaN .* sample 0, feature 1/);
    expect(() => new DataLoader(indexed(5), { batchSize: 0 })).toThrow(/DataLoader: option 'batchSize' must be a positive integer or 'full', got 0/);
    expect(() => new DataLoader(indexed(5), { batchSize: 2.5 })).toThrow(/batchSize/);
  });
});

function epochOf2(loader: Iterable<Tensor[]>): number[] {
  const ids: number[] = [];
  for (const [, y] of loader) ids.push(...Array.from(y.toArray()));
  return ids;
}
