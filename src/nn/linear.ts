/** Linear layer y = x W^T + b, as torch.nn.Linear. */
import { defaultBackend } from '../backend/registry.js';
import { linear as linearOp } from '../ops/matmul.js';
import { checkGenerator, type Generator } from '../random.js';
import { formatShape, Tensor } from '../tensor.js';
import { checkBoolean, checkInt32, checkTensor, MAX_ELEMENTS, option, optionKeys, readOptions } from '../validate/index.js';
import { kaimingUniform, uniform } from './init.js';
import { Module } from './module.js';
import { Scratch } from './scratch.js';

export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Generator for the initial weights (default: the global one). */
  generator?: Generator;
}

const LINEAR_KEYS = optionKeys<LinearOptions>({ bias: true, generator: true });

/**
 * y = x W^T + b with W [outFeatures, inFeatures]. The forward is one native GEMM call with the
 * bias (and, inside a Sequential followed by ReLU, the activation) applied in the GEMM's
 * epilogue. Initialized as PyTorch: kaimingUniform(a = sqrt(5)) for W, i.e.
 * U(-1/sqrt(inFeatures), 1/sqrt(inFeatures)), and the same bound for b.
 */
export class Linear extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(readonly inFeatures: number, readonly outFeatures: number, options: LinearOptions = {}) {
    super();
    checkInt32('Linear', 'inFeatures', inFeatures, 1);
    checkInt32('Linear', 'outFeatures', outFeatures, 1);
    if (inFeatures * outFeatures > MAX_ELEMENTS) {
      throw new RangeError(`Linear: a weight of ${outFeatures} x ${inFeatures} has more than 2^32 elements`);
    }
    const o = readOptions<LinearOptions>('Linear', options, LINEAR_KEYS);
    const bias = o.bias === undefined ? true : checkBoolean('Linear', option('bias'), o.bias);
    const generator = o.generator === undefined ? undefined : checkGenerator('Linear', option('generator'), o.generator);
    this.weight = Tensor.empty([outFeatures, inFeatures], 'float32', false, defaultBackend());
    kaimingUniform(this.weight, { a: Math.sqrt(5), generator });
    this.registerParameter('weight', this.weight);
    this.bias = bias ? Tensor.empty([outFeatures], 'float32', false, defaultBackend()) : null;
    if (this.bias) {
      const bound = 1 / Math.sqrt(inFeatures);
      uniform(this.bias, -bound, bound, { generator });
    }
    this.registerParameter('bias', this.bias);
  }

  forward(x: Tensor): Tensor {
    checkTensor('Linear.forward', 'x', x, 'float32');
    return this.forwardFused(x, false);
  }

  /** @internal The forward with ReLU fused into the GEMM epilogue when `relu`. */
  forwardFused(x: Tensor, relu: boolean): Tensor {
    if (x.ndim === 2) return linearOp(x, this.weight, this.bias, relu);
    if (x.ndim < 1 || x.shape[x.ndim - 1] !== this.inFeatures) {
      throw new RangeError(`Linear: input ${formatShape(x.shape)} must end in ${this.inFeatures} features`);
    }
    // [..., in] -> [rows, in] -> [rows, out] -> [..., out]; the 2-D view and product are ours.
    const scratch = new Scratch([x]);
    const y = scratch.own(linearOp(scratch.own(x.reshape(-1, this.inFeatures)), this.weight, this.bias, relu));
    return scratch.release(y.reshape([...x.shape.slice(0, -1), this.outFeatures]));
  }

  protected override describe(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}

/** Factory for Linear: `nn.linear(784, 128)`. */
export const linear = (inFeatures: number, outFeatures: number, options?: LinearOptions): Linear =>
  new Linear(inFeatures, outFeatures, options);
