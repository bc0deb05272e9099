/**
 * backward(): reverse-mode accumulation over the recorded graph. Nodes are visited in reverse
 * topological order; each node's gradient is complete before its closure runs. Gradients of
 * leaves accumulate into `.grad` (in place when it exists, so a parameter's gradient can live
 * in an optimizer's arena). The graph is released afterwards, as PyTorch does without
 * retain_graph.
 */
import { formatShape, Tensor } from '../tensor.js';
import { binaryKernel, copyKernel, fillKernel } from '../ops/kernels.js';
import { setGradEnabled } from './graph.js';

function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  // Iterative DFS: deep graphs (long sequential models) must not overflow the JS stack.
  const stack: [Tensor, number][] = [[root, 0]];
  seen.add(root);
  while (stack.length) {
    const top = stack[stack.length - 1];
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

function accumulate(into: Map<Tensor, Tensor>, t: Tensor, g: Tensor): void {
  const existing = into.get(t);
  if (!existing) {
    into.set(t, g);
    return;
  }
  const flat = { shape: existing.shape, rows: 1, cols: existing.size, a: 'full' as const, b: 'full' as const };
  binaryKernel('add', existing, g, flat, existing);
  if (g !== existing) g.dispose();
}

function accumulateLeaf(leaf: Tensor, g: Tensor): void {
  if (leaf.grad === null) {
    leaf.grad = g.size === leaf.size ? g.reshape(leaf.shape) : g;
    return;
  }
  const flat = { shape: leaf.grad.shape, rows: 1, cols: leaf.grad.size, a: 'full' as const, b: 'full' as const };
  binaryKernel('add', leaf.grad, g, flat, leaf.grad);
}

/** Computes d(root)/d(leaf) for every leaf with requiresGrad, accumulating into `.grad`. */
export function backward(root: Tensor, gradient?: Tensor): void {
  if (!root.requiresGrad) {
    throw new Error('backward: tensor does not require grad (no parameter or input with requiresGrad reaches it)');
  }
  let seed: Tensor;
  if (gradient) {
    if (gradient.size !== root.size) {
      throw new RangeError(`backward: gradient has shape ${formatShape(gradient.shape)}, tensor has ${formatShape(root.shape)}`);
    }
    seed = copyKernel(Tensor.empty(root.shape), gradient);
  } else {
    if (root.size !== 1) {
      throw new Error(`backward: tensor of shape ${formatShape(root.shape)} is not a scalar; pass the upstream gradient`);
    }
    seed = fillKernel(Tensor.empty(root.shape), 1);
  }
  const previous = setGradEnabled(false);
  try {
    const grads = new Map<Tensor, Tensor>([[root, seed]]);
    for (const t of topologicalOrder(root)) {
      const g = grads.get(t);
      if (!g) continue;
      grads.delete(t);
      const node = t.gradFn;
      if (!node) {
        accumulateLeaf(t, g);
        if (t.grad !== g) g.dispose();
        continue;
      }
      const inputGrads = node.backward(g);
      node.inputs.forEach((input, i) => {
        const ig = inputGrads[i];
        if (ig && input.requiresGrad) accumulate(grads, input, ig === g ? copyKernel(Tensor.empty(g.shape), g) : ig);
      });
      g.dispose();
      t.gradFn = null; // release the tape: the closure and the tensors it saved
    }
  } finally {
    setGradEnabled(previous);
  }
}
