import type { FrozenTrial } from './frozen_trial.js';
import type { Study } from './study.js';

/** The one progress line per finished trial (Optuna's wording). */
export function describeTrial(study: Study, t: FrozenTrial): string {
  const params = JSON.stringify(t.params);
  if (t.state === 'COMPLETE') {
    const best = study.bestTrial;
    return `Trial ${t.number} finished with value: ${t.value} and parameters: ${params}. Best is trial ${best.number} with value: ${best.value}.`;
  }
  if (t.state === 'PRUNED') return `Trial ${t.number} pruned (value ${t.value}, parameters ${params}).`;
  return `Trial ${t.number} failed with parameters: ${params}: ${t.errorMessage ?? 'unknown error'}`;
}
