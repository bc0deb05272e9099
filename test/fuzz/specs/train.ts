/** Specs of train: metrics, callbacks, History, checkpoints, reports, fit / evaluate / predict / compile. */
import { readFileSync, writeFileSync } from 'node:fs';
import { encodeCheckpoint } from '../../../src/train/checkpoint/checkpoint.js';
import { ones, optim, tensor, train, zeros } from '../../../src/index.js';
import type { CallSpec, ClassSpec, MethodSpec } from '../spec.js';
import { mlp, tmp, x43, y4 } from './fixtures.js';

const m = (args?: (self: never) => unknown[]): MethodSpec => ({ args });
const probs = () => tensor([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6], [0.3, 0.6, 0.1]]);
const regression = () => [tensor([[1, 2], [3, 4]]), tensor([[1, 2.5], [2, 4]])];
const logs = () => ({ loss: 0.5, valLoss: 0.6, accuracy: 0.8 });

/** A History with two epochs and an event. */
const history = () => {
  const h = new train.History();
  h.recordEpoch(0, { loss: 1, valLoss: 1.1, lr: 0.1, seconds: 0.01 });
  h.recordEpoch(1, { loss: 0.5, valLoss: 0.7, lr: 0.1, seconds: 0.01 });
  h.addEvent({ kind: 'lrChange', epoch: 1, message: 'lr' });
  return h;
};
/** What callbacks see of a run: the History, the model, an lr control. */
const trainer = () => {
  const model = mlp();
  let lrs = [0.1];
  return train.createTrainerContext({
    history: history(), model, epochs: 3, stepsPerEpoch: 2, log: () => undefined,
    optimizer: { getLr: () => [...lrs], setLr: (next: number[]) => void (lrs = [...next]) },
    checkpointState: () => ({ note: 'fuzz' }),
  });
};
/** A callback with its trainer set, as CallbackList does before training. */
const attached = <C extends train.Callback>(c: C) => {
  c.setTrainer(trainer());
  return c;
};
const callback = (make: () => train.Callback, args: () => unknown[]): ClassSpec => ({ ctor: { args }, make: () => attached(make()) });

/** A model and what fit needs of it, fresh. */
const fitSetup = () => {
  const model = mlp();
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.05 });
  return { model, optimizer };
};
const xy = () => [x43(), tensor(Int32Array.of(0, 1, 1, 0), [4])] as const;
const fitOptions = (o: ReturnType<typeof fitSetup>) => ({
  data: xy(), validationData: xy(), epochs: 2, optimizer: o.optimizer, loss: 'crossEntropy', batchSize: 2, shuffle: true,
  seed: 1, metrics: ['accuracy'], callbacks: [], gradientClip: 1, verbose: 0, monitor: false, yieldEveryMs: 5,
  signal: AbortSignal.timeout(2000), schedules: [], classWeight: 'balanced', log: () => undefined,
});
const safetensorsFile = () => {
  const path = tmp('w.safetensors');
  train.saveSafetensors(path, { w: ones([2, 2]) }, { note: 'x' });
  return path;
};
const checkpointFile = () => {
  const path = tmp('ckpt.safetensors');
  // saveCheckpoint is async; the same bytes, written synchronously so the spec can use them.
  writeFileSync(path, Buffer.concat(encodeCheckpoint({ w: ones([2]) }, { epoch: 1 }).chunks));
  return path;
};
const safetensorsBytes = () => {
  const path = safetensorsFile();
  return new Uint8Array(readFileSync(path));
};

/** stateDict / loadStateDict of a callback whose counters are saved in checkpoints. */
const stateMethods = <C extends { stateDict(): Record<string, unknown> }>(): Record<string, MethodSpec> => ({
  stateDict: m(), loadStateDict: m((self: C) => [self.stateDict()]),
});

const classification = { update: m(() => [probs(), y4()]), result: m(), reset: m() };

export const trainClasses: Record<string, ClassSpec> = {
  'train.Metric': { methods: classification },
  'train.Accuracy': { ctor: { args: () => [{ threshold: 0.5, name: 'acc' }] } },
  'train.TopKAccuracy': { ctor: { args: () => [{ k: 2, name: 'top2' }] } },
  'train.ConfusionMatrix': { ctor: { args: () => [{ numClasses: 3, threshold: 0.5, name: 'cm' }] } },
  'train.Precision': {
    ctor: { args: () => [{ numClasses: 3, average: 'macro', zeroDivision: 0, labels: [0, 1, 2], posLabel: 1, threshold: 0.5 }] },
    internal: ['ratio'],
  },
  'train.Recall': { ctor: { args: () => [{ numClasses: 3, average: 'micro' }] }, internal: ['ratio'] },
  'train.F1Score': { ctor: { args: () => [{ numClasses: 3, average: 'weighted', zeroDivision: 1 }] }, internal: ['ratio'] },
  'train.MeanSquaredError': { ctor: { args: () => [{ name: 'mse' }] }, methods: { update: m(regression) } },
  'train.MeanAbsoluteError': { ctor: { args: () => [{ name: 'mae' }] }, methods: { update: m(regression) } },
  'train.R2Score': { ctor: { args: () => [{ multioutput: 'rawValues', name: 'r2' }] }, methods: { update: m(regression) } },
  'train.History': {
    ctor: { args: () => [] },
    make: history,
    methods: {
      recordEpoch: m(() => [2, logs()]), addEvent: m(() => [{ kind: 'info', epoch: 1, message: 'saved' }]),
      recordCheckpoint: m(() => [1, 'ckpt-1.safetensors']),
      eventsOf: m(() => ['lrChange']), series: m(() => ['valLoss']), toJSON: m(),
    },
    statics: { fromJSON: { args: () => [history().toJSON()] } },
    internal: ['value'],
  },
  'train.Callback': {
    ctor: { args: () => [] },
    make: () => attached(new train.Callback()),
    methods: {
      setTrainer: m(() => [trainer()]),
      onTrainBegin: m(() => [logs()]), onTrainEnd: m(() => [logs()]),
      onEpochBegin: m(() => [1, logs()]), onEpochEnd: m(() => [1, logs()]),
      onBatchBegin: m(() => [1, logs()]), onBatchEnd: m(() => [1, logs()]),
    },
  },
  'train.CallbackList': {
    ctor: { args: () => [[new train.Callback(), new train.TerminateOnNaN()], trainer()] },
    methods: {
      onTrainBegin: m(() => [logs()]), onTrainEnd: m(() => [logs()]), onEpochBegin: m(() => [0, logs()]),
      onEpochEnd: m(() => [0, logs()]), onBatchBegin: m(() => [0, logs()]), onBatchEnd: m(() => [0, logs()]),
    },
  },
  'train.EarlyStopping': {
    ...callback(() => new train.EarlyStopping({ patience: 1, restoreBestWeights: true }), () => [{
      monitor: 'valLoss', minDelta: 0.01, patience: 2, mode: 'min', baseline: 2, restoreBestWeights: true, startFromEpoch: 0,
    }]),
    internal: ['isImprovement', 'requireModel'],
    methods: stateMethods<train.EarlyStopping>(),
  },
  'train.ReduceLROnPlateau': {
    ...callback(() => new train.ReduceLROnPlateau({ patience: 0 }), () => [{
      monitor: 'valLoss', mode: 'auto', factor: 0.5, patience: 1, threshold: 1e-4, thresholdMode: 'rel', cooldown: 0, minLr: 0, eps: 1e-8,
    }]),
    internal: ['optimizer'],
    methods: { step: m(() => [0.5, 1]), ...stateMethods<train.ReduceLROnPlateau>() },
  },
  'train.LearningRateScheduler': {
    ...callback(() => new train.LearningRateScheduler((i, lr) => lr * 0.9), () => [(i: number, lr: number) => lr / (1 + i), { per: 'epoch' }]),
    internal: ['apply', 'optimizer'],
  },
  'train.ProgressBar': callback(() => new train.ProgressBar({ stream: { write: () => true }, tty: true }),
    () => [{ stream: { write: () => true, isTTY: false, columns: 80 }, tty: false }]),
  'train.CSVLogger': callback(() => new train.CSVLogger(tmp('log.csv')), () => [tmp('log2.csv'), { separator: ';', append: true }]),
  'train.JSONLLogger': callback(() => new train.JSONLLogger(tmp('log.jsonl')), () => [tmp('log2.jsonl'), { append: false }]),
  'train.TerminateOnNaN': callback(() => new train.TerminateOnNaN(), () => []),
  'train.ModelCheckpoint': {
    ...callback(() => new train.ModelCheckpoint(tmp('mc-{epoch}.safetensors')), () => [tmp('m.safetensors'), {
      monitor: 'valLoss', mode: 'min', saveBestOnly: false, everyNEpochs: 1,
    }]),
    methods: { save: m(() => [1, logs()]), ...stateMethods<train.ModelCheckpoint>() },
  },
  'train.TrainingMonitor': {
    ...callback(() => new train.TrainingMonitor(), () => [{
      stagnationEpochs: 3, stagnationTolerance: 1e-3, epochRiseFactor: 2, batchRiseFactor: 10, checkGradientsEvery: 2,
      stopOnDivergence: true, overfitEpochs: 2,
    }]),
    internal: ['checkStagnation', 'checkOverfitting', 'divergence', 'report', 'emit'],
    methods: stateMethods<train.TrainingMonitor>(),
  },
  'train.WeightsSnapshot': {
    ctor: { args: () => [] },
    make: () => {
      const s = new train.WeightsSnapshot();
      s.capture(mlp());
      return s;
    },
    methods: {
      capture: m(() => [mlp()]), restore: m(() => [mlp()]), dispose: m(), toArrays: m(),
      fromArrays: m((self: train.WeightsSnapshot) => [self.toArrays()]),
    },
  },
  'train.EventLoopYielder': { ctor: { args: () => [5] }, methods: { maybeYield: m() } },
  'train.CompiledModel': {
    ctor: { args: () => [mlp(), { optimizer: 'sgd', loss: 'crossEntropy', metrics: ['accuracy'] }] },
    methods: {
      fit: m(() => [...xy(), { epochs: 1, batchSize: 2, validationSplit: 0.5, shuffle: false, monitor: false }]),
      evaluate: m(() => [...xy(), { batchSize: 2 }]),
      predict: m(() => [x43(), { batchSize: 3 }]),
      dispose: m(),
    },
  },
};

export const trainFunctions: Record<string, CallSpec> = {
  'train.abortOnSignals': { args: () => [['SIGUSR2'], () => undefined] },
  'train.compile': { args: () => [mlp(), { optimizer: 'adam', loss: 'crossEntropy', metrics: ['accuracy'] }], names: ['CompiledModel'] },
  'train.createMetric': { args: () => ['top2Accuracy', { numClasses: 3 }] },
  'train.createTrainerContext': { args: () => [{ history: history(), epochs: 2 }] },
  'train.evaluate': { args: () => [mlp(), xy(), { loss: 'crossEntropy', metrics: ['accuracy'], batchSize: 2, yieldEveryMs: 0 }] },
  'train.predict': { args: () => [mlp(), x43(), { batchSize: 2, yieldEveryMs: 0 }] },
  'train.fit': {
    args: () => {
      const o = fitSetup();
      return [o.model, fitOptions(o)];
    },
  },
  'train.findNonFinite': { args: () => [{ a: ones([2]), b: zeros([3]) }] },
  'train.firstNonFinite': { args: () => [ones([3])] },
  'train.nextTurn': { args: () => [] },
  'train.valKey': { args: () => ['accuracy'] },
  'train.saveSafetensors': { args: () => [tmp('s.safetensors'), { w: ones([2, 3]), b: zeros([3], { dtype: 'int32' }) }, { note: 'fuzz' }] },
  'train.loadSafetensors': { args: () => [safetensorsFile()] },
  'train.parseSafetensors': { args: () => [safetensorsBytes(), 'bytes'] },
  'train.saveCheckpoint': { args: () => [tmp('c.safetensors'), { w: ones([2]) }, { epoch: 3, note: 'fuzz' }] },
  'train.loadCheckpoint': { args: () => [checkpointFile()] },
  'train.renderReport': {
    // The overlay of two runs, with labels and test results.
    args: () => [[history(), history()], { title: 'Fuzz report', labels: ['a', 'b'], testMetrics: [{ accuracy: 0.9 }, { accuracy: 0.8 }] }],
  },
  'train.writeReport': { args: () => [history(), tmp('report.html'), { title: 'Fuzz', labels: ['run'], testMetrics: { accuracy: 0.9 } }] },
  'train.metrics.metricContext': { args: () => [3, true] },
};
