/**
 * The arguments of fit, evaluate, predict and compile, read once and checked before any of them
 * touches the model, the optimizer or the data: a bad option throws naming it, and nothing has
 * moved (the optimizer's clipping, the model's mode, a loader's position).
 */
import { Module } from '../nn/module.js';
import { Tensor } from '../tensor.js';
import {
  checkArray, checkBoolean, checkChoice, checkFunction, checkInt32, checkInteger, checkNumber, checkNumbers, checkString, isInstance,
  isPlainObject, option, optionKeys, prefixed, readOptions, readSafely, typeError,
} from '../validate/index.js';
import { Callback } from './callbacks/callback.js';
import type { EvaluateOptions } from './evaluate.js';
import type { FitOptimizer, FitOptions } from './fit.js';
import { Metric } from './metrics/metric.js';
import { createMetric } from './metrics/index.js';
import type { PredictOptions } from './predict.js';

export const FIT_KEYS = optionKeys<FitOptions>({
  data: true, validationData: true, validationSplit: true, epochs: true, optimizer: true, loss: true, batchSize: true,
  shuffle: true, seed: true, schedules: true, metrics: true, callbacks: true, classWeight: true, gradientClip: true,
  signal: true, verbose: true, log: true, monitor: true, yieldEveryMs: true, resumeFrom: true,
});
const EVALUATE_KEYS = optionKeys<EvaluateOptions>({ loss: true, metrics: true, batchSize: true, yieldEveryMs: true });
const PREDICT_KEYS = optionKeys<PredictOptions>({ batchSize: true, yieldEveryMs: true });
const CLIP_KEYS = optionKeys<{ norm?: number; value?: number }>({ norm: true, value: true });

/** The model argument: an nn.Module. */
export const checkModel = (op: string, model: unknown): Module =>
  isInstance(model, Module) ? model : typeError(op, 'model', 'an nn.Module', model);

/** Something fit can step: paramGroups with numeric lrs, step() and zeroGrad(). */
export function checkFitOptimizer(op: string, optimizer: unknown): FitOptimizer {
  const what = 'an optim.* optimizer (paramGroups, step, zeroGrad)';
  if (typeof optimizer !== 'object' || optimizer === null) typeError(op, option('optimizer'), what, optimizer);
  return readSafely(op, option('optimizer'), () => {
    const o = optimizer as Partial<FitOptimizer>;
    if (!Array.isArray(o.paramGroups) || typeof o.step !== 'function' || typeof o.zeroGrad !== 'function') {
      typeError(op, option('optimizer'), what, optimizer);
    }
    o.paramGroups.forEach((g, i) => checkNumber(op, `optimizer.paramGroups[${i}].lr`, g?.lr, { min: 0 }));
    return o as FitOptimizer;
  });
}

/** A metrics list: names or Metric instances. */
function checkMetrics(op: string, metrics: unknown): void {
  checkArray(op, option('metrics'), metrics, 'an array of metric names or Metric instances').forEach((m, i) => {
    if (typeof m !== 'string' && !isInstance(m, Metric)) typeError(op, `metrics[${i}]`, 'a metric name or a Metric', m);
    // A name is known when createMetric can make it (the class count does not matter here).
    if (typeof m === 'string') prefixed(`${op}: metrics[${i}]`, () => createMetric(m, { numClasses: 2 }));
  });
}

/** A loss: a name, a function, or an object with forward (resolved, with its own message, by lossObject). */
function checkLoss(op: string, loss: unknown): void {
  if (typeof loss === 'string' || typeof loss === 'function') return;
  const forward = readSafely(op, option('loss'), () => (loss as { forward?: unknown } | null)?.forward);
  if (typeof forward !== 'function') typeError(op, option('loss'), 'a loss module, a function (input, target) => Tensor or a name', loss);
}

function checkBatchSize(op: string, batchSize: unknown): void {
  if (batchSize !== undefined) checkInt32(op, option('batchSize'), batchSize, 1);
}

function checkYield(op: string, every: unknown): void {
  if (every !== undefined) checkNumber(op, option('yieldEveryMs'), every, { min: 0 });
}

/** A data argument's outer shape: tensors [x, y] / { x, y }, or an object to iterate. */
function checkData(op: string, name: string, data: unknown): void {
  if (typeof data !== 'object' || data === null || ArrayBuffer.isView(data)) {
    typeError(op, name, 'a DataLoader, an iterable of [x, y] batches or tensors [x, y]', data);
  }
  readSafely(op, name, () => {
    if (Array.isArray(data)) {
      // Tensors [x, y], or an array of batches, each [x, y].
      if (data.length === 2 && data.every((t) => isInstance(t, Tensor))) {
        data.forEach((t, i) => checkTensorLive(op, `${name}[${i}]`, t));
        return;
      }
      if (data.length === 0) typeError(op, name, 'tensors [x, y] or a non-empty array of [x, y] batches', data);
      data.forEach((b, i) => {
        if (!Array.isArray(b) || b.length < 2) typeError(op, `${name}[${i}]`, 'a batch [x, y] of tensors', b);
        checkTensorLive(op, `${name}[${i}] x`, b[0]);
        checkTensorLive(op, `${name}[${i}] y`, b[1]);
      });
      return;
    }
    const o = data as { x?: unknown; y?: unknown };
    if (isPlainObject(data) && ('x' in o || 'y' in o)) {
      checkTensorLive(op, `${name}.x`, o.x);
      checkTensorLive(op, `${name}.y`, o.y);
    }
  });
}

function checkTensorLive(op: string, name: string, t: unknown): void {
  if (!isInstance(t, Tensor)) typeError(op, name, 'a Tensor', t);
  if (t.disposed) typeError(op, name, 'a live Tensor', t);
}

/** fit's options, read once and checked; `optimizer` is returned checked. */
export function fitOptions(op: string, options: unknown): FitOptions {
  if (options === undefined) throw new TypeError(`${op}: options { data, epochs, optimizer, loss } are required`);
  const o = readOptions<FitOptions>(op, options, FIT_KEYS);
  checkData(op, option('data'), o.data);
  if (o.validationData !== undefined) checkData(op, option('validationData'), o.validationData);
  if (o.validationSplit !== undefined) checkNumber(op, option('validationSplit'), o.validationSplit, { minOpen: 0, maxOpen: 1 });
  if (o.validationData !== undefined && o.validationSplit !== undefined) throw new Error(`${op}: give validationData or validationSplit, not both`);
  checkInt32(op, option('epochs'), o.epochs, 1);
  checkFitOptimizer(op, o.optimizer);
  checkLoss(op, o.loss);
  checkBatchSize(op, o.batchSize);
  if (o.shuffle !== undefined) checkBoolean(op, option('shuffle'), o.shuffle);
  if (o.seed !== undefined) checkInteger(op, option('seed'), o.seed, { min: 0 });
  if (o.schedules !== undefined) checkArray(op, option('schedules'), o.schedules, 'an array of schedules');
  if (o.metrics !== undefined) checkMetrics(op, o.metrics);
  if (o.callbacks !== undefined) {
    checkArray(op, option('callbacks'), o.callbacks, 'an array of Callback instances');
    o.callbacks.forEach((c, i) => isInstance(c, Callback) || typeError(op, `callbacks[${i}]`, 'a Callback', c));
  }
  if (o.gradientClip !== undefined) checkGradientClip(op, o.gradientClip);
  if (o.classWeight !== undefined) checkClassWeight(op, o.classWeight);
  if (o.signal !== undefined && !isInstance(o.signal, AbortSignal)) typeError(op, option('signal'), 'an AbortSignal', o.signal);
  if (o.verbose !== undefined) checkChoice(op, option('verbose'), o.verbose, [0, 1, true, false] as const);
  if (o.log !== undefined) checkFunction(op, option('log'), o.log);
  if (o.monitor !== undefined && o.monitor !== false && !isPlainObject(o.monitor)) {
    typeError(op, option('monitor'), 'TrainingMonitor options or false', o.monitor);
  }
  checkYield(op, o.yieldEveryMs);
  if (o.resumeFrom !== undefined) checkString(op, option('resumeFrom'), o.resumeFrom, true);
  return o as FitOptions;
}

/** 'balanced', one weight per class (an array or a float32 tensor), or a map class -> weight. */
function checkClassWeight(op: string, cw: unknown): void {
  const name = option('classWeight');
  if (cw === 'balanced') return;
  if (isInstance(cw, Tensor)) {
    checkTensorLive(op, name, cw);
    if (cw.dtype !== 'float32' || cw.ndim !== 1) typeError(op, name, 'a 1-D float32 tensor of weights', cw);
    return;
  }
  if (Array.isArray(cw)) {
    checkNumbers(op, name, cw, { min: 0 });
    return;
  }
  if (!isInstance(cw, Map) && !isPlainObject(cw)) typeError(op, name, "'balanced', an array of weights or a map class -> weight", cw);
  readSafely(op, name, () => {
    for (const [c, w] of isInstance(cw, Map) ? cw : Object.entries(cw)) {
      checkNumber(op, `${name} class`, Number(c), { integer: true, min: 0 });
      checkNumber(op, `${name} weight of class ${String(c)}`, w, { min: 0 });
    }
  });
}

/** A number (the global norm) or { norm, value }, each a finite number > 0. */
function checkGradientClip(op: string, clip: unknown): void {
  if (typeof clip === 'number') {
    checkNumber(op, option('gradientClip'), clip, { minOpen: 0 });
    return;
  }
  const { norm, value } = readOptions<{ norm?: number; value?: number }>(op, clip, CLIP_KEYS, option('gradientClip'));
  if (norm !== undefined) checkNumber(op, "option 'gradientClip' norm", norm, { minOpen: 0 });
  if (value !== undefined) checkNumber(op, "option 'gradientClip' value", value, { minOpen: 0 });
}

/** evaluate's options, read once and checked. */
export function evaluateOptions(op: string, options: unknown): EvaluateOptions {
  const o = readOptions<EvaluateOptions>(op, options, EVALUATE_KEYS);
  if (o.loss !== undefined) checkLoss(op, o.loss);
  if (o.metrics !== undefined) checkMetrics(op, o.metrics);
  checkBatchSize(op, o.batchSize);
  checkYield(op, o.yieldEveryMs);
  return o;
}

/** predict's options, read once and checked. */
export function predictOptions(op: string, options: unknown): PredictOptions {
  const o = readOptions<PredictOptions>(op, options, PREDICT_KEYS);
  checkBatchSize(op, o.batchSize);
  checkYield(op, o.yieldEveryMs);
  return o;
}

export { checkData, checkLoss, checkMetrics };
