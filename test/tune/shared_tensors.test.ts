// optimize's `shared` option: read-only tensors reach every trial; in worker threads they are
// the main thread's native memory (not copies), and that memory lives until its last holder
// in any thread lets it go.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { arange, memoryStats, tensor, tune, zeros } from '../../src/index.js';
import { Storage } from '../../src/storage.js';
import { Tensor } from '../../src/tensor.js';
import { backendFor } from '../../src/backend/registry.js';

const cpu = backendFor('cpu');
import { fillKernel } from '../../src/ops/kernels.js';

const fixtures = join(import.meta.dirname, 'fixtures');

describe('shared storage (native blocks held across threads)', () => {
  it('opens the same memory: writes through one holder are seen by the other', () => {
    const x = tensor([1, 2, 3, 4]);
    const id = x.storage.share();
    const opened = new Tensor(Storage.openShared('float32', 4, id, cpu), 0, [4], 'float32');
    fillKernel(x, 5);
    expect(Array.from(opened.toArray())).toEqual([5, 5, 5, 5]);
    expect(x.storage.share()).toBe(id); // sharing again gives the same block
    x.dispose();
    expect(Array.from(opened.toArray())).toEqual([5, 5, 5, 5]); // still held by `opened`
    opened.dispose();
    expect(() => Storage.openShared('float32', 4, id, cpu)).toThrow(/shared buffer \d+ no longer exists/);
  });

  it('counts the memory once and frees it with the last holder', () => {
    const before = memoryStats();
    const x = zeros([1024]);
    const id = x.storage.share();
    const a = Storage.openShared('float32', 1024, id, cpu);
    const b = Storage.openShared('float32', 512, id, cpu);
    const during = memoryStats();
    expect(during.allocations - before.allocations).toBe(1);
    x.dispose();
    a.release();
    expect(memoryStats().frees).toBe(during.frees); // `b` still holds it
    b.release();
    expect(memoryStats().frees - during.frees).toBe(1);
    expect(memoryStats().liveBytes).toBe(before.liveBytes);
  });

  it('never hands shared memory to the pool', () => {
    const x = zeros([4096]);
    const id = x.storage.share();
    const keep = Storage.openShared('float32', 4096, id, cpu);
    x.dispose(); // a plain storage would be pooled and handed to the next tensor of this size
    const next = zeros([4096]);
    fillKernel(next, 3);
    expect(new Tensor(keep, 0, [4096], 'float32').toArray().every((v) => v === 0)).toBe(true);
    keep.release();
  });

  it('refuses ids that were never shared, and lengths past the block', () => {
    const x = zeros([8]);
    const id = x.storage.share();
    expect(() => Storage.openShared('float32', 9, id, cpu)).toThrow(/holds 8 elements, fewer than 9/);
    expect(() => Storage.openShared('float32', 8, 0, cpu)).toThrow(/must be an id returned by share\(\)/);
    expect(() => Storage.openShared('float32', 8, 2 ** 40, cpu)).toThrow(/no longer exists/);
  });
});

describe("optimize's shared option", () => {
  it('gives worker threads the main thread\'s tensors, views included, without a copy', async () => {
    const x = arange(0, 1000);
    const labels = zeros([250], { dtype: 'int32' });
    const big = tensor(Array.from({ length: 20 }, (_, i) => i)).reshape(10, 2);
    const probe = zeros([16]);
    const shared = { x, labels, rows: big.rows(3, 5), probe };
    const study = await tune.createStudy({ sampler: new tune.RandomSampler({ seed: 0 }) });
    await study.optimize(join(fixtures, 'shared_objective.ts'), { nTrials: 4, concurrency: 2, threadsPerTrial: 1, shared });
    for (const t of study.trials) {
      expect(t.state).toBe('COMPLETE');
      expect(t.value).toBe(499500); // 0 + 1 + … + 999, read in the worker
      expect(t.userAttrs.labelsShape).toEqual([250]);
      expect(t.userAttrs.rows).toEqual([6, 7, 8, 9]);
      expect(t.userAttrs.nativeBytesAllocated).toBe(0);
    }
    expect(new Set(study.trials.map((t) => t.userAttrs.threadId)).size).toBe(2);

    // A worker's write lands in the main thread's tensor: one memory, not a copy per worker.
    const writer = await tune.createStudy();
    await writer.optimize(join(fixtures, 'shared_writer.ts'), { nTrials: 1, concurrency: 2, shared: { probe } });
    expect(Array.from(probe.toArray())).toEqual(Array(16).fill(7));
    expect(Array.from(x.toArray().slice(0, 3))).toEqual([0, 1, 2]); // the main thread's tensors stay usable
  });

  it('passes the same tensors to an objective in this thread', async () => {
    const x = tensor([1, 2, 3]);
    const seen: unknown[] = [];
    const study = await tune.createStudy();
    await study.optimize((_trial, shared) => { seen.push(shared.x); return shared.x.toArray()[2]; }, { nTrials: 2, shared: { x } });
    expect(seen).toEqual([x, x]);
    expect(study.trials.map((t) => t.value)).toEqual([3, 3]);
    const none: unknown[] = [];
    await study.optimize((_trial, shared) => { none.push(shared); return 0; }, { nTrials: 1 });
    expect(none).toEqual([{}]);
  });

  it('names what is wrong with the option, before any trial runs', async () => {
    const study = await tune.createStudy();
    const disposed = tensor([1]);
    disposed.dispose();
    await expect(study.optimize(() => 0, { nTrials: 1, shared: 5 as never })).rejects.toThrow(/optimize: option 'shared' must be an object of tensors/);
    await expect(study.optimize(() => 0, { nTrials: 1, shared: { a: [1, 2] } as never })).rejects.toThrow(/optimize: option 'shared'.a must be a Tensor/);
    await expect(study.optimize(() => 0, { nTrials: 1, shared: { d: disposed } })).rejects.toThrow(/optimize: option 'shared'.d is a disposed tensor/);
    expect(study.trials).toHaveLength(0);
  });
});
