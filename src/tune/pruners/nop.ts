/** NopPruner (optuna.pruners.NopPruner): never prunes. */
import type { Pruner } from './base.js';

export class NopPruner implements Pruner {
  prune(): boolean {
    return false;
  }
}
