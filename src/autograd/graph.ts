/**
 * The recorded graph of reverse-mode autograd (as micrograd, at tensor granularity): every op
 * whose inputs need gradients attaches a GradNode to its output, holding the inputs and a
 * closure that maps the output's gradient to the inputs' gradients.
 */
import type { Tensor } from '../tensor.js';
import { checkBoolean, checkFunction } from '../validate/index.js';
import { noteRecorded } from './creation_scope.js';

export interface GradNode {
  /** Op name, for error messages and debugging. */
  readonly name: string;
  readonly inputs: readonly Tensor[];
  /**
   * Given dL/d(output), returns dL/d(input) for each input (null where an input needs none).
   * `targets[i]` is input i's existing `.grad` when input i is a leaf: the closure may add its
   * gradient straight into it (a GEMM with beta = 1, say) and return `targets[i]` itself to say
   * so. Any other returned tensor is owned by the caller. The closure may overwrite
   * `gradOutput` in place unless `isUnitSeed(gradOutput)`. It may read its inputs, its own
   * output and tensors it created itself, never another op's output: a module's forward frees
   * outputs no caller kept (nn/forward_scope.ts).
   */
  backward(gradOutput: Tensor, targets: readonly (Tensor | null)[]): (Tensor | null)[];
}

let gradEnabled = true;

/** Whether ops record the graph for backward() now (false inside {@link noGrad}), as torch.is_grad_enabled(). */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Runs `fn` without recording a graph, as PyTorch's `torch.no_grad()`. */
export function noGrad<T>(fn: () => T): T {
  checkFunction('noGrad', 'fn', fn);
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
  checkBoolean('setGradEnabled', 'enabled', enabled);
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
  backward: (gradOutput: Tensor, targets: readonly (Tensor | null)[]) => (Tensor | null)[],
): Tensor {
  if (!needsGrad(inputs)) return out;
  out.requiresGrad = true;
  out.gradFn = { name, inputs, backward };
  noteRecorded();
  return out;
}

// Ownership marks, read by backward() when it releases the tape. See markIntermediate/markResult.
const intermediates = new WeakSet<Tensor>();
const results = new WeakSet<Tensor>();
const unitSeeds = new WeakSet<Tensor>();

/**
 * @internal Marks a tensor no caller can reach (a hidden activation of a module's forward, see
 * nn/forward_scope.ts):
 * backward disposes it as soon as the last closure that reads it has run, so its storage
 * serves the next step.
 */
export function markIntermediate(t: Tensor): void {
  intermediates.add(t);
}

/**
 * @internal Marks a result a caller may still hold (the model output, the loss): backward
 * keeps its values valid but moves them into JS and returns the native storage to the pool.
 */
export function markResult(t: Tensor): void {
  results.add(t);
}

/** @internal */
export const isIntermediate = (t: Tensor): boolean => intermediates.has(t);
/** @internal */
export const isResult = (t: Tensor): boolean => results.has(t);

/**
 * @internal Whether `g` is backward()'s implicit seed dL/dL = 1 (shared, read-only). Losses
 * that computed their gradient during the forward pass return it untouched for this seed.
 */
export const isUnitSeed = (g: Tensor): boolean => unitSeeds.has(g);

/** @internal */
export function markUnitSeed(g: Tensor): void {
  unitSeeds.add(g);
}
