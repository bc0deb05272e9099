/** Inverted dropout with the counter-based RNG (native/cpu/dropout.h). */
import { isUnitSeed, record } from '../autograd/graph.js';
import { defaultGenerator, type Generator } from '../random.js';
import { Tensor } from '../tensor.js';
import { checkFloat, fillKernel } from './kernels.js';
import { nnNative } from './nn_native.js';

/**
 * Zeroes each element with probability p and scales the survivors by 1 / (1 - p), when
 * `training`; the identity otherwise (returns `x` itself). The mask is element i's draw
 * (generator.seed, offset + i) of src/random.ts's stream, so backward regenerates it instead of
 * keeping it: the gradient is dropout of the upstream gradient with the same draws.
 */
export function dropout(x: Tensor, p = 0.5, training = true, generator: Generator = defaultGenerator): Tensor {
  checkFloat('dropout', x);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`dropout: p must be in [0, 1], got ${p}`);
  if (!training || p === 0) return x;
  const out = Tensor.empty(x.shape);
  if (p === 1) return record(fillKernel(out, 0), 'dropout', [x], () => [fillKernel(Tensor.empty(x.shape), 0)]);
  const { seed } = generator;
  const start = generator.take(x.size);
  nnNative.dropout(x.buffer, x.offset, out.buffer, out.offset, x.size, p, seed, start);
  return record(out, 'dropout', [x], (g) => {
    const dx = isUnitSeed(g) ? Tensor.empty(g.shape) : g;
    nnNative.dropout(g.buffer, g.offset, dx.buffer, dx.offset, g.size, p, seed, start);
    return [dx];
  });
}
