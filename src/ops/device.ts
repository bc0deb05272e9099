/**
 * The device rule of every op: its tensors live on one device, whose backend runs it, as
 * PyTorch's "Expected all tensors to be on the same device". Checked by identity of the
 * backends, so the common case costs a comparison per operand.
 */
import type { Backend } from '../backend/backend.js';
import type { Tensor } from '../tensor.js';

/** The backend shared by `a` and `b`; throws `op: tensors on 'cpu' and 'cuda'` when they differ. */
export function backendOf2(op: string, a: Tensor, b: Tensor): Backend {
  if (a.backend !== b.backend) throw mixed(op, a, b);
  return a.backend;
}

/** The backend shared by `first` and every non-null tensor of `rest`. */
export function backendOf(op: string, first: Tensor, ...rest: (Tensor | null | undefined)[]): Backend {
  const backend = first.backend;
  for (const t of rest) if (t && t.backend !== backend) throw mixed(op, first, t);
  return backend;
}

function mixed(op: string, a: Tensor, b: Tensor): Error {
  return new Error(`${op}: tensors on '${a.device}' and '${b.device}'; move one with .to(device) first`);
}
