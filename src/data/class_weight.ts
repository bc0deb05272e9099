/**
 * Class weights for a weighted loss, as scikit-learn's compute_class_weight:
 *   'balanced':  w_c = n_samples / (n_classes * count_c)
 *   a map:       w_c = map[c], and 1 for classes it does not name.
 * The result is a float32 tensor in class order, ready to pass as a loss's `weight`.
 */
import { tensor } from '../ops/creation.js';
import type { Tensor } from '../tensor.js';
import { classCounts, labelArray, uniqueSorted, type Labels } from './labels.js';
import { checkNumbers, isInstance, isPlainObject, option, optionKeys, readOptions, readSafely, typeError } from '../validate/index.js';

const KEYS = optionKeys<ClassWeightOptions>({ classes: true });

/** Options of computeClassWeight. */
export interface ClassWeightOptions {
  /** Classes, in the order of the result (default: the sorted distinct labels). */
  classes?: readonly number[];
}

/** Per-class loss weights (see the module comment for the formulas). */
export function computeClassWeight(
  mode: 'balanced' | Record<number, number> | Map<number, number>, y: Labels, options: ClassWeightOptions = {},
): Tensor {
  const op = 'computeClassWeight';
  if (mode !== 'balanced' && !isInstance(mode, Map) && !isPlainObject(mode)) {
    typeError(op, 'mode', "'balanced' or a map of class -> weight", mode);
  }
  const labels = labelArray(op, y, 'y');
  const o = readOptions<ClassWeightOptions>(op, options, KEYS);
  if (o.classes !== undefined) checkNumbers(op, option('classes'), o.classes, { integer: true });
  if (labels.length === 0) throw new RangeError('computeClassWeight: y is empty');
  const classes = o.classes ? [...o.classes] : uniqueSorted(labels);
  if (new Set(classes).size !== classes.length) throw new RangeError(`computeClassWeight: classes [${classes}] contain duplicates`);
  const counts = classCounts(labels);
  const known = new Set(classes);
  const stray = [...counts.keys()].find((c) => !known.has(c));
  if (stray !== undefined) throw new RangeError(`computeClassWeight: label ${stray} in y is not one of classes [${classes}]`);
  let weights: number[];
  if (mode === 'balanced') {
    const missing = classes.find((c) => !counts.has(c));
    if (missing !== undefined) throw new RangeError(`computeClassWeight: class ${missing} does not occur in y; 'balanced' needs every class present`);
    weights = classes.map((c) => labels.length / (classes.length * counts.get(c)!));
  } else if (mode instanceof Map || (typeof mode === 'object' && mode !== null)) {
    const map = mode instanceof Map ? mode : readSafely(op, 'mode', () => new Map(Object.entries(mode).map(([k, v]) => [Number(k), v])));
    for (const [c, w] of map) {
      if (!known.has(c)) throw new RangeError(`computeClassWeight: class ${c} in the weight map is not one of classes [${classes}]`);
      if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) typeError(op, `the weight of class ${c}`, 'a finite number >= 0', w);
    }
    weights = classes.map((c) => map.get(c) ?? 1);
  } else {
    throw new TypeError(`computeClassWeight: mode must be 'balanced' or a map of class -> weight, got ${String(mode)}`);
  }
  return tensor(Float32Array.from(weights), [weights.length]);
}
