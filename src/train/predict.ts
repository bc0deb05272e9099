/**
 * predict(): the model's outputs for every row of `x`, computed in batches without recording
 * a graph, in evaluation mode (every module's mode restored afterwards), gathered into one
 * tensor [n, ...outputShape]. Pauses for the event loop between batches, as `fit` does.
 */
import { setGradEnabled } from '../autograd/graph.js';
import type { Module } from '../nn/module.js';
import { copyKernel } from '../ops/kernels.js';
import { Tensor } from '../tensor.js';
import { EventLoopYielder } from './event_loop.js';
import { setModeTemporarily } from './model_mode.js';
import { checkModel, predictOptions } from './fit_options.js';
import { checkTensor, prefixed } from '../validate/index.js';

/** Options of predict(). */
export interface PredictOptions {
  /** Rows per forward pass (default 256). */
  batchSize?: number;
  /** Pause for the event loop once this many ms have passed (default 5; 0: every batch). */
  yieldEveryMs?: number;
}

/** The outputs for all of `x` (rows along dimension 0). */
export async function predict(model: Module, x: Tensor, options: PredictOptions = {}): Promise<Tensor> {
  checkModel('predict', model);
  checkTensor('predict', 'x', x);
  options = predictOptions('predict', options);
  const batchSize = options.batchSize ?? 256;
  if (x.ndim < 1) throw new TypeError('predict: x must be a tensor with samples along dimension 0');
  const n = x.shape[0];
  if (n === 0) throw new RangeError('predict: x has no rows');
  const yielder = new EventLoopYielder(options.yieldEveryMs ?? 5);
  const restore = setModeTemporarily(model, false);
  let result: Tensor | null = null;
  try {
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(n, start + batchSize);
      const previous = setGradEnabled(false);
      try {
        // A model that rejects the rows (a shape mismatch) names the call that fed it.
        result = prefixed('predict', () => predictRows(model, x, start, end, n, result));
      } finally {
        setGradEnabled(previous);
      }
      await yielder.maybeYield();
    }
  } catch (err) {
    result?.dispose();
    throw err;
  } finally {
    restore();
  }
  return result!;
}

/** The outputs for rows [start, end) of x, written into `result` (created on the first batch). */
function predictRows(model: Module, x: Tensor, start: number, end: number, n: number, result: Tensor | null): Tensor {
  const rows = x.rows(start, end);
  const out = model.forward(rows);
  const all = result ?? out.newEmpty([n, ...out.shape.slice(1)], out.dtype);
  const slot = all.rows(start, end);
  copyKernel(slot, out);
  slot.dispose();
  if (out !== rows) out.dispose();
  rows.dispose();
  return all;
}
