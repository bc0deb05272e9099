/** MedianPruner (optuna.pruners.MedianPruner): a PercentilePruner at the 50th percentile. */
import { PercentilePruner, type PercentilePrunerOptions } from './percentile.js';
import { copyOptions } from '../arguments.js';

/** Options of MedianPruner: those of PercentilePruner. */
export type MedianPrunerOptions = PercentilePrunerOptions;

/**
 * Prunes a trial whose best value so far is worse than the median of the completed trials at the same step (optuna.pruners.MedianPruner).
 *
 * ```ts
 * const study = await tune.createStudy({ pruner: new tune.MedianPruner({ nStartupTrials: 5, nWarmupSteps: 1 }) });
 * ```
 */
export class MedianPruner extends PercentilePruner {
  constructor(options: MedianPrunerOptions = {}) {
    options = copyOptions<typeof options>('MedianPruner', options) ?? {};
    super(50, options, 'MedianPruner');
  }
}
