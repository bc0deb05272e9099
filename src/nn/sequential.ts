/** Sequential: modules applied in order, as torch.nn.Sequential. */
import type { Tensor } from '../tensor.js';
import { checkInteger, checkTensor, isInstance, typeError } from '../validate/index.js';
import { Module } from './module.js';

/**
 * Applies its modules in order; they are registered as '0', '1', ... so state-dict keys read
 * '0.weight' as in PyTorch. Nothing here is special to Sequential: as in any module, the hidden
 * activations are freed once backward is done with them (forward_scope.ts), and a Linear or
 * Conv2d followed by a ReLU runs as one fused native call (ops/deferred.ts).
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
    for (const layer of this.layers) h = layer.forward(h);
    return h;
  }
}

/** Factory for Sequential: `nn.sequential(nn.linear(784, 128), nn.relu(), nn.linear(128, 10))`. */
export const sequential = (...modules: Module[]) => new Sequential(...modules);
