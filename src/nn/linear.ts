/** Linear layer y = x W^T + b, as torch.nn.Linear. */
import { linear as linearOp } from '../ops/matmul.js';
import type { Generator } from '../random.js';
import { formatShape, Tensor } from '../tensor.js';
import { kaimingUniform, uniform } from './init.js';
import { Module } from './module.js';

export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Generator for the initial weights (default: the global one). */
  generator?: Generator;
}

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
    for (const [name, v] of [['inFeatures', inFeatures], ['outFeatures', outFeatures]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`Linear: ${name} must be a positive integer, got ${v}`);
    }
    const { bias = true, generator } = options;
    this.weight = Tensor.empty([outFeatures, inFeatures]);
    kaimingUniform(this.weight, { a: Math.sqrt(5), generator });
    this.registerParameter('weight', this.weight);
    this.bias = bias ? Tensor.empty([outFeatures]) : null;
    if (this.bias) {
      const bound = 1 / Math.sqrt(inFeatures);
      uniform(this.bias, -bound, bound, { generator });
    }
    this.registerParameter('bias', this.bias);
  }

  forward(x: Tensor): Tensor {
    return this.forwardFused(x, false);
  }

  /** @internal The forward with ReLU fused into the GEMM epilogue when `relu`. */
  forwardFused(x: Tensor, relu: boolean): Tensor {
    if (x.ndim === 2) return linearOp(x, this.weight, this.bias, relu);
    if (x.ndim < 1 || x.shape[x.ndim - 1] !== this.inFeatures) {
      throw new RangeError(`Linear: input ${formatShape(x.shape)} must end in ${this.inFeatures} features`);
    }
    // [..., in] -> [rows, in] -> [rows, out] -> [..., out]
    const y = linearOp(x.reshape(-1, this.inFeatures), this.weight, this.bias, relu);
    return y.reshape([...x.shape.slice(0, -1), this.outFeatures]);
  }

  protected override describe(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}

/** Factory for Linear: `nn.linear(784, 128)`. */
export const linear = (inFeatures: number, outFeatures: number, options?: LinearOptions): Linear =>
  new Linear(inFeatures, outFeatures, options);
