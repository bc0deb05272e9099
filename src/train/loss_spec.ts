/**
 * The loss `fit`, `evaluate` and `compile` take: a loss module (anything with
 * forward(input, target)), a function (input, target) => scalar, or a name — Keras's names
 * and ours: 'crossEntropy' | 'sparseCategoricalCrossentropy' (logits [N, C], int32 labels),
 * 'mse' | 'meanSquaredError', 'mae' | 'meanAbsoluteError', 'huber', 'bceWithLogits'.
 * Class weights (Keras's class_weight) become CrossEntropyLoss's per-class `weight`.
 */
import { computeClassWeight } from '../data/class_weight.js';
import { BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, L1Loss, MSELoss } from '../nn/loss.js';
import { tensor } from '../ops/creation.js';
import { Tensor } from '../tensor.js';
import { isInstance, typeError } from '../validate/index.js';

/** A loss module or function. */
export type LossFunction = {
  /** The scalar loss of a batch. */
  forward(input: Tensor, target: Tensor): Tensor;
} | ((input: Tensor, target: Tensor) => Tensor);
/** A loss as `fit` accepts it. */
export type LossSpec = LossFunction | 'crossEntropy' | 'sparseCategoricalCrossentropy' | 'mse' | 'meanSquaredError' | 'mae' | 'meanAbsoluteError' | 'huber' | 'bceWithLogits';

/**
 * Class weights: 'balanced' (n / (C * count_c), from the training labels), a map class ->
 * weight (1 for classes it omits), or one weight per class.
 */
export type ClassWeight = 'balanced' | Record<number, number> | Map<number, number> | readonly number[] | Tensor;

const NAMED: Record<string, () => LossFunction> = {
  crossEntropy: () => new CrossEntropyLoss(),
  sparseCategoricalCrossentropy: () => new CrossEntropyLoss(),
  mse: () => new MSELoss(),
  meanSquaredError: () => new MSELoss(),
  mae: () => new L1Loss(),
  meanAbsoluteError: () => new L1Loss(),
  huber: () => new HuberLoss(),
  bceWithLogits: () => new BCEWithLogitsLoss(),
};

/** The loss as a module or function object, without class weights. */
export function lossObject(spec: LossSpec): LossFunction {
  if (typeof spec === 'string') {
    const make = NAMED[spec];
    if (!make) throw new RangeError(`fit: unknown loss '${spec}'; expected a loss module, a function or one of ${Object.keys(NAMED).join(', ')}`);
    return make();
  }
  if (typeof spec === 'function' || (spec && typeof (spec as { forward?: unknown }).forward === 'function')) return spec;
  throw new TypeError(`fit: loss must be a loss module, a function (input, target) => Tensor or a name, got ${Object.prototype.toString.call(spec)}`);
}

/** Whether the loss takes logits for a binary score (so a score's decision threshold is 0). */
export function takesLogits(loss: LossFunction): boolean {
  return loss instanceof BCEWithLogitsLoss;
}

/** Calls a loss module or function. */
export function callLoss(op: string, loss: LossFunction, input: Tensor, target: Tensor): Tensor {
  const value = typeof loss === 'function' ? loss(input, target) : loss.forward(input, target);
  if (!isInstance(value, Tensor)) typeError(op, 'the loss', 'a function returning a scalar Tensor', value);
  return value;
}

/**
 * The loss with class weights folded in: a CrossEntropyLoss with `weight` set (keeping its other
 * options). `labels` are the training labels ('balanced' needs them); `numClasses` is the
 * model's output width.
 */
export function weightedLoss(loss: LossFunction, classWeight: ClassWeight, numClasses: number, labels: Tensor | null): LossFunction {
  if (!(loss instanceof CrossEntropyLoss)) {
    throw new TypeError('fit: classWeight needs a cross-entropy loss (CrossEntropyLoss or \'crossEntropy\'), got ' + (loss.constructor?.name ?? typeof loss));
  }
  if (loss.options.weight) throw new Error('fit: the loss already has a per-class weight; give either classWeight or the loss weight');
  const weight = classWeightTensor(classWeight, numClasses, labels);
  return new CrossEntropyLoss({ ...loss.options, weight });
}

/** Per-class weights as a float32 tensor [numClasses]. */
export function classWeightTensor(classWeight: ClassWeight, numClasses: number, labels: Tensor | null): Tensor {
  const classes = Array.from({ length: numClasses }, (_, c) => c);
  let weights: number[];
  if (classWeight === 'balanced') {
    if (!labels) throw new Error("fit: classWeight 'balanced' needs the training labels: pass data as tensors [x, y] or a DataLoader over a TensorDataset");
    return computeClassWeight('balanced', labels, { classes });
  } else if (classWeight instanceof Tensor) {
    weights = Array.from(classWeight.toArray());
  } else if (Array.isArray(classWeight)) {
    weights = [...(classWeight as readonly number[])];
  } else {
    const map = classWeight instanceof Map ? classWeight : new Map(Object.entries(classWeight).map(([k, v]) => [Number(k), v]));
    for (const c of map.keys()) {
      if (!Number.isInteger(c) || c < 0 || c >= numClasses) throw new RangeError(`fit: classWeight names class ${c}, expected 0..${numClasses - 1} (the model outputs ${numClasses} classes)`);
    }
    weights = classes.map((c) => map.get(c) ?? 1);
  }
  if (weights.length !== numClasses) throw new RangeError(`fit: classWeight has ${weights.length} entries, the model outputs ${numClasses} classes`);
  const bad = weights.findIndex((w) => !Number.isFinite(w) || w < 0);
  if (bad >= 0) throw new RangeError(`fit: classWeight of class ${bad} must be finite and >= 0, got ${weights[bad]}`);
  return tensor(weights);
}
