// Test doubles for the trainer-facing contracts: a model of plain tensors, an optimizer that
// only holds learning rates, and a context that records log lines.
import { tensor } from '../../src/ops/creation.js';
import type { Tensor } from '../../src/tensor.js';
import { createTrainerContext, type TrainerContext } from '../../src/train/callbacks/callback.js';
import type { LrControl, TrainableModel } from '../../src/train/contracts.js';
import { History } from '../../src/train/history.js';

export class FakeModel implements TrainableModel {
  weights: Record<string, Tensor> = { w: tensor([1, 2, 3]), b: tensor([0.5]) };
  stateDict() {
    return this.weights;
  }
  loadStateDict(sd: Record<string, Tensor>) {
    for (const [k, t] of Object.entries(sd)) this.weights[k].buffer.copyFrom(t.buffer, t.offset, this.weights[k].offset, t.size);
  }
  /** Sets every weight to `v` (a stand-in for an optimizer step). */
  setAll(v: number) {
    for (const t of Object.values(this.weights)) t.buffer.write(new Float32Array(t.size).fill(v), t.offset);
  }
  first(): number {
    return this.weights.w.toArray()[0];
  }
}

export class FakeOptimizer implements LrControl {
  constructor(public lrs: number[] = [0.1]) {}
  getLr() {
    return [...this.lrs];
  }
  setLr(lrs: number[]) {
    this.lrs = [...lrs];
  }
}

export function context(extra: Partial<TrainerContext> = {}): TrainerContext & { lines: string[] } {
  const lines: string[] = [];
  const ctx = createTrainerContext({ history: new History(), log: (l) => lines.push(l), ...extra });
  return Object.assign(ctx, { lines });
}
