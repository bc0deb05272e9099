/** MedianPruner (optuna.pruners.MedianPruner): a PercentilePruner at the 50th percentile. */
import { PercentilePruner, type PercentilePrunerOptions } from './percentile.js';
import { copyOptions } from '../arguments.js';

export type MedianPrunerOptions = PercentilePrunerOptions;

export class MedianPruner extends PercentilePruner {
  constructor(options: MedianPrunerOptions = {}) {
    options = copyOptions<typeof options>('MedianPruner', options) ?? {};
    super(50, options, 'MedianPruner');
  }
}
