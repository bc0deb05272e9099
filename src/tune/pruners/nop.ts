/** NopPruner (optuna.pruners.NopPruner): never prunes. */
import type { Pruner } from './base.js';

/** Never prunes (optuna.pruners.NopPruner). */
export class NopPruner implements Pruner {
  /** Always false. */
  prune(): boolean {
    return false;
  }
}
