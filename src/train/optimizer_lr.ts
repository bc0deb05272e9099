/**
 * The LrControl view (getLr/setLr) of an optimizer's parameter groups, which is how callbacks
 * such as ReduceLROnPlateau and LearningRateScheduler reach the learning rates.
 */
import type { LrControl } from './contracts.js';

/** Anything with PyTorch-style parameter groups. */
export interface HasParamGroups {
  paramGroups: { lr: number }[];
}

/** Reads and writes `paramGroups[i].lr`. */
export function lrControl(optimizer: HasParamGroups): LrControl {
  return {
    getLr: () => optimizer.paramGroups.map((g) => g.lr),
    setLr: (lrs: number[]) => {
      const groups = optimizer.paramGroups;
      if (lrs.length !== groups.length) throw new RangeError(`setLr: expected ${groups.length} learning rates (one per group), got ${lrs.length}`);
      lrs.forEach((lr, i) => {
        if (!Number.isFinite(lr) || lr < 0) throw new RangeError(`setLr: lr of group ${i} must be a finite number >= 0, got ${lr}`);
        groups[i].lr = lr;
      });
    },
  };
}
