/**
 * Regularizers as differentiable loss terms, the handbook's first style:
 *   L1: lambda * sum |W|        (gradient lambda * sign(W))
 *   L2: lambda * sum W^2        (gradient 2 * lambda * W)
 * The second style puts them in the optimizer: `l1: lambda` adds the same L1 gradient, and
 * `weightDecay: 2 * lambda` the same L2 gradient (PyTorch's weight decay is the gradient of
 * (weightDecay / 2) * sum W^2). Built from autograd ops, so backward() reaches the parameters.
 */
import { abs, add, mul, square } from '../ops/elementwise.js';
import { sum } from '../ops/reduce.js';
import type { Tensor } from '../tensor.js';
import { checkNumber } from './validate.js';

function penalty(op: string, params: Iterable<Tensor>, lambda: number, term: (p: Tensor) => Tensor): Tensor {
  checkNumber(op, 'lambda', lambda, { min: 0 });
  let total: Tensor | null = null;
  for (const p of params) {
    const s = sum(term(p));
    total = total ? add(total, s) : s;
  }
  if (!total) throw new Error(`${op}: got no parameters`);
  return mul(total, lambda);
}

/** lambda * sum over every parameter of |w|, as a scalar tensor in the graph. */
export function l1Penalty(params: Iterable<Tensor>, lambda: number): Tensor {
  return penalty('l1Penalty', params, lambda, abs);
}

/** lambda * sum over every parameter of w^2, as a scalar tensor in the graph. */
export function l2Penalty(params: Iterable<Tensor>, lambda: number): Tensor {
  return penalty('l2Penalty', params, lambda, square);
}
