// An objective that exercises everything a storage must record: a float, a categorical with
// null, a log-scaled int, a user attribute, NaN and Infinity reports, a failure (trial 2) and a
// pruned trial (trial 3). The journal and storage-contract suites replay or re-read it.
import { tune } from '../../../src/index.js';

export const recordingObjective = (t: tune.Trial): number => {
  const x = t.suggestFloat('x', -2, 2);
  const opt = t.suggestCategorical('opt', ['adam', 'sgd', null]);
  const n = t.suggestInt('n', 1, 64, { log: true });
  t.setUserAttr('note', { n, tag: `t${t.number}` });
  t.report(NaN, 0);
  t.report(Infinity, 1);
  t.report(x, 2);
  if (t.number === 2) throw new Error('diverged');
  if (t.number === 3) throw new tune.TrialPruned();
  return opt === 'sgd' ? x * x : x * x + n / 100;
};
