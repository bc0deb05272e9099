/** Loss modules, as torch.nn's: configuration in the constructor, forward(input, target). */
import * as F from '../ops/loss_core.js';
import type { BceWithLogitsOptions, ClassLossOptions, CrossEntropyOptions, Reduction } from '../ops/loss_core.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

/**
 * Cross-entropy on logits [N, C] against int32 class indices [N] (softmax and loss fused in one
 * native kernel, forward and backward). Options as PyTorch 1.13: weight, ignoreIndex (-100),
 * labelSmoothing (0), reduction ('mean', weighted by the targets' class weights).
 */
export class CrossEntropyLoss extends Module {
  /** The options, checked, with their defaults filled in. */
  readonly options: Required<CrossEntropyOptions>;
  constructor(options: CrossEntropyOptions = {}) {
    super();
    this.options = F.classLossOptions('CrossEntropyLoss', options, true);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.classLoss('CrossEntropyLoss.forward', input, target, this.options, false);
  }
}

/** Negative log-likelihood of log-probabilities [N, C]; weight, ignoreIndex, reduction. */
export class NLLLoss extends Module {
  readonly options: Required<ClassLossOptions>;
  constructor(options: ClassLossOptions = {}) {
    super();
    this.options = F.classLossOptions('NLLLoss', options, false);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.classLoss('NLLLoss.forward', input, target, { ...this.options, labelSmoothing: 0 }, true);
  }
}

/** Binary cross-entropy on logits with optional posWeight (per class, last dimension). */
export class BCEWithLogitsLoss extends Module {
  readonly options: Required<BceWithLogitsOptions>;
  constructor(options: BceWithLogitsOptions = {}) {
    super();
    this.options = F.bceOptions('BCEWithLogitsLoss', options);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.bceLoss('BCEWithLogitsLoss.forward', input, target, this.options);
  }
}

/** Mean squared error. */
export class MSELoss extends Module {
  readonly options: { reduction: Reduction };
  constructor(options: { reduction?: Reduction } = {}) {
    super();
    this.options = { reduction: F.regressionOptions('MSELoss', options, false).reduction };
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.pointwise('MSELoss.forward', 'mse', input, target, this.options.reduction, 0);
  }
}

/** Mean absolute error. */
export class L1Loss extends Module {
  readonly options: { reduction: Reduction };
  constructor(options: { reduction?: Reduction } = {}) {
    super();
    this.options = { reduction: F.regressionOptions('L1Loss', options, false).reduction };
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.pointwise('L1Loss.forward', 'l1', input, target, this.options.reduction, 0);
  }
}

/** Huber loss with threshold `delta` (default 1). */
export class HuberLoss extends Module {
  readonly options: { reduction: Reduction; delta: number };
  constructor(options: { reduction?: Reduction; delta?: number } = {}) {
    super();
    this.options = F.regressionOptions('HuberLoss', options, true);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return F.pointwise('HuberLoss.forward', 'huber', input, target, this.options.reduction, this.options.delta);
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
