/**
 * What the training machinery needs from a model and an optimizer — kept minimal so that the
 * callbacks, checkpoints and monitor work with any module or optimizer that provides it.
 */
import { checkString } from '../validate/index.js';
import type { Tensor } from '../tensor.js';

/** A model whose weights can be read and replaced by name (PyTorch's state_dict contract). */
export interface TrainableModel {
  /** The named parameters and buffers; tensors may be live views of the weights. */
  stateDict(): Record<string, Tensor>;
  /** Copies the given tensors into the model's weights (same names and shapes). */
  loadStateDict(stateDict: Record<string, Tensor>): void;
}

/** An optimizer's learning rates, one per parameter group. */
export interface LrControl {
  /** The learning rate of each parameter group. */
  getLr(): number[];
  /** Sets the learning rate of each parameter group. */
  setLr(lrs: number[]): void;
}

/** A flat record of numbers: loss, valLoss, metric values, lr, seconds. */
export type Logs = Record<string, number>;

/** The log key of a metric measured on validation data: accuracy -> valAccuracy. */
export function valKey(name: string): string {
  checkString('valKey', 'name', name, true);
  return 'val' + name[0].toUpperCase() + name.slice(1);
}
