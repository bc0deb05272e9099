/**
 * evaluate(): the loss and metrics of a model over a data set, batched, without recording a
 * graph, in evaluation mode (Dropout off, BatchNorm on running statistics), every module's
 * mode restored afterwards. Like `fit` it pauses for the event loop between batches.
 */
import { setGradEnabled } from '../autograd/graph.js';
import type { Module } from '../nn/module.js';
import { batchSource, forEachBatch, type BatchSource, type DataSpec } from './batch_source.js';
import type { Logs } from './contracts.js';
import { EventLoopYielder } from './event_loop.js';
import { callLoss, lossObject, takesLogits, type LossFunction, type LossSpec } from './loss_spec.js';
import { createMetric, metricContext, type Metric, type MetricSpec } from './metrics/index.js';
import { checkMetricNames } from './metrics/metric_names.js';
import { setModeTemporarily } from './model_mode.js';
import { checkData, checkModel, evaluateOptions } from './fit_options.js';
import { prefixed } from '../validate/index.js';

/** Options of evaluate(). */
export interface EvaluateOptions {
  loss?: LossSpec;
  metrics?: MetricSpec[];
  /** Batch size when the data is given as tensors (default 256). */
  batchSize?: number;
  /** Pause for the event loop once this many ms have passed (default 5; 0: every batch). */
  yieldEveryMs?: number;
}

/**
 * The mean loss (weighted by batch size) and each metric over `data`, as
 * `{ loss, accuracy, ... }`. Metrics whose value is not a number (a confusion matrix,
 * per-class scores) are read from the Metric instance you passed.
 */
export async function evaluate(model: Module, data: DataSpec, options: EvaluateOptions = {}): Promise<Logs> {
  checkModel('evaluate', model);
  checkData('evaluate', 'data', data);
  options = evaluateOptions('evaluate', options);
  const source = prefixed('evaluate', () => batchSource('evaluate', data, { batchSize: options.batchSize ?? 256, shuffle: false }));
  const loss = options.loss === undefined ? null : prefixed('evaluate', () => lossObject(options.loss!));
  let metrics: Metric[] | null = null;
  const specs = options.metrics ?? [];
  checkMetricNames('evaluate', specs);
  const logs = await evaluateBatches(model, source, loss, (width) => (metrics ??= specs.map((s) => createMetric(s, metricContext(width, loss !== null && takesLogits(loss))))),
    new EventLoopYielder(options.yieldEveryMs ?? 5));
  if (!loss) delete logs.loss;
  return logs;
}

/**
 * The evaluation pass shared with fit's validation: `metricsFor(numClasses)` gives the metrics
 * (created on the first batch, when the output width is known); they are reset first.
 */
export async function evaluateBatches(
  model: Module, source: BatchSource, loss: LossFunction | null,
  metricsFor: (numClasses: number) => Metric[], yielder: EventLoopYielder,
): Promise<Logs> {
  const restore = setModeTemporarily(model, false);
  let lossSum = 0;
  let seen = 0;
  // Assigned inside the batch callback, which TypeScript's narrowing cannot see.
  let metrics = null as Metric[] | null;
  try {
    await forEachBatch(source, (x, y) => {
      const previous = setGradEnabled(false);
      // A model or loss that rejects the batch (a shape mismatch) names the call that fed it.
      try {
        prefixed(source.op, () => {
          const out = model.forward(x);
          if (!metrics) {
            metrics = metricsFor(out.ndim > 1 ? out.shape[out.ndim - 1] : 1);
            for (const m of metrics) m.reset();
          }
          const n = x.shape[0];
          if (loss) {
            const l = callLoss(source.op, loss, out, y);
            lossSum += l.item() * n;
            l.dispose();
          }
          for (const m of metrics) m.update(out, y);
          if (out !== x) out.dispose();
          seen += n;
        });
      } finally {
        setGradEnabled(previous);
      }
      return yielder.maybeYield()?.then(() => true) ?? true;
    });
  } finally {
    restore();
  }
  if (seen === 0) throw new Error(`${source.op}: the data yielded no batches`);
  const logs: Logs = { loss: lossSum / seen };
  for (const m of metrics ?? []) {
    const v = m.result();
    if (typeof v === 'number') logs[m.name] = v;
  }
  return logs;
}
