/** Inverted dropout with the counter-based RNG (native/cpu/dropout.h). */
import { isUnitSeed, record } from '../autograd/graph.js';
import { checkGenerator, defaultGenerator, type Generator } from '../random.js';
import { Tensor } from '../tensor.js';
import { checkFloat, fillKernel } from './kernels.js';
import { checkBoolean, checkNumber } from '../validate/index.js';

/**
 * Zeroes each element with probability p and scales the survivors by 1 / (1 - p), when
 * `training`; the identity otherwise (returns `x` itself). The mask is element i's draw
 * (generator.seed, offset + i) of src/random.ts's stream, so backward regenerates it instead of
 * keeping it: the gradient is dropout of the upstream gradient with the same draws.
 */
export function dropout(x: Tensor, p = 0.5, training = true, generator: Generator = defaultGenerator): Tensor {
  checkFloat('dropout', 'x', x);
  checkNumber('dropout', 'p', p, { min: 0, max: 1 });
  checkBoolean('dropout', 'training', training);
  checkGenerator('dropout', 'generator', generator);
  if (!training || p === 0) return x;
  const out = x.newEmpty(x.shape);
  if (p === 1) return record(fillKernel(out, 0), 'dropout', [x], () => [x.newEmpty(x.shape, 'float32', true)]);
  const { seed } = generator;
  const start = generator.take(x.size);
  x.backend.dropout(x.buffer, x.offset, out.buffer, out.offset, x.size, p, seed, start);
  return record(out, 'dropout', [x], (g) => {
    const dx = isUnitSeed(g) ? g.newEmpty(g.shape) : g;
    g.backend.dropout(g.buffer, g.offset, dx.buffer, dx.offset, g.size, p, seed, start);
    return [dx];
  });
}
