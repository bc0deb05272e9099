/**
 * The handbook MLP as a tuning objective module, used by examples/tune_mlp.ts and bench:tune:
 * lr, weight decay and hidden width, up to TUNE_EPOCHS (default 10, the handbook's fit) epochs
 * on the bundled Fashion-MNIST slice, reporting validation accuracy each epoch to the study's
 * pruner. A module so that `optimize(url, { concurrency })` can run it in worker threads; the
 * data is loaded once, by the caller (`loadData`), and reaches every trial through optimize's
 * `shared` option — in worker threads as the same memory, not a copy per worker.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { data, manualSeed, nn, optim, train, tune, type Tensor } from '../src/index.js';
import type { RemoteTrial } from '../src/tune/parallel/remote_trial.js';

const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), 'data', 'fashion-mnist');
export const EPOCHS = Number(process.env.TUNE_EPOCHS ?? 10);

/** The slice split 90/10 into training and validation sets, standardized by the training set. */
export async function loadData(): Promise<{ xTrain: Tensor; yTrain: Tensor; xVal: Tensor; yVal: Tensor }> {
  const { train: trainSet } = await data.loadFashionMnist(DATA_DIR);
  const { xTrain, yTrain, xVal, yVal } = data.validationSplit(trainSet.images, trainSet.labels, { valSize: 0.1, seed: 0 });
  const scaler = new data.Standardize().fit(xTrain);
  for (const x of [xTrain, xVal]) scaler.transform(x, x);
  return { xTrain, yTrain: yTrain!, xVal, yVal: yVal! };
}

export async function objective(trial: tune.Trial | RemoteTrial, shared: tune.SharedTensors): Promise<number> {
  const { xTrain, yTrain, xVal, yVal } = shared;
  const lr = trial.suggestFloat('lr', 1e-4, 3e-2, { log: true });
  const weightDecay = trial.suggestFloat('weightDecay', 1e-6, 1e-2, { log: true });
  const hidden = trial.suggestInt('hidden', 32, 256, { log: true });
  manualSeed(trial.number);
  const model = nn.sequential(nn.linear(784, hidden), nn.relu(), nn.linear(hidden, 10));
  const history = await train.fit(model, {
    data: new data.DataLoader(new data.TensorDataset(xTrain, yTrain), { batchSize: 32, shuffle: true, seed: trial.number }),
    validationData: [xVal, yVal],
    epochs: EPOCHS,
    optimizer: new optim.Adam(model.parameters(), { lr, weightDecay }),
    loss: new nn.CrossEntropyLoss(),
    metrics: ['accuracy'],
    callbacks: [new tune.PruningCallback(trial, 'valAccuracy')],
    signal: trial.signal, // a trial past trialTimeoutMs stops training
    log: () => {},
  });
  return Math.max(...history.epochs.map((e) => e.valMetrics.accuracy ?? 0));
}
