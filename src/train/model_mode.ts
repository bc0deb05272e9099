/**
 * Switching a model to training or evaluation mode for a while and putting every module back
 * as it was: a model may mix modes on purpose (a frozen BatchNorm kept in eval mode), which
 * a plain `model.train()` afterwards would undo.
 */
import type { Module } from '../nn/module.js';

/** Sets `training` on every module; returns a function that restores each module's flag. */
export function setModeTemporarily(model: Module, training: boolean): () => void {
  const modules = model.modules();
  const previous = modules.map((m) => m.training);
  model.train(training);
  return () => modules.forEach((m, i) => (m.training = previous[i]));
}
