/**
 * TPE's split of the trials into the good group l(x) ("below") and the rest g(x) ("above"),
 * as Optuna's _split_trials: the nBelow best COMPLETE trials by value; if fewer COMPLETE trials
 * exist, the PRUNED ones that got furthest (largest last step, then best value at it; NaN
 * worst) fill the rest. RUNNING trials (constant liar) always go above. Both groups are returned
 * in trial-number order, which is what the weights' ramp refers to.
 */
import type { FrozenTrial, StudyDirection } from '../../frozen_trial.js';

export function splitTrials(trials: readonly FrozenTrial[], nBelow: number, direction: StudyDirection): [FrozenTrial[], FrozenTrial[]] {
  const sign = direction === 'minimize' ? 1 : -1;
  const complete = trials.filter((t) => t.state === 'COMPLETE').sort((a, b) => sign * (a.value! - b.value!));
  const pruned = trials.filter((t) => t.state === 'PRUNED').sort((a, b) => comparePruned(a, b, sign));
  const running = trials.filter((t) => t.state === 'RUNNING');
  const nComplete = Math.min(nBelow, complete.length);
  const nPruned = Math.min(Math.max(0, nBelow - nComplete), pruned.length);
  const below = [...complete.slice(0, nComplete), ...pruned.slice(0, nPruned)];
  const above = [...complete.slice(nComplete), ...pruned.slice(nPruned), ...running];
  const byNumber = (a: FrozenTrial, b: FrozenTrial) => a.number - b.number;
  return [below.sort(byNumber), above.sort(byNumber)];
}

/** Optuna's pruned-trial score (−last step, value), ascending; no reports sorts last. */
function comparePruned(a: FrozenTrial, b: FrozenTrial, sign: number): number {
  const [sa, va] = prunedScore(a, sign);
  const [sb, vb] = prunedScore(b, sign);
  return sa !== sb ? sa - sb : va === vb ? 0 : va < vb ? -1 : 1;
}

function prunedScore(t: FrozenTrial, sign: number): [number, number] {
  const step = t.lastStep;
  if (step === null) return [1, 0];
  const v = t.intermediateValues.get(step)!;
  return [-step, Number.isNaN(v) ? Infinity : sign * v];
}
