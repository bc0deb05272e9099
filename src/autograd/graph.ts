/**
 * The recorded graph of reverse-mode autograd (as micrograd, at tensor granularity): every op
 * whose inputs need gradients attaches a GradNode to its output, holding the inputs and a
 * closure that maps the output's gradient to the inputs' gradients.
 */
import type { Tensor } from '../tensor.js';

export interface GradNode {
  /** Op name, for error messages and debugging. */
  readonly name: string;
  readonly inputs: readonly Tensor[];
  /**
   * Given dL/d(output), returns dL/d(input) for each input (null where an input needs none).
   * Returned tensors are owned by the caller.
   */
  backward(gradOutput: Tensor): (Tensor | null)[];
}

let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Runs `fn` without recording a graph, as PyTorch's `torch.no_grad()`. */
export function noGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    const result = fn();
    if (result instanceof Promise) {
      throw new Error('noGrad: the callback must be synchronous; use setGradEnabled() around async code');
    }
    return result;
  } finally {
    gradEnabled = previous;
  }
}

/** Turns graph recording on or off globally; returns the previous setting. */
export function setGradEnabled(enabled: boolean): boolean {
  const previous = gradEnabled;
  gradEnabled = enabled;
  return previous;
}

/** Whether an op over these inputs should be recorded. */
export function needsGrad(inputs: readonly Tensor[]): boolean {
  if (!gradEnabled) return false;
  for (const t of inputs) if (t.requiresGrad) return true;
  return false;
}

/**
 * Attaches the backward of an op to its output when any input needs gradients. Returns `out`.
 */
export function record(
  out: Tensor,
  name: string,
  inputs: readonly Tensor[],
  backward: (gradOutput: Tensor) => (Tensor | null)[],
): Tensor {
  if (!needsGrad(inputs)) return out;
  out.requiresGrad = true;
  out.gradFn = { name, inputs, backward };
  return out;
}
