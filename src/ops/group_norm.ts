/**
 * Group normalization, as torch.nn.functional.group_norm: the channels of x [N, C, *] in
 * numGroups groups, each (sample, group) normalized over its channels and positions,
 *   y = (x - mean_{n,g}) / sqrt(var_{n,g} + eps) * weight[c] + bias[c]   (biased variance).
 * On the native kernels: x viewed as [1, N*G, C/G * L] has one batch-norm "channel" per
 * (sample, group), so the batch-norm kernel's training-mode statistics and backward are
 * GroupNorm's; the per-channel affine is a depthwise 1x1 convolution (groups = C), which
 * carries its own weight and bias gradients.
 */
import { formatShape, type Tensor } from '../tensor.js';
import { checkInt32, checkNumber, checkOptionalTensor, option, optionKeys, readOptions } from '../validate/index.js';
import { batchNorm } from './batchnorm.js';
import { conv2d } from './conv.js';
import { checkFloat, fillKernel } from './kernels.js';

/** Options of groupNorm: per-channel weight and bias (absent: 1 and 0) and eps (default 1e-5). */
export interface GroupNormOptions {
  /** Per-channel scale [C] (default none). */
  weight?: Tensor | null;
  /** Per-channel shift [C] (default none). */
  bias?: Tensor | null;
  eps?: number;
}

const KEYS = optionKeys<GroupNormOptions>({ weight: true, bias: true, eps: true });

/**
 * Group normalization (torch.nn.functional.group_norm): x [N, C, ...] normalized over each of
 * `numGroups` groups of C / numGroups channels, then scaled and shifted per channel.
 *
 * ```ts
 * const y = groupNorm(x, 4, { eps: 1e-5 });
 * ```
 */
export function groupNorm(x: Tensor, numGroups: number, options: GroupNormOptions = {}): Tensor {
  checkFloat('groupNorm', 'x', x);
  checkInt32('groupNorm', 'numGroups', numGroups, 1);
  const o = readOptions<GroupNormOptions>('groupNorm', options, KEYS);
  const weight = checkOptionalTensor('groupNorm', option('weight'), o.weight, 'float32');
  const bias = checkOptionalTensor('groupNorm', option('bias'), o.bias, 'float32');
  const eps = o.eps === undefined ? 1e-5 : checkNumber('groupNorm', option('eps'), o.eps, { minOpen: 0 });
  if (x.ndim < 2) throw new RangeError(`groupNorm: input must be [N, C, *], got ${formatShape(x.shape)}`);
  const [N, C] = x.shape, G = numGroups;
  if (C % G !== 0) throw new RangeError(`groupNorm: the input's ${C} channels must be divisible by numGroups (${G})`);
  for (const [name, t] of [['weight', weight], ['bias', bias]] as const) {
    if (t && (t.ndim !== 1 || t.size !== C)) throw new RangeError(`groupNorm: ${name} must be [${C}], got ${formatShape(t.shape)}`);
  }
  const L = x.size / (N * C);
  if ((C / G) * L < 2) throw new RangeError(`groupNorm: each group of input ${formatShape(x.shape)} holds one value; it needs at least 2`);
  const normalized = batchNorm(x.reshape(1, N * G, (C / G) * L), { training: true, eps });
  if (!weight && !bias) return normalized.reshape(x.shape);
  const scale = weight ? weight.reshape(C, 1, 1, 1) : fillKernel(x.newEmpty([C, 1, 1, 1]), 1);
  return conv2d(normalized.reshape(N, C, L, 1), scale, bias, { groups: C }).reshape(x.shape);
}
