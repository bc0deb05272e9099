/** Batch normalization as one native call each way (native/cpu/batchnorm.h). */
import { record, needsGrad } from '../autograd/graph.js';
import { formatShape, Tensor } from '../tensor.js';
import { checkFloat } from './kernels.js';
import { checkBoolean, checkNumber, checkOptionalTensor, option, optionKeys, readOptions } from '../validate/index.js';
import { backendOf } from './device.js';

/** Options of the batchNorm op: running statistics to use or update, the affine weight and bias, training mode, momentum and eps, as torch.nn.functional.batch_norm's. */
export interface BatchNormOptions {
  runningMean?: Tensor | null;
  runningVar?: Tensor | null;
  weight?: Tensor | null;
  bias?: Tensor | null;
  /** Batch statistics (and running-statistics updates) when true, running statistics when false. */
  training?: boolean;
  /** running = (1 - momentum) running + momentum batch. */
  momentum?: number;
  eps?: number;
}

const BATCH_NORM_KEYS = optionKeys<BatchNormOptions>({
  runningMean: true, runningVar: true, weight: true, bias: true, training: true, momentum: true, eps: true,
});

/**
 * y = (x - mean) / sqrt(var + eps) * weight + bias per channel of x [N, C] or [N, C, L], as
 * torch.nn.functional.batch_norm: training uses the batch mean and biased variance and updates
 * the running statistics in place (with the unbiased variance); eval uses the running ones.
 */
export function batchNorm(x: Tensor, options: BatchNormOptions = {}): Tensor {
  checkFloat('batchNorm', 'x', x);
  const o = readOptions<BatchNormOptions>('batchNorm', options, BATCH_NORM_KEYS);
  const tensorOption = (k: 'runningMean' | 'runningVar' | 'weight' | 'bias') => checkOptionalTensor('batchNorm', option(k), o[k], 'float32');
  const [runningMean, runningVar, weight, bias] = [tensorOption('runningMean'), tensorOption('runningVar'), tensorOption('weight'), tensorOption('bias')];
  const training = o.training === undefined ? true : checkBoolean('batchNorm', option('training'), o.training);
  const momentum = o.momentum === undefined ? 0.1 : checkNumber('batchNorm', option('momentum'), o.momentum, { min: 0, max: 1 });
  const eps = o.eps === undefined ? 1e-5 : checkNumber('batchNorm', option('eps'), o.eps, { minOpen: 0 });
  if (x.ndim !== 2 && x.ndim !== 3) throw new RangeError(`batchNorm: input must be [N, C] or [N, C, L], got ${formatShape(x.shape)}`);
  const [N, C] = x.shape;
  const L = x.ndim === 3 ? x.shape[2] : 1;
  for (const [name, t] of [['weight', weight], ['bias', bias], ['runningMean', runningMean], ['runningVar', runningVar]] as const) {
    if (t && (t.dtype !== 'float32' || t.size !== C)) {
      throw new RangeError(`batchNorm: ${name} must be float32 with ${C} elements, got ${formatShape(t.shape)} ${t.dtype}`);
    }
  }
  if (!training && (!runningMean || !runningVar)) throw new Error('batchNorm: eval mode needs runningMean and runningVar');
  // As PyTorch, on every device (the batch variance of one value is 0 and its gradient meaningless).
  if (training && N * L < 2) {
    throw new RangeError(`batchNorm: expected more than 1 value per channel when training, got input ${formatShape(x.shape)}`);
  }
  const backend = backendOf('batchNorm', x, weight, bias, runningMean, runningVar);
  const y = x.newEmpty(x.shape);
  const saveMean = x.newEmpty([C]);
  const saveInvstd = x.newEmpty([C]);
  backend.batchNormForward(x.buffer, x.offset, N, C, L, weight?.buffer ?? null, weight?.offset ?? 0,
    bias?.buffer ?? null, bias?.offset ?? 0, runningMean?.buffer ?? null, runningMean?.offset ?? 0,
    runningVar?.buffer ?? null, runningVar?.offset ?? 0, training, momentum, eps, y.buffer, y.offset,
    saveMean.buffer, saveMean.offset, saveInvstd.buffer, saveInvstd.offset);
  const inputs = [x, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
  if (!needsGrad(inputs)) {
    saveMean.dispose();
    saveInvstd.dispose();
    return y;
  }
  return record(y, 'batchNorm', inputs, (g) => {
    const dx = x.requiresGrad ? x.newEmpty(x.shape) : null;
    const dw = weight?.requiresGrad ? x.newEmpty([C]) : null;
    const db = bias?.requiresGrad ? x.newEmpty([C]) : null;
    backendOf('batchNorm', x, g).batchNormBackward(x.buffer, x.offset, g.buffer, g.offset, N, C, L, weight?.buffer ?? null,
      weight?.offset ?? 0, saveMean.buffer, saveMean.offset, saveInvstd.buffer, saveInvstd.offset, training,
      dx?.buffer ?? null, dx?.offset ?? 0, dw?.buffer ?? null, dw?.offset ?? 0, db?.buffer ?? null, db?.offset ?? 0);
    saveMean.dispose();
    saveInvstd.dispose();
    const grads: (Tensor | null)[] = [dx];
    if (weight) grads.push(dw);
    if (bias) grads.push(db);
    return grads;
  });
}
