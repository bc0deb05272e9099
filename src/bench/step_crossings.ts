/**
 * Child process of the step benchmark: N-API crossings and new native buffers per handbook
 * step, counted with the addon wrapped (bench_probes.countCrossings), which must happen before
 * any tensor exists and slows every call, hence a process of its own. argv[2]: the batch sizes,
 * comma-separated. Prints one JSON line: { batch: { crossings, allocations } }.
 */
import { countCrossings } from '../backend/bench_probes.js';
import { memoryStats } from '../runtime.js';
import { handbookStep } from './handbook_step.js';

const count = countCrossings();
const out: Record<number, { crossings: number; allocations: number }> = {};
for (const b of (process.argv[2] ?? '1,32,256').split(',').map(Number)) {
  const step = handbookStep(b);
  for (let i = 0; i < 5; i++) step();
  const a0 = memoryStats().allocations; // read outside the counted window (it is a crossing too)
  const c0 = count();
  const n = 20;
  for (let i = 0; i < n; i++) step();
  out[b] = { crossings: (count() - c0) / n, allocations: (memoryStats().allocations - a0) / n };
}
console.log(JSON.stringify(out));
