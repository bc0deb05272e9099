/**
 * backward(): reverse-mode accumulation over the recorded graph. Nodes are visited in reverse
 * topological order, so a node's gradient is complete (every consumer has run) before its
 * closure runs. Gradients of leaves accumulate into `.grad` in place (created zero-filled when
 * absent), so a parameter's gradient can live in an optimizer's arena; closures may write
 * straight into it (GradNode.backward's `targets`).
 *
 * The tape is released afterwards, as PyTorch does without retain_graph, and so is memory:
 * every gradient is disposed once consumed, hidden activations (markIntermediate: the tensors a
 * module's forward made and did not return, nn/forward_scope.ts) are disposed
 * once the last closure reading them has run, and results a caller may hold (markResult, and
 * whatever plain op code made outside a module) keep their values in JS while their native
 * storage returns to the pool. A training step therefore
 * reuses the previous step's buffers and allocates nothing new.
 */
import type { Backend } from '../backend/backend.js';
import { formatShape, Tensor } from '../tensor.js';
import { binaryKernel, copyKernel, fillKernel } from '../ops/kernels.js';
import { isIntermediate, isResult, isUnitSeed, markUnitSeed, setGradEnabled, type GradNode } from './graph.js';
import { checkOptionalTensor, checkTensor } from '../validate/index.js';

/** Tensors whose graph an earlier backward released: a second pass through them is an error. */
const released = new WeakSet<Tensor>();

function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  // Iterative DFS: deep graphs (long sequential models) must not overflow the JS stack.
  const stack: [Tensor, number][] = [[root, 0]];
  seen.add(root);
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (!top[0].gradFn && released.has(top[0])) {
      throw new Error('backward: the graph was already released by an earlier backward() (compute the forward pass again)');
    }
    const inputs = top[0].gradFn?.inputs ?? [];
    if (top[1] < inputs.length) {
      const next = inputs[top[1]++];
      if (next.requiresGrad && !seen.has(next)) {
        seen.add(next);
        stack.push([next, 0]);
      }
    } else {
      order.push(top[0]);
      stack.pop();
    }
  }
  return order.reverse();
}

const flatPlan = (t: Tensor) => ({ shape: t.shape, rows: 1, cols: t.size, a: 'full' as const, b: 'full' as const });

/** into += g (same number of elements). */
function addInto(into: Tensor, g: Tensor): void {
  if (g.size !== into.size) {
    throw new RangeError(`backward: gradient of shape ${formatShape(g.shape)} does not match ${formatShape(into.shape)}`);
  }
  binaryKernel('add', into, g, flatPlan(into), into);
}

/** The leaf's gradient, created zero-filled on first use. */
function leafGrad(leaf: Tensor): Tensor {
  leaf.grad ??= leaf.newEmpty(leaf.shape, 'float32', true);
  return leaf.grad;
}

/** A persistent 1 per device: the buffer unit seeds are views of. */
const ones = new Map<Backend, Tensor>();

/** The implicit seed dL/dL = 1 on `root`'s device: a view of one persistent buffer, so it allocates nothing. */
function unitSeed(root: Tensor): Tensor {
  let one = ones.get(root.backend);
  if (!one) ones.set(root.backend, (one = fillKernel(root.newEmpty([1]), 1)));
  const seed = one.reshape(root.shape);
  markUnitSeed(seed);
  return seed;
}

/** Computes d(root)/d(leaf) for every leaf with requiresGrad, accumulating into `.grad`. */
export function backward(root: Tensor, gradient?: Tensor): void {
  checkTensor('backward', 'tensor', root);
  checkOptionalTensor('backward', 'gradient', gradient, 'float32');
  if (!root.requiresGrad) {
    throw new Error('backward: tensor does not require grad (no parameter or input with requiresGrad reaches it)');
  }
  if (gradient && gradient.size !== root.size) {
    throw new RangeError(`backward: gradient has shape ${formatShape(gradient.shape)}, tensor has ${formatShape(root.shape)}`);
  }
  if (!gradient && root.size !== 1) {
    throw new Error(`backward: tensor of shape ${formatShape(root.shape)} is not a scalar; pass the upstream gradient`);
  }
  const order = topologicalOrder(root);
  const previous = setGradEnabled(false);
  const saved = new Set<Tensor>(); // intermediates read by closures but outside the traversal
  try {
    const seed = gradient ? copyKernel(root.newEmpty(root.shape), gradient) : unitSeed(root);
    const grads = new Map<Tensor, Tensor>([[root, seed]]);
    for (const t of order) {
      const g = grads.get(t);
      grads.delete(t);
      const node = t.gradFn;
      if (!g) continue;
      if (!node) {
        addInto(leafGrad(t), g);
        g.dispose();
        continue;
      }
      const targets = node.inputs.map((x) => (x.requiresGrad && !x.gradFn ? leafGrad(x) : null));
      const inputGrads = node.backward(g, targets);
      // A closure may pass g itself through (add, reshape, dropout in place): the first input
      // that gets it takes it over instead of a copy, unless g is the shared unit seed.
      let handedOver = false;
      node.inputs.forEach((input, i) => {
        const ig = inputGrads[i];
        if (!input.requiresGrad) {
          if (ig && ig !== g) ig.dispose();
          return;
        }
        if (!ig || ig === targets[i]) return;
        const target = targets[i];
        if (target) {
          addInto(target, ig);
          if (ig !== g) ig.dispose();
          return;
        }
        const existing = grads.get(input);
        if (existing) {
          addInto(existing, ig);
          if (ig !== g) ig.dispose();
        } else if (ig !== g) {
          grads.set(input, ig);
        } else if (!handedOver && !isUnitSeed(g)) {
          handedOver = true;
          grads.set(input, g);
        } else {
          grads.set(input, copyKernel(g.newEmpty(g.shape), g));
        }
      });
      if (!handedOver) g.dispose();
      releaseNode(t, saved);
    }
    for (const g of grads.values()) g.dispose();
  } finally {
    setGradEnabled(previous);
    // Release the whole tape, including branches no gradient reached.
    for (const t of order) if (t.gradFn) releaseNode(t, saved);
    for (const t of saved) t.dispose();
  }
}

/**
 * Drops a node's closure (and what it saved), then frees or parks the tensor's memory. Hidden
 * inputs that need no gradient (a reshaped batch, a mask) go to `saved`, freed at the end.
 */
function releaseNode(t: Tensor, saved: Set<Tensor>): void {
  for (const input of (t.gradFn as GradNode).inputs) if (!input.requiresGrad && isIntermediate(input)) saved.add(input);
  t.gradFn = null;
  released.add(t);
  if (isIntermediate(t)) t.dispose();
  // A result, or a tensor plain op code made outside any module (it may still be read): its
  // values move into JS and the storage serves the next step. A view keeps its storage.
  else if (isResult(t) || t.storage.refs === 1) t._parkInJsHeap();
}
