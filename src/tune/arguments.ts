/**
 * Argument checks of the tune area's public functions (reports, tables, distributions), built on
 * src/validate: each function calls one of these first, so a wrong argument is named with the
 * function instead of surfacing as an engine error from deep inside.
 */
import { checkArray, checkChoice, checkString, isInstance, isPlainObject, readSafely, typeError } from '../validate/index.js';
import { CategoricalDistribution, FloatDistribution, IntDistribution, type Distribution } from './distributions.js';
import { FrozenTrial, type StudyDirection } from './frozen_trial.js';

/** An array of FrozenTrials (a study's `trials`), read once. */
export function checkTrials(op: string, name: string, trials: unknown): readonly FrozenTrial[] {
  const list = checkArray(op, name, trials, 'an array of FrozenTrials');
  return readSafely(op, name, () => {
    list.forEach((t, i) => {
      if (!isInstance(t, FrozenTrial)) typeError(op, `${name}[${i}]`, 'a FrozenTrial', t);
    });
    return list as FrozenTrial[];
  });
}

export const checkDirection = (op: string, name: string, value: unknown): StudyDirection =>
  checkChoice(op, name, value, ['minimize', 'maximize'] as const);

/** A Distribution (Float, Int or Categorical). */
export function checkDistribution(op: string, name: string, value: unknown): Distribution {
  if (!isInstance(value, FloatDistribution) && !isInstance(value, IntDistribution) && !isInstance(value, CategoricalDistribution)) {
    typeError(op, name, 'a FloatDistribution, IntDistribution or CategoricalDistribution', value);
  }
  return value as Distribution;
}

/** A search space: an object of Distributions by parameter name. */
export function checkSearchSpace(op: string, name: string, value: unknown): Record<string, Distribution> {
  if (!isPlainObject(value)) typeError(op, name, 'an object of distributions by parameter name', value);
  return readSafely(op, name, () => {
    for (const [k, d] of Object.entries(value)) checkDistribution(op, `${name} '${k}'`, d);
    return { ...value } as Record<string, Distribution>;
  });
}

/** A study or anything with its studyName, direction and trials (the report's StudyLike), read once. */
export function checkStudyLike(op: string, name: string, study: unknown): { studyName: string; direction: StudyDirection; trials: readonly FrozenTrial[] } {
  if (typeof study !== 'object' || study === null) typeError(op, name, 'a Study (or { studyName, direction, trials })', study);
  return readSafely(op, name, () => {
    const s = study as Record<string, unknown>;
    const studyName = checkString(op, `${name}.studyName`, s.studyName);
    const direction = checkDirection(op, `${name}.direction`, s.direction);
    const trials = checkTrials(op, `${name}.trials`, s.trials);
    return { studyName, direction, trials };
  });
}

/** An options object (or undefined), copied once so that getters run once. */
export function copyOptions<T extends object>(op: string, options: unknown, name = 'options'): T | undefined {
  if (options === undefined) return undefined;
  if (!isPlainObject(options)) typeError(op, name, 'an options object', options);
  return readSafely(op, name, () => ({ ...options }) as T);
}
