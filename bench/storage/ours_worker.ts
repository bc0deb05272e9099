// One bench:storage worker process: node --import tsx ours_worker.ts URL STUDY TRIALS STEPS SEED.
// The same bookkeeping as optuna_rdb.py: ask, suggest 3 params, report STEPS values, tell, with
// RandomSampler (its cost is next to nothing). Prints {"seconds": time of the loop}.
import { tune } from '../../src/index.js';

const [url, studyName, trials, steps, seed] = process.argv.slice(2);
const study = await tune.loadStudy({ storage: url, studyName, sampler: new tune.RandomSampler({ seed: Number(seed) }), pruner: new tune.NopPruner() });
const start = performance.now();
for (let i = 0; i < Number(trials); i++) {
  const t = await study.ask();
  const x = t.suggestFloat('x', -5, 5);
  const n = t.suggestInt('n', 1, 64, { log: true });
  const c = t.suggestCategorical('c', ['a', 'b', 'c']);
  for (let s = 0; s < Number(steps); s++) t.report(x * s + n, s);
  await study.tell(t, x * x + n + (c === 'a' ? 1 : 0));
}
const seconds = (performance.now() - start) / 1000;
await study.storage.close?.();
console.log(JSON.stringify({ seconds }));
