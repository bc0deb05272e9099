/**
 * The log keys the metrics of one run will write, checked before the run starts: two metrics
 * under one name (two F1Score with different posLabel, say) would overwrite each other in the
 * logs and the History, and a metric named like a key fit writes itself would replace it.
 */
import { createMetric, type MetricSpec } from './index.js';
import { Metric } from './metric.js';

/** Keys fit and evaluate log themselves (a metric's val twin is checked through its name). */
const RESERVED = new Set(['loss', 'lr', 'seconds', 'epoch']);

/** The name `spec` logs under; throws for an unknown metric name. */
export function metricName(op: string, spec: MetricSpec, index: number): string {
  if (spec instanceof Metric) return spec.name;
  if (typeof spec !== 'string') throw new TypeError(`${op}: metrics[${index}] must be a metric name or a Metric, got ${spec === null ? 'null' : typeof spec}`);
  // The name does not depend on the class count; 2 stands in for the model's output width.
  try {
    return createMetric(spec, { numClasses: 2 }).name;
  } catch (e) {
    throw new RangeError(`${op}: metrics[${index}]: ${(e as Error).message}`, { cause: e });
  }
}

/** Throws when two metrics share a name, or one takes a key fit logs itself. */
export function checkMetricNames(op: string, specs: readonly MetricSpec[]): void {
  const seen = new Map<string, number>();
  specs.forEach((spec, i) => {
    const name = metricName(op, spec, i);
    if (RESERVED.has(name) || /^val[A-Z]/.test(name)) {
      throw new RangeError(`${op}: metrics[${i}] is named '${name}', which fit logs itself; give it another name (the metric's name option)`);
    }
    const first = seen.get(name);
    if (first !== undefined) {
      throw new RangeError(`${op}: metrics[${first}] and metrics[${i}] are both named '${name}' and would overwrite each other in the logs; give each a distinct name (the metric's name option)`);
    }
    seen.set(name, i);
  });
}
