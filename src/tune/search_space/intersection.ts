/**
 * Optuna's IntersectionSearchSpace: the parameters every finished trial (COMPLETE, and PRUNED
 * when asked) has, with the same distribution in all — what a joint (relative) sampler can model.
 * Names are returned sorted, so the order does not depend on suggestion order.
 */
import type { SearchSpace } from '../distributions.js';
import type { FrozenTrial } from '../frozen_trial.js';
import { checkTrials } from '../arguments.js';
import { checkBoolean } from '../../validate/index.js';

/** The parameters every finished trial has, with the same distribution in all (Optuna's IntersectionSearchSpace), sorted by name. */
export function intersectionSearchSpace(trials: readonly FrozenTrial[], includePruned = false): SearchSpace {
  trials = checkTrials('intersectionSearchSpace', 'trials', trials);
  checkBoolean('intersectionSearchSpace', 'includePruned', includePruned);
  let space: SearchSpace | null = null;
  for (const t of trials) {
    if (!(t.state === 'COMPLETE' || (includePruned && t.state === 'PRUNED'))) continue;
    if (space === null) {
      space = { ...t.distributions };
      continue;
    }
    for (const name of Object.keys(space)) {
      const d = t.distributions[name];
      if (!d || !d.equals(space[name])) delete space[name];
    }
  }
  const out: SearchSpace = {};
  for (const name of Object.keys(space ?? {}).sort()) out[name] = space![name];
  return out;
}
