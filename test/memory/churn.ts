/**
 * Child process of test/memory.test.ts (run as `node --expose-gc --import tsx`): creates and
 * drops 1e5 tensors and prints RSS and native live bytes as JSON.
 *
 * Modes:
 *   async    - tensors are only dropped; the event loop turns every 1000 tensors, as in any
 *              program that awaits (a data loader, a timer). Node runs N-API finalizers from
 *              the event loop, so this is when dropped tensors are freed.
 *   sync     - tensors are only dropped inside one synchronous loop: nothing can be freed
 *              until the loop ends; afterwards GC must free every native byte.
 *   disposed - each tensor is disposed at once (its memory goes back to the pool, reused).
 */
import { add, memoryStats, tensor, zeros } from '../../src/index.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const mode = process.argv[2] ?? 'async';
if (!['async', 'sync', 'disposed'].includes(mode)) throw new Error(`unknown mode ${mode}`);
const COUNT = 100_000;
const ELEMENTS = 1024; // 4 KiB each: 400 MB if nothing were freed
const MB = 1024 * 1024;
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Full collections, with turns of the loop so the deferred native finalizers run. */
async function collect(): Promise<void> {
  for (let i = 0; i < 4; i++) {
    gc!();
    await turn();
  }
}

const snapshot = () => ({ rssMB: process.memoryUsage().rss / MB, liveMB: memoryStats().liveBytes / MB });
const data = new Float32Array(ELEMENTS).fill(0.5);
let peakRssMB = 0;
let peakLiveMB = 0;

async function churn(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    // Three creation paths: from data, shape + fill, and an op's output.
    const t = i % 2 === 0 ? tensor(data) : zeros([ELEMENTS]);
    const u = i % 4 === 1 ? add(t, 1) : null;
    if (mode === 'disposed') {
      t.dispose();
      u?.dispose();
    }
    if (i % 1000 === 999) {
      const s = snapshot();
      peakRssMB = Math.max(peakRssMB, s.rssMB);
      peakLiveMB = Math.max(peakLiveMB, s.liveMB);
      if (mode === 'async') await turn();
    }
  }
}

// Warm-up: JIT, pool and allocator arenas reach their steady size before the baseline.
await churn(10_000);
await collect();
const before = snapshot();
peakRssMB = before.rssMB;
peakLiveMB = before.liveMB;
await churn(COUNT);
await collect();
const after = snapshot();
process.stdout.write(JSON.stringify({ mode, count: COUNT, tensorBytes: ELEMENTS * 4, before, after, peakRssMB, peakLiveMB }) + '\n');
