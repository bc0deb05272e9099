/** Loss modules, as torch.nn's: configuration in the constructor, forward(input, target). */
import * as F from '../ops/loss.js';
import type { BceWithLogitsOptions, ClassLossOptions, CrossEntropyOptions, Reduction } from '../ops/loss.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

/**
 * Cross-entropy on logits [N, C] against int32 class indices [N] (softmax and loss fused in one
 * native kernel, forward and backward). Options as PyTorch 1.13: weight, ignoreIndex (-100),
 * labelSmoothing (0), reduction ('mean', weighted by the targets' class weights).
 */
export class CrossEntropyLoss extends Module {
  constructor(readonly options: CrossEntropyOptions = {}) {
    super();
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.crossEntropy(input, target, this.options);
  }
}

/** Negative log-likelihood of log-probabilities [N, C]; weight, ignoreIndex, reduction. */
export class NLLLoss extends Module {
  constructor(readonly options: ClassLossOptions = {}) {
    super();
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.nllLoss(input, target, this.options);
  }
}

/** Binary cross-entropy on logits with optional posWeight (per class, last dimension). */
export class BCEWithLogitsLoss extends Module {
  constructor(readonly options: BceWithLogitsOptions = {}) {
    super();
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropyWithLogits(input, target, this.options);
  }
}

/** Mean squared error. */
export class MSELoss extends Module {
  constructor(readonly options: { reduction?: Reduction } = {}) {
    super();
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.mseLoss(input, target, this.options.reduction);
  }
}

/** Mean absolute error. */
export class L1Loss extends Module {
  constructor(readonly options: { reduction?: Reduction } = {}) {
    super();
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.l1Loss(input, target, this.options.reduction);
  }
}

/** Huber loss with threshold `delta` (default 1). */
export class HuberLoss extends Module {
  constructor(readonly options: { reduction?: Reduction; delta?: number } = {}) {
    super();
    const { delta = 1 } = options;
    if (!(delta > 0)) throw new RangeError(`HuberLoss: delta must be > 0, got ${delta}`);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.huberLoss(input, target, this.options.reduction, this.options.delta);
  }
}

/** Factory for CrossEntropyLoss. */
export const crossEntropyLoss = (options?: CrossEntropyOptions) => new CrossEntropyLoss(options);
/** Factory for NLLLoss. */
export const nllLoss = (options?: ClassLossOptions) => new NLLLoss(options);
/** Factory for BCEWithLogitsLoss. */
export const bceWithLogitsLoss = (options?: BceWithLogitsOptions) => new BCEWithLogitsLoss(options);
/** Factory for MSELoss. */
export const mseLoss = (options?: { reduction?: Reduction }) => new MSELoss(options);
/** Factory for L1Loss. */
export const l1Loss = (options?: { reduction?: Reduction }) => new L1Loss(options);
/** Factory for HuberLoss. */
export const huberLoss = (options?: { reduction?: Reduction; delta?: number }) => new HuberLoss(options);
