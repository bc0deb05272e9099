/** Activation layers: stateless modules over the differentiable ops. */
import * as ew from '../ops/elementwise.js';
import { logSoftmax as logSoftmaxOp, softmax as softmaxOp } from '../ops/softmax.js';
import type { Tensor } from '../tensor.js';
import { checkInteger, checkNumber } from '../validate/index.js';
import { Module } from './module.js';

/** max(x, 0). Right after a Linear or Conv2d (in any module) it runs fused into that GEMM's epilogue. */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return ew.relu(x);
  }
}

/** x for x > 0, negativeSlope * x otherwise (default slope 0.01, as PyTorch). */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
    checkNumber('LeakyReLU', 'negativeSlope', negativeSlope);
  }
  forward(x: Tensor): Tensor {
    return ew.leakyRelu(x, this.negativeSlope);
  }
  protected override describe(): string {
    return `negativeSlope=${this.negativeSlope}`;
  }
}

/** 1 / (1 + e^-x). */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return ew.sigmoid(x);
  }
}

/** tanh(x). */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return ew.tanh(x);
  }
}

/** x Phi(x), the exact GELU (PyTorch's approximate='none'). */
export class GELU extends Module {
  forward(x: Tensor): Tensor {
    return ew.gelu(x);
  }
}

/** Softmax over `dim` (the last dimension; PyTorch's dim=-1). */
export class Softmax extends Module {
  constructor(readonly dim = -1) {
    super();
    checkInteger('Softmax', 'dim', dim);
  }
  forward(x: Tensor): Tensor {
    return softmaxOp(x, this.dim);
  }
}

/** Log-softmax over `dim` (the last dimension), computed stably. Pair with NLLLoss. */
export class LogSoftmax extends Module {
  constructor(readonly dim = -1) {
    super();
    checkInteger('LogSoftmax', 'dim', dim);
  }
  forward(x: Tensor): Tensor {
    return logSoftmaxOp(x, this.dim);
  }
}

/** Factory for ReLU. */
export const relu = () => new ReLU();
/** Factory for LeakyReLU. */
export const leakyRelu = (negativeSlope?: number) => new LeakyReLU(negativeSlope);
/** Factory for Sigmoid. */
export const sigmoid = () => new Sigmoid();
/** Factory for Tanh. */
export const tanh = () => new Tanh();
/** Factory for GELU. */
export const gelu = () => new GELU();
/** Factory for Softmax. */
export const softmax = (dim?: number) => new Softmax(dim);
/** Factory for LogSoftmax. */
export const logSoftmax = (dim?: number) => new LogSoftmax(dim);
