/** Sequential: modules applied in order, as torch.nn.Sequential. */
import { isGradEnabled, markIntermediate, markResult } from '../autograd/graph.js';
import type { Tensor } from '../tensor.js';
import { checkInteger, checkTensor, isInstance, typeError } from '../validate/index.js';
import { ReLU } from './activation.js';
import { Linear } from './linear.js';
import { Module } from './module.js';

/**
 * Applies its modules in order; they are registered as '0', '1', ... so state-dict keys read
 * '0.weight' as in PyTorch. A Linear directly followed by a ReLU runs as one fused native call.
 *
 * The hidden activations it creates are unreachable by the caller, so it hands them to the
 * autograd: backward frees each as soon as the last closure reading it has run (without grad,
 * they are freed as soon as the next layer has consumed them). That is what lets a training
 * step reuse the previous step's memory.
 */
export class Sequential extends Module {
  private readonly layers: Module[];

  constructor(...modules: Module[]) {
    super();
    modules.forEach((m, i) => {
      if (!isInstance(m, Module)) typeError('Sequential', `argument ${i}`, 'a Module', m);
      this.registerModule(String(i), m);
    });
    this.layers = modules;
  }

  /** Number of modules. */
  get length(): number {
    return this.layers.length;
  }

  /** The module at `index` (negative counts from the end). */
  at(index: number): Module {
    checkInteger('Sequential.at', 'index', index);
    const m = this.layers.at(index);
    if (!m) throw new RangeError(`Sequential: index ${index} is out of range for ${this.layers.length} modules`);
    return m;
  }

  /** The child modules in order: `for (const layer of model)`. */
  [Symbol.iterator](): Iterator<Module> {
    return this.layers[Symbol.iterator]();
  }

  forward(x: Tensor): Tensor {
    checkTensor('Sequential.forward', 'x', x);
    let h = x;
    for (let i = 0; i < this.layers.length; i++) {
      const layer = this.layers[i];
      const fuse = layer instanceof Linear && this.layers[i + 1]?.constructor === ReLU;
      const next = fuse ? (layer as Linear).forwardFused(h, true) : layer.forward(h);
      if (fuse) i++;
      if (h !== x && next !== h) {
        // h is ours: free it now unless a recorded closure may still read it.
        if (next.requiresGrad && isGradEnabled()) markIntermediate(h);
        else h.dispose();
      }
      h = next;
    }
    if (h !== x && h.requiresGrad) markResult(h);
    return h;
  }
}

/** Factory for Sequential: `nn.sequential(nn.linear(784, 128), nn.relu(), nn.linear(128, 10))`. */
export const sequential = (...modules: Module[]) => new Sequential(...modules);
