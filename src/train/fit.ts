/**
 * fit(): the training loop, assembled from the train area's parts — DataLoader batches, the
 * loss, metrics accumulated over batches, the optimizer with gradient clipping, lr schedules,
 * callbacks (Keras's hook order), the TrainingMonitor (on by default) and a History.
 *
 * Per epoch: onEpochBegin; per batch: onBatchBegin, forward, loss, metric update, zeroGrad,
 * backward, step, per-step schedules, onBatchEnd, then a pause for the event loop (see
 * event_loop.ts); then the validation pass, epoch schedules, onEpochEnd, and the record in
 * History. A stop requested mid-epoch (a callback's stopTraining, a divergence, the AbortSignal)
 * ends the run after the current batch: that partial epoch is recorded with its train loss
 * over the batches it ran, without validation, and onEpochEnd and onTrainEnd still run (so
 * EarlyStopping restores weights and ModelCheckpoint can save; `resumeFrom` continues from
 * such a checkpoint, at the next batch, see resume.ts).
 *
 * Steady state allocates no native memory: batches come from the loader's reused buffers,
 * activations and gradients from the storage pool, and the loss and outputs are disposed as
 * soon as they are read (one read-back per batch: the loss value).
 */
import { backward } from '../autograd/backward.js';
import type { Module } from '../nn/module.js';
import type { Tensor } from '../tensor.js';
import { batchSource, forEachBatch, splitForValidation, type BatchSource, type DataSpec } from './batch_source.js';
import { Callback, createTrainerContext, type TrainerContext } from './callbacks/callback.js';
import { CallbackList } from './callbacks/callback_list.js';
import { ProgressBar } from './callbacks/progress_bar.js';
import { valKey, type Logs } from './contracts.js';
import { annotateDivergence } from './divergence_culprit.js';
import { evaluateBatches } from './evaluate.js';
import { EventLoopYielder } from './event_loop.js';
import { History } from './history.js';
import { callLoss, lossObject, takesLogits, weightedLoss, type ClassWeight, type LossFunction, type LossSpec } from './loss_spec.js';
import { createMetric, metricContext, type Metric, type MetricSpec } from './metrics/index.js';
import { checkMetricNames } from './metrics/metric_names.js';
import { setModeTemporarily } from './model_mode.js';
import { TrainingMonitor, type TrainingMonitorOptions } from './monitor.js';
import { lrControl } from './optimizer_lr.js';
import { captureFitState, restoreFitState, type EpochPosition, type StatefulSchedule } from './resume.js';
import { Schedules, type ScheduleSpec } from './schedules.js';
import { checkModel, fitOptions } from './fit_options.js';
import { prefixed } from '../validate/index.js';

/** What fit needs of an optimizer (every optim.* optimizer has it). */
export interface FitOptimizer {
  paramGroups: { lr: number }[];
  /** Clears the gradients. */
  zeroGrad(): void;
  /** Applies one update from the gradients. */
  step(): unknown;
  clipGradNorm: number;
  clipGradValue: number;
  /** The optimizer's state, saved in checkpoints when present. */
  stateDict?(): unknown;
}

/** Gradient clipping for the run: a number clips the global L2 norm. */
export type GradientClip = number | { norm?: number; value?: number };

/** Options of fit(). */
export interface FitOptions {
  /** Training data: a DataLoader, an (async) iterable of [x, y] batches, or tensors [x, y] / { x, y }. */
  data: DataSpec;
  /** Validation data, in any form `data` takes. */
  validationData?: DataSpec;
  /** Or hold out this fraction of `data` (tensors only) for validation. */
  validationSplit?: number;
  epochs: number;
  optimizer: FitOptimizer;
  loss: LossSpec;
  /** Batch size when data is given as tensors (default 32); validation uses max(batchSize, 256). */
  batchSize?: number;
  /** Shuffle tensor data each epoch (default true), with this seed (default 0). */
  shuffle?: boolean;
  seed?: number;
  schedules?: ScheduleSpec[];
  metrics?: MetricSpec[];
  callbacks?: Callback[];
  /** Per-class loss weights (cross-entropy): 'balanced', a map class -> weight, or a list. */
  classWeight?: ClassWeight;
  gradientClip?: GradientClip;
  /** Cancels the run after the current batch. */
  signal?: AbortSignal;
  /** 0 (default): silent; 1: a ProgressBar and log lines on stdout. */
  verbose?: 0 | 1 | boolean;
  /** Where log lines go (default console.log when verbose, else nowhere). */
  log?: (line: string) => void;
  /** TrainingMonitor options, or false to leave it out (default: on). */
  monitor?: TrainingMonitorOptions | false;
  /** Pause for the event loop once this many ms have passed since the last pause (default 5; 0: every batch). */
  yieldEveryMs?: number;
  /**
   * Continue from a checkpoint that ModelCheckpoint wrote during an earlier fit with the same
   * data, model and schedules (weights, optimizer, schedules, RNG, History; see resume.ts):
   * training goes on at the epoch after the saved one, up to `epochs` in all (Keras's
   * initial_epoch), bit-identical to a run that was never interrupted.
   */
  resumeFrom?: string;
}

/** Trains `model` and returns the History of the run. */
export async function fit(model: Module, options: FitOptions): Promise<History> {
  checkModel('fit', model);
  options = fitOptions('fit', options);
  checkMetricNames('fit', options.metrics ?? []);
  const { run, history } = prefixed('fit', () => prepare(model, options));
  const { optimizer } = options;
  const savedClip = [optimizer.clipGradNorm, optimizer.clipGradValue] as const;
  applyClip(optimizer, options.gradientClip);
  const restoreMode = setModeTemporarily(model, true);
  try {
    await run.all();
  } finally {
    optimizer.clipGradNorm = savedClip[0];
    optimizer.clipGradValue = savedClip[1];
    restoreMode();
  }
  return history;
}

/** Everything fit builds before the first batch: sources, loss, schedules, callbacks, the resume point. */
function prepare(model: Module, options: FitOptions): { run: Run; history: History } {
  const { epochs, optimizer } = options;
  const verbose = options.verbose === true || options.verbose === 1;
  const log = options.log ?? (verbose ? (line: string) => console.log(line) : () => {});
  const batchSize = options.batchSize ?? 32;
  let trainSpec = options.data;
  let valSpec = options.validationData;
  if (options.validationSplit !== undefined) ({ train: trainSpec, val: valSpec } = splitForValidation('fit', trainSpec, options.validationSplit, options.seed ?? 0));
  const train = batchSource('fit', trainSpec, { batchSize, shuffle: options.shuffle ?? true, seed: options.seed });
  const val = valSpec === undefined ? null : batchSource('fit', valSpec, { batchSize: Math.max(batchSize, 256), shuffle: false });
  const baseLoss = lossObject(options.loss);
  const schedules = new Schedules(options.schedules ?? [], val !== null);

  const callbacks: Callback[] = [];
  if (options.monitor !== false) callbacks.push(new TrainingMonitor(options.monitor ?? {}));
  callbacks.push(...(options.callbacks ?? []));
  if (verbose) callbacks.push(new ProgressBar());

  const resume = options.resumeFrom === undefined ? null : restoreFitState(options.resumeFrom, model, optimizer, schedules.all as StatefulSchedule[], callbacks);
  if (resume) {
    if (!train.loader && resume.batch > 0) throw new Error('fit: resuming in the middle of an epoch needs the training data as tensors or a DataLoader');
    train.loader?.setState({ epoch: resume.epoch, batch: resume.batch });
  }
  const position: EpochPosition = { batch: resume?.batch ?? 0, complete: true };
  const history = resume?.history ?? new History();
  // For the report; a resumed run keeps the lr it started with (the optimizer now holds the saved one).
  history.params = {
    optimizer: optimizer.constructor?.name ?? 'optimizer', lr: optimizer.paramGroups[0]?.lr ?? NaN,
    ...(train.loader ? { batchSize: train.loader.batchSize } : {}),
    ...history.params, epochs, model: String(model),
  };
  const lr = lrControl(optimizer);
  const named = model.namedParameters();
  const trainer: TrainerContext = createTrainerContext({
    history, model, optimizer: lr, epochs, stepsPerEpoch: train.length, log,
    namedGradients: () => named.flatMap(([name, p]) => (p.grad ? [[name, p.grad] as const] : [])),
    checkpointState: () => {
      run.refreshEpochRecord();
      return { architecture: String(model), ...captureFitState(optimizer, schedules.all as StatefulSchedule[], trainer.globalStep, history, position, callbacks) };
    },
  });
  trainer.globalStep = resume?.globalStep ?? 0;
  const list = new CallbackList(callbacks, trainer);

  const run = new Run(model, optimizer, train, val, baseLoss, options, trainer, list, schedules, resume?.epoch ?? 0, position, resume?.loadCallbacks);
  return { run, history };
}

function applyClip(optimizer: FitOptimizer, clip: GradientClip | undefined): void {
  if (clip === undefined) return;
  const { norm, value } = typeof clip === 'number' ? { norm: clip, value: undefined } : clip;
  if (norm !== undefined) {
    if (!(norm > 0) || !Number.isFinite(norm)) throw new RangeError(`fit: gradientClip norm must be a finite number > 0, got ${norm}`);
    optimizer.clipGradNorm = norm;
  }
  if (value !== undefined) {
    if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`fit: gradientClip value must be a finite number > 0, got ${value}`);
    optimizer.clipGradValue = value;
  }
}

/** The state of one fit() call. */
class Run {
  private loss: LossFunction | null = null;
  private metrics: Metric[] | null = null;
  private readonly yielder: EventLoopYielder;
  private aborted = false;
  private refresh: (() => void) | null = null;
  private readonly named: [string, Tensor][];

  constructor(
    private readonly model: Module, private readonly optimizer: FitOptimizer,
    private readonly train: BatchSource, private readonly val: BatchSource | null,
    private readonly baseLoss: LossFunction, private readonly options: FitOptions,
    private readonly trainer: TrainerContext, private readonly callbacks: CallbackList,
    private readonly schedules: Schedules, private readonly firstEpoch: number,
    private readonly position: EpochPosition,
    private readonly loadCallbacks?: () => void,
  ) {
    this.yielder = new EventLoopYielder(options.yieldEveryMs ?? 5);
    this.named = model.namedParameters();
  }

  async all(): Promise<void> {
    const { trainer, callbacks } = this;
    await callbacks.onTrainBegin({});
    this.loadCallbacks?.();
    let last: Logs = {};
    for (let epoch = this.firstEpoch; epoch < trainer.epochs && !trainer.stopTraining; epoch++) {
      last = (await this.epoch(epoch)) ?? last;
    }
    await callbacks.onTrainEnd(last);
  }

  /** One epoch; its logs, or null when it was cancelled before its first batch. */
  private async epoch(epoch: number): Promise<Logs | null> {
    const { trainer, callbacks, options } = this;
    const signal = options.signal;
    await callbacks.onEpochBegin(epoch, {});
    const start = performance.now();
    for (const m of this.metrics ?? []) m.reset();
    let lossSum = 0;
    let seen = 0;
    // A run resumed from a mid-epoch checkpoint starts its first epoch at the saved batch.
    const first = epoch === this.firstEpoch ? this.position.batch : 0;
    let batches = first;
    this.position.batch = first;
    this.position.complete = false;
    await forEachBatch(this.train, async (x, y, batch) => {
      if (signal?.aborted) return this.abort(epoch, batch);
      await callbacks.onBatchBegin(batch, { batch, size: x.shape[0] });
      const value = this.step(x, y);
      lossSum += value * x.shape[0];
      seen += x.shape[0];
      batches = batch + 1;
      this.position.batch = batches;
      await callbacks.onBatchEnd(batch, { batch, size: x.shape[0], loss: value });
      if (signal?.aborted) return this.abort(epoch, batches);
      if (trainer.stopTraining) {
        this.nameDivergence();
        return false;
      }
      await this.yielder.maybeYield();
      return true;
    }, first);
    if (seen === 0) {
      if (this.aborted) return null;
      throw new Error('fit: the training data yielded no batches');
    }
    const complete = !trainer.stopTraining && !this.aborted;
    this.position.complete = complete;
    const logs: Logs = { loss: lossSum / seen };
    this.readMetrics(logs);
    if (complete && this.val) {
      const valLogs = await evaluateBatches(this.model, this.val, this.loss, () => this.metrics!, this.yielder);
      logs.valLoss = valLogs.loss;
      for (const [k, v] of Object.entries(valLogs)) if (k !== 'loss') logs[valKey(k)] = v;
    }
    logs.lr = this.trainer.optimizer!.getLr()[0];
    logs.seconds = (performance.now() - start) / 1000;
    if (complete) this.schedules.afterEpoch(epoch, logs, trainer.optimizer!, trainer.history, trainer.log);
    // Recorded before the callbacks see the epoch, and again (refreshed) with whatever they add
    // to the logs (ReduceLROnPlateau's new lr, say): at a checkpoint taken among them, and after.
    trainer.history.recordEpoch(epoch, logs);
    this.refresh = () => {
      trainer.history.epochs.pop();
      trainer.history.recordEpoch(epoch, logs);
    };
    trainer.epochComplete = complete;
    // Lines the callbacks log at epoch end (a diagnosis, an early stop) are held until the
    // ProgressBar, last in the list, has written the epoch's own line: output in epoch order.
    const log = trainer.log;
    const held: string[] = [];
    trainer.log = (line) => held.push(line);
    try {
      await callbacks.onEpochEnd(epoch, logs);
      if (trainer.stopTraining) this.nameDivergence();
    } finally {
      trainer.log = log;
      for (const line of held) log(line);
    }
    this.refreshEpochRecord();
    this.refresh = null;
    return logs;
  }

  /** Brings the current epoch's History record up to date with its logs (during onEpochEnd). */
  refreshEpochRecord(): void {
    this.refresh?.();
  }

  /** One optimizer step on a batch; returns the batch loss. */
  private step(x: Tensor, y: Tensor): number {
    return prefixed('fit', () => this.stepUnprefixed(x, y));
  }

  private stepUnprefixed(x: Tensor, y: Tensor): number {
    const out = this.model.forward(x);
    if (!this.loss) this.setUp(out.ndim > 1 ? out.shape[out.ndim - 1] : 1);
    const loss = callLoss('fit', this.loss!, out, y);
    const value = loss.item();
    for (const m of this.metrics!) m.update(out, y);
    this.optimizer.zeroGrad();
    backward(loss);
    this.optimizer.step();
    this.schedules.afterStep();
    loss.dispose();
    if (out !== x) out.dispose();
    this.trainer.globalStep++;
    return value;
  }

  /** On the first batch, when the model's output width (the class count) is known. */
  private setUp(numClasses: number): void {
    const cw = this.options.classWeight;
    this.loss = cw === undefined ? this.baseLoss : weightedLoss(this.baseLoss, cw, numClasses, this.train.labels);
    const context = metricContext(numClasses, takesLogits(this.baseLoss));
    this.metrics = (this.options.metrics ?? []).map((s) => createMetric(s, context));
  }

  /** The training metrics' values (numbers only) into `logs`. */
  private readMetrics(logs: Logs): void {
    for (const m of this.metrics ?? []) {
      const v = m.result();
      if (typeof v === 'number') logs[m.name] = v;
    }
  }

  /** Names the parameter behind a divergence stop, when the monitor could not (divergence_culprit.ts). */
  private nameDivergence(): void {
    const line = annotateDivergence(this.trainer.history, this.named);
    if (line) this.trainer.log(line);
  }

  /** Records the cancellation once; returns false to end the epoch's batch loop. */
  private abort(epoch: number, batchesDone: number): false {
    if (this.aborted) return false;
    this.aborted = true;
    const { trainer } = this;
    const reason = this.options.signal?.reason;
    const message = `Training cancelled by the AbortSignal after ${batchesDone} batch${batchesDone === 1 ? '' : 'es'} of epoch ${epoch + 1}`;
    trainer.stopTraining = true;
    trainer.stopReason ??= message;
    trainer.history.addEvent({
      kind: 'terminate', epoch, step: trainer.globalStep, message,
      detail: { cause: 'abort', batchesDone, reason: reason instanceof Error ? reason.message : String(reason ?? '') },
    });
    trainer.log(message);
    return false;
  }
}
