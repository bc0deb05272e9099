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
import { checkNumber, checkTensor, errorText, typeError } from '../validate/index.js';

/** The tensors of an iterable, each checked (read once, before any op runs). */
function tensorsOf(op: string, params: unknown): Tensor[] {
  if (typeof params !== 'object' || params === null) typeError(op, 'params', 'an iterable of tensors', params);
  let list: unknown[];
  try {
    if (!(Symbol.iterator in params)) typeError(op, 'params', 'an iterable of tensors', params);
    list = [...(params as Iterable<unknown>)];
  } catch (e) {
    if (e instanceof TypeError && e.message.startsWith(`${op}:`)) throw e;
    throw new TypeError(`${op}: iterating params threw: ${errorText(e)}`, { cause: e });
  }
  return list.map((p, i) => checkTensor(op, `params[${i}]`, p, 'float32'));
}

function penalty(op: string, params: Iterable<Tensor>, lambda: number, term: (p: Tensor) => Tensor): Tensor {
  const list = tensorsOf(op, params);
  checkNumber(op, 'lambda', lambda, { min: 0 });
  let total: Tensor | null = null;
  for (const p of list) {
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
