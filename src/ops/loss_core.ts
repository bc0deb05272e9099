/**
 * Loss functions (as torch.nn.functional), each one native call forward. The gradient with
 * respect to the input is computed in the same pass (it costs one more write per element) and
 * handed to backward, which only rescales it by the upstream gradient, or not at all when
 * backward starts from the loss itself. Math: native/common/losses.h.
 */
import { isUnitSeed, markResult, needsGrad, record } from '../autograd/graph.js';
import { formatShape, Tensor } from '../tensor.js';
import { tensor } from './creation.js';
import { mul } from './elementwise.js';
import { mean, sum } from './reduce.js';
import { binaryKernel, checkFloat, scalarKernel } from './kernels.js';
import { backendOf } from './device.js';
import {
  checkChoice, checkInt32, checkNumber, checkOptionalTensor, checkTensor, option, optionKeys, readOptions,
} from '../validate/index.js';

/** How per-element (or per-sample) losses are combined: as PyTorch's `reduction`. */
export type Reduction = 'none' | 'mean' | 'sum';

export interface ClassLossOptions {
  /** Per-class weights, float32 of shape [C]. */
  weight?: Tensor | null;
  /** Targets equal to this are skipped (default -100, as PyTorch). */
  ignoreIndex?: number;
  reduction?: Reduction;
}

export interface CrossEntropyOptions extends ClassLossOptions {
  /** Label smoothing e in [0, 1]: the target becomes (1 - e) one-hot + e / C uniform. */
  labelSmoothing?: number;
}

export interface BceWithLogitsOptions {
  /**
   * PyTorch's `weight`: a rescaling of each element's loss, broadcast over the input (one per
   * class [C], one per sample [N, 1], or the full [N, C]); applied before the reduction, so
   * 'mean' is mean(weight * loss), as PyTorch's.
   */
  weight?: Tensor | null;
  /** Weight of positive examples, per class (shape [C], the last dimension) or one number. */
  posWeight?: Tensor | number | null;
  reduction?: Reduction;
}

const REDUCTIONS = ['none', 'mean', 'sum'] as const;
export const CLASS_LOSS_KEYS = optionKeys<ClassLossOptions>({ weight: true, ignoreIndex: true, reduction: true });
export const CROSS_ENTROPY_KEYS = optionKeys<CrossEntropyOptions>({ weight: true, ignoreIndex: true, reduction: true, labelSmoothing: true });
export const BCE_KEYS = optionKeys<BceWithLogitsOptions>({ weight: true, posWeight: true, reduction: true });

const checkReduction = (op: string, name: string, reduction: unknown): Reduction => checkChoice(op, name, reduction, REDUCTIONS);

function reductionName(op: string, reduction: Reduction): Reduction {
  return checkReduction(op, 'reduction', reduction);
}

/** Checked class-loss options with their defaults (PyTorch's). */
export function classLossOptions(op: string, options: unknown, smoothing: boolean): Required<CrossEntropyOptions> {
  const o = readOptions<CrossEntropyOptions>(op, options, smoothing ? CROSS_ENTROPY_KEYS : CLASS_LOSS_KEYS);
  return {
    weight: checkOptionalTensor(op, option('weight'), o.weight, 'float32'),
    ignoreIndex: o.ignoreIndex === undefined ? -100 : checkInt32(op, option('ignoreIndex'), o.ignoreIndex, -(2 ** 31)),
    labelSmoothing: o.labelSmoothing === undefined ? 0 : checkNumber(op, option('labelSmoothing'), o.labelSmoothing, { min: 0, max: 1 }),
    reduction: o.reduction === undefined ? 'mean' : checkReduction(op, option('reduction'), o.reduction),
  };
}

/** Checked BCE-with-logits options with their defaults. */
export function bceOptions(op: string, options: unknown): Required<BceWithLogitsOptions> {
  const o = readOptions<BceWithLogitsOptions>(op, options, BCE_KEYS);
  const pw = o.posWeight;
  return {
    weight: checkOptionalTensor(op, option('weight'), o.weight, 'float32'),
    posWeight: pw === undefined || pw === null ? null
      : typeof pw === 'number' ? checkNumber(op, option('posWeight'), pw, { min: 0 })
      : checkTensor(op, option('posWeight'), pw, 'float32'),
    reduction: o.reduction === undefined ? 'mean' : checkReduction(op, option('reduction'), o.reduction),
  };
}

/**
 * Scales a gradient computed for upstream 1 by the actual upstream gradient g: a scalar for
 * mean/sum, or `layout` ('column' per row, 'full' per element) for reduction 'none'.
 */
function scaleGrad(grad: Tensor, g: Tensor, rows: number, cols: number, layout: 'column' | 'full' | 'scalar'): Tensor {
  if (isUnitSeed(g)) return grad;
  return binaryKernel('mul', grad, g, { shape: grad.shape, rows, cols, a: 'full', b: layout }, grad);
}

/** @internal A class loss under the name `op` (a module's forward), with checked options. */
export function classLoss(op: string, input: Tensor, target: Tensor, options: Required<CrossEntropyOptions>, logProb: boolean): Tensor {
  const { weight, ignoreIndex, labelSmoothing, reduction } = options;
  checkFloat(op, 'input', input);
  checkTensor(op, 'target', target);
  if (input.ndim !== 2) throw new RangeError(`${op}: input must be [batch, classes], got ${formatShape(input.shape)}`);
  const [N, C] = input.shape;
  if (target.dtype !== 'int32') {
    throw new TypeError(`${op}: target must be an int32 tensor of class indices, got ${target.dtype}`);
  }
  if (target.ndim !== 1 || target.shape[0] !== N) {
    throw new RangeError(`${op}: target must have shape [${N}], got ${formatShape(target.shape)}`);
  }
  if (weight) {
    if (weight.ndim !== 1 || weight.shape[0] !== C) {
      throw new RangeError(`${op}: weight must have shape [${C}], got ${formatShape(weight.shape)}`);
    }
  }
  const red = reductionName(op, reduction);
  const backend = backendOf(op, input, target, weight);
  const out = input.newEmpty(reduction === 'none' ? [N] : []);
  const grad = needsGrad([input]) ? input.newEmpty(input.shape) : null;
  backend.classLoss(input.buffer, input.offset, target.buffer, target.offset, weight?.buffer ?? null,
    weight?.offset ?? 0, N, C, ignoreIndex, labelSmoothing, logProb, red, out.buffer, out.offset,
    grad?.buffer ?? null, grad?.offset ?? 0);
  if (!grad) return out;
  record(out, op, [input], (g) => [scaleGrad(grad, g, N, C, reduction === 'none' ? 'column' : 'scalar')]);
  markResult(out);
  return out;
}

/**
 * Cross-entropy of logits [N, C] against int32 class indices [N], with softmax and the loss
 * fused into one native kernel (forward and gradient): PyTorch 1.13's cross_entropy, including
 * class weights (the mean divides by the summed weight of the kept targets), ignoreIndex and
 * label smoothing.
 */
export const crossEntropy = (input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor =>
  classLoss('crossEntropy', input, target, classLossOptions('crossEntropy', options, true), false);

/** Negative log-likelihood of log-probabilities [N, C] (e.g. logSoftmax output), as nll_loss. */
export const nllLoss = (input: Tensor, target: Tensor, options: ClassLossOptions = {}): Tensor =>
  classLoss('nllLoss', input, target, classLossOptions('nllLoss', options, false), true);

export type PointwiseName = 'mse' | 'l1' | 'huber' | 'bceWithLogits';

/** @internal A pointwise loss under the name `op` (a module's forward). */
export function pointwise(op: string, kind: PointwiseName, input: Tensor, target: Tensor, reduction: Reduction,
  param: number, posWeight: Tensor | null = null): Tensor {
  checkFloat(op, 'input', input);
  checkFloat(op, 'target', target);
  const red = reductionName(op, reduction);
  if (input.size !== target.size || input.ndim !== target.ndim || input.shape.some((d, i) => d !== target.shape[i])) {
    throw new RangeError(`${op}: target shape ${formatShape(target.shape)} differs from input shape ${formatShape(input.shape)}`);
  }
  const cols = input.ndim ? input.shape[input.ndim - 1] || 1 : 1;
  if (posWeight && posWeight.size !== cols) {
    throw new RangeError(`${op}: posWeight must have ${cols} elements (the last dimension), got ${formatShape(posWeight.shape)}`);
  }
  // BCE's target is treated as a constant (labels); the regression losses also differentiate it.
  const inputs = kind === 'bceWithLogits' ? [input] : [input, target];
  const backend = backendOf(op, input, target, posWeight);
  const out = input.newEmpty(reduction === 'none' ? input.shape : []);
  const grad = needsGrad(inputs) ? input.newEmpty(input.shape) : null;
  backend.pointwiseLoss(kind, input.buffer, input.offset, target.buffer, target.offset,
    posWeight?.buffer ?? null, posWeight?.offset ?? 0, input.size, cols, param, red, out.buffer, out.offset,
    grad?.buffer ?? null, grad?.offset ?? 0);
  if (!grad) return out;
  record(out, op, inputs, (g) => {
    const gx = scaleGrad(grad, g, 1, input.size, reduction === 'none' ? 'full' : 'scalar');
    // d loss / d target = -(d loss / d input) for functions of (input - target).
    const gt = inputs.length > 1 && target.requiresGrad ? scalarKernel('mul', gx, -1) : null;
    return [input.requiresGrad ? gx : (gx.dispose(), null), gt];
  });
  markResult(out);
  return out;
}

/** Mean squared error (input - target)^2. */
export const mseLoss = (input: Tensor, target: Tensor, reduction: Reduction = 'mean') =>
  pointwise('mseLoss', 'mse', input, target, reduction, 0);

/** Mean absolute error |input - target|. */
export const l1Loss = (input: Tensor, target: Tensor, reduction: Reduction = 'mean') =>
  pointwise('l1Loss', 'l1', input, target, reduction, 0);

/** Huber loss: quadratic within `delta` of the target, linear beyond (PyTorch's huber_loss). */
export function huberLoss(input: Tensor, target: Tensor, reduction: Reduction = 'mean', delta = 1): Tensor {
  checkNumber('huberLoss', 'delta', delta, { minOpen: 0 });
  return pointwise('huberLoss', 'huber', input, target, reduction, delta);
}

/**
 * Binary cross-entropy on logits, computed stably in one native kernel (PyTorch's
 * binary_cross_entropy_with_logits): (1 - t) x + (1 + (pw - 1) t) log(1 + e^-x).
 */
export const binaryCrossEntropyWithLogits = (input: Tensor, target: Tensor, options: BceWithLogitsOptions = {}): Tensor =>
  bceLoss('binaryCrossEntropyWithLogits', input, target, bceOptions('binaryCrossEntropyWithLogits', options));

/** @internal BCE with logits under the name `op`, with checked options. */
export function bceLoss(op: string, input: Tensor, target: Tensor, options: Required<BceWithLogitsOptions>): Tensor {
  const { posWeight, reduction, weight } = options;
  checkTensor(op, 'input', input);
  checkTensor(op, 'target', target);
  if (weight !== null) return weightedBce(op, input, target, weight, { posWeight, reduction });
  // int32 labels {0, 1} are taken as float targets (PyTorch wants float; a label column from
  // a CSV or a split is int32).
  const floatTarget = target.dtype === 'int32' ? binaryLabels(op, input, target) : null;
  try {
    const t = floatTarget ?? target;
    if (typeof posWeight === 'number') return pointwise(op, 'bceWithLogits', input, t, reduction, posWeight);
    return pointwise(op, 'bceWithLogits', input, t, reduction, 1, posWeight);
  } finally {
    floatTarget?.dispose();
  }
}

/** BCE with a per-element weight: the unreduced losses times `weight`, then reduced. */
function weightedBce(op: string, input: Tensor, target: Tensor, weight: Tensor, options: { posWeight: Tensor | number | null; reduction: Reduction }): Tensor {
  const perElement = bceLoss(op, input, target, { posWeight: options.posWeight, reduction: 'none', weight: null });
  let weighted: Tensor;
  try {
    weighted = mul(perElement, weight);
  } catch {
    throw new RangeError(`${op}: weight ${formatShape(weight.shape)} does not broadcast over the input ${formatShape(input.shape)}; give [C], [N, 1] or [N, C]`);
  }
  if (options.reduction === 'none') return weighted;
  return options.reduction === 'sum' ? sum(weighted) : mean(weighted);
}

/**
 * int32 labels as float32 0/1 targets, in the input's shape when they are one label per row of
 * an [n, 1] input (labels [n]); throws for a label other than 0 or 1.
 */
function binaryLabels(op: string, input: Tensor, target: Tensor): Tensor {
  const labels = target.toArray();
  const bad = labels.findIndex((v) => v !== 0 && v !== 1);
  if (bad >= 0) throw new RangeError(`${op}: int32 target ${bad} is ${labels[bad]}, expected a binary label 0 or 1 (or give float32 targets)`);
  const column = input.ndim === 2 && input.shape[1] === 1 && target.ndim === 1 && target.size === input.shape[0];
  return tensor(Float32Array.from(labels), column ? [...input.shape] : [...target.shape]);
}

/** Checked `{ reduction }` options (MSELoss, L1Loss) or `{ reduction, delta }` (HuberLoss). */
export function regressionOptions(op: string, options: unknown, huber: boolean): { reduction: Reduction; delta: number } {
  const o = readOptions<{ reduction?: Reduction; delta?: number }>(op, options, huber ? HUBER_KEYS : REDUCTION_KEYS);
  return {
    reduction: o.reduction === undefined ? 'mean' : checkReduction(op, option('reduction'), o.reduction),
    delta: o.delta === undefined ? 1 : checkNumber(op, option('delta'), o.delta, { minOpen: 0 }),
  };
}

const REDUCTION_KEYS = optionKeys<{ reduction?: Reduction }>({ reduction: true });
const HUBER_KEYS = optionKeys<{ reduction?: Reduction; delta?: number }>({ reduction: true, delta: true });
