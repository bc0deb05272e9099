/**
 * The functional losses, as the public API exports them (torch.nn.functional's): the kernels,
 * option checks and module entry points live in loss_core.ts, which nn's loss modules share.
 */
export type { BceWithLogitsOptions, ClassLossOptions, CrossEntropyOptions, Reduction } from './loss_core.js';
export { binaryCrossEntropyWithLogits, crossEntropy, huberLoss, l1Loss, mseLoss, nllLoss } from './loss_core.js';
