/**
 * The proof of "0 native allocations per step in steady state": the native allocation counter
 * (memoryStats) read around each step after a warm-up. Reusable for any model: build a step
 * with `trainingStep` (or write one) and expect `allocationsPerStep(step)` to be all zeros.
 */
import { memoryStats, nn, noGrad, type Tensor } from '../../src/index.js';

/** Native allocations made by each of `steps` calls of `step`, after `warmup` calls. */
export function allocationsPerStep(step: () => void, { warmup = 3, steps = 4 } = {}): number[] {
  for (let i = 0; i < warmup; i++) step();
  const counts: number[] = [];
  for (let i = 0; i < steps; i++) {
    const before = memoryStats().allocations;
    step();
    counts.push(memoryStats().allocations - before);
  }
  return counts;
}

/** What trainingStep needs of an optimizer (every optim.* one). */
interface StepOptimizer {
  zeroGrad(): void;
  step(): unknown;
}

/**
 * The handbook's step on a fixed batch, as a user writes it: forward, loss, zeroGrad, backward,
 * step. The output and the loss are left to the library (no dispose), as users do.
 */
export function trainingStep(model: nn.Module, loss: { forward(out: Tensor, y: Tensor): Tensor },
  optimizer: StepOptimizer, x: Tensor, y: Tensor): () => void {
  return () => {
    const l = loss.forward(model.forward(x), y);
    optimizer.zeroGrad();
    l.backward();
    optimizer.step();
  };
}

/** An evaluation step: the forward without grad, its output read and disposed. */
export function evaluationStep(model: nn.Module, x: Tensor): () => void {
  return () => {
    const out = noGrad(() => model.forward(x));
    out.toArray();
    out.dispose();
  };
}
