// A study process for the crash tests: node --import tsx journal_child.ts <journal> <hang|busy>.
//   hang: trials 0..2 finish, trial 3 never returns (it is RUNNING when the parent kills us)
//   busy: trials as fast as they go, each with five reports (killed at an arbitrary moment)
import { tune } from '../../../src/index.js';

const [path, mode] = process.argv.slice(2);
const study = await tune.createStudy({
  storage: `journal:${path}`, studyName: 'crash', loadIfExists: true,
  sampler: new tune.TPESampler({ seed: 0, nStartupTrials: 3 }), pruner: new tune.NopPruner(),
});
await study.optimize(async (trial) => {
  const x = trial.suggestFloat('x', -5, 5);
  const k = trial.suggestInt('k', 1, 4);
  if (mode === 'hang' && trial.number === 3) {
    setInterval(() => {}, 1000);
    console.log('hanging');
    await new Promise(() => {});
  }
  for (let step = 0; step < 5; step++) trial.report(x * step + k, step);
  return x * x + k;
}, { nTrials: mode === 'hang' ? 10 : 1_000_000 });
