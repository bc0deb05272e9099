/**
 * The tensors a layer's forward creates for itself (projections, scores, residual sums) and no
 * caller can reach. Like Sequential's hidden activations, they are handed to the autograd when
 * a graph is recorded (backward frees each once the last closure reading it has run) and freed
 * at once otherwise, so a training step of a layer built from many ops (attention) reuses the
 * previous step's memory instead of waiting for the garbage collector.
 */
import { isGradEnabled, markIntermediate } from '../autograd/graph.js';
import type { Tensor } from '../tensor.js';

export class Scratch {
  private readonly owned: Tensor[] = [];

  /** `foreign`: tensors the caller owns (the forward's inputs), never taken over. */
  constructor(private readonly foreign: readonly (Tensor | null | undefined)[]) {}

  /** Takes over `t` (unless it is a foreign tensor that an op passed through) and returns it. */
  own(t: Tensor): Tensor {
    if (!this.foreign.includes(t) && !this.owned.includes(t)) this.owned.push(t);
    return t;
  }

  /** Releases every owned tensor but `result` (the forward's return value). */
  release(result: Tensor): Tensor {
    const recorded = isGradEnabled() && result.requiresGrad;
    for (const t of this.owned) {
      if (t === result) continue;
      if (recorded) markIntermediate(t);
      else t.dispose();
    }
    return result;
  }
}
