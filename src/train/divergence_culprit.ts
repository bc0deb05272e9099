/**
 * Naming the parameter behind a divergence. The TrainingMonitor names one when a gradient went
 * NaN/±Inf; a run stopped earlier — its loss rising sharply while every number is still
 * finite — gets a name here, at the stop, from the live model: the first parameter (in
 * parameter order) whose weights or gradient hold a non-finite value, else the one with the
 * largest gradient RMS sqrt(mean(g^2)), the one the last step moved hardest.
 */
import { setGradEnabled } from '../autograd/graph.js';
import { square } from '../ops/elementwise.js';
import { sum } from '../ops/reduce.js';
import type { Tensor } from '../tensor.js';
import { findNonFinite } from './finite.js';
import type { History } from './history.js';

/** Which parameter, and why it was chosen. */
export interface Culprit {
  parameter: string;
  reason: 'non-finite weight' | 'non-finite gradient' | 'largest gradient';
  /** Gradient RMS for 'largest gradient'; the offending value otherwise. */
  value: number;
}

/** The parameter most to blame (see the module comment), or null when there are no gradients. */
export function divergenceCulprit(named: readonly (readonly [string, Tensor])[]): Culprit | null {
  const weight = findNonFinite(named);
  if (weight) return { parameter: weight.name, reason: 'non-finite weight', value: weight.value };
  const grads = named.flatMap(([name, p]) => (p.grad ? [[name, p.grad] as const] : []));
  const grad = findNonFinite(grads);
  if (grad) return { parameter: grad.name, reason: 'non-finite gradient', value: grad.value };
  let best: Culprit | null = null;
  const previous = setGradEnabled(false);
  try {
    for (const [name, g] of grads) {
      const sq = square(g);
      const total = sum(sq);
      const rms = Math.sqrt(total.item() / g.size);
      sq.dispose();
      total.dispose();
      if (!best || rms > best.value) best = { parameter: name, reason: 'largest gradient', value: rms };
    }
  } finally {
    setGradEnabled(previous);
  }
  return best;
}

/**
 * Adds the culprit to the latest divergence diagnosis that names no parameter (once per run);
 * returns the log line to print, or null when there was nothing to add.
 */
export function annotateDivergence(history: History, named: readonly (readonly [string, Tensor])[]): string | null {
  const event = [...history.events].reverse().find((e) => e.kind === 'diagnosis' && e.detail?.type === 'divergence');
  if (!event || !event.detail || event.detail.parameter !== undefined) return null;
  const culprit = divergenceCulprit(named);
  if (!culprit) return null;
  event.detail.parameter = culprit.parameter;
  event.detail.parameterReason = culprit.reason;
  event.detail.parameterValue = String(culprit.value);
  const what = culprit.reason === 'largest gradient' ? `the largest gradient (RMS ${culprit.value.toPrecision(3)})` : `a ${culprit.reason} (${culprit.value})`;
  event.message += `; parameter '${culprit.parameter}' has ${what}`;
  return `[diagnosis] divergence: parameter '${culprit.parameter}' has ${what}`;
}
