/**
 * Tuning the handbook MLP (784-hidden-10, ReLU, Adam, batch 32) on the bundled Fashion-MNIST
 * slice: TPE over the learning rate, the weight decay and the hidden width, with a MedianPruner
 * fed each epoch's validation accuracy through tune.PruningCallback.
 *
 *   npx tsx examples/tune_mlp.ts                     # 20 trials of up to 5 epochs
 *   TUNE_TRIALS=30 TUNE_EPOCHS=8 npx tsx examples/tune_mlp.ts
 *   TUNE_JOURNAL=mlp.jsonl npx tsx examples/tune_mlp.ts   # resumable: run it again to continue
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { data, manualSeed, nn, optim, train, tune } from '../src/index.js';

const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), 'data', 'fashion-mnist');
const TRIALS = Number(process.env.TUNE_TRIALS ?? 20);
const EPOCHS = Number(process.env.TUNE_EPOCHS ?? 5);
const JOURNAL = process.env.TUNE_JOURNAL;

async function main() {
  const { train: trainSet, test } = await data.loadFashionMnist(DATA_DIR);
  const { xTrain, yTrain, xVal, yVal } = data.validationSplit(trainSet.images, trainSet.labels, { valSize: 0.1, seed: 0 });
  const scaler = new data.Standardize().fit(xTrain);
  for (const x of [xTrain, xVal, test.images]) scaler.transform(x, x);
  console.log(`Fashion-MNIST slice: ${xTrain.shape[0]} train / ${xVal.shape[0]} validation; ${TRIALS} trials of up to ${EPOCHS} epochs`);

  const study = await tune.createStudy({
    direction: 'maximize',
    sampler: new tune.TPESampler({ seed: 0 }),
    pruner: new tune.MedianPruner({ nStartupTrials: 5, nWarmupSteps: 1 }),
    ...(JOURNAL ? { storage: `journal:${JOURNAL}`, studyName: 'tune_mlp', loadIfExists: true } : {}),
  });
  // Start from the handbook's own settings.
  await study.enqueueTrial({ lr: 1e-3, weightDecay: 1e-6, hidden: 128 }, { skipIfExists: true });

  // Ctrl-C: the running trial finishes, every finished trial is kept.
  const stop = train.abortOnSignals(['SIGINT', 'SIGTERM'], (line) => console.error(`${line.split(':')[0]}: stopping after the running trial`));
  await study.optimize(async (trial) => {
    const lr = trial.suggestFloat('lr', 1e-4, 3e-2, { log: true });
    const weightDecay = trial.suggestFloat('weightDecay', 1e-6, 1e-2, { log: true });
    const hidden = trial.suggestInt('hidden', 32, 256, { log: true });
    manualSeed(trial.number);
    const model = nn.sequential(nn.linear(784, hidden), nn.relu(), nn.linear(hidden, 10));
    const history = await train.fit(model, {
      data: new data.DataLoader(new data.TensorDataset(xTrain, yTrain!), { batchSize: 32, shuffle: true, seed: trial.number }),
      validationData: [xVal, yVal!],
      epochs: EPOCHS,
      optimizer: new optim.Adam(model.parameters(), { lr, weightDecay }),
      loss: new nn.CrossEntropyLoss(),
      metrics: ['accuracy'],
      callbacks: [new tune.PruningCallback(trial, 'valAccuracy')],
      signal: trial.signal,
      log: () => {},
    });
    return Math.max(...history.epochs.map((e) => e.valMetrics.accuracy ?? 0));
  }, {
    nTrials: TRIALS,
    signal: stop.signal,
    log: (line) => console.log(line),
  });
  stop.dispose();

  const counts = Object.fromEntries(['COMPLETE', 'PRUNED', 'FAIL'].map((s) => [s, study.trials.filter((t) => t.state === s).length]));
  console.log(`\n${study.trials.length} trials: ${counts.COMPLETE} complete, ${counts.PRUNED} pruned, ${counts.FAIL} failed`);
  const best = study.bestTrial;
  console.log(`best trial ${best.number}: val accuracy ${(100 * best.value!).toFixed(2)}%  ` +
    `lr ${(best.params.lr as number).toExponential(2)}  weightDecay ${(best.params.weightDecay as number).toExponential(2)}  hidden ${best.params.hidden}`);
  console.log('\n' + String(study.trialsTable()).split('\n').slice(0, 6).join('\n'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
