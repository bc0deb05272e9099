/**
 * npm run demo — the handbook's 784-128-10 MLP on Fashion-MNIST: Linear(784,128) -> ReLU ->
 * Linear(128,10), softmax cross-entropy, Adam(lr 1e-3), mini-batch 32, inputs standardized per
 * feature on the training set; trained with train.fit, a progress bar, early stopping on the
 * validation loss (best weights restored), and an HTML report of the curves (DEMO_REPORT sets
 * its path; default in the OS temp directory).
 * Uses the full 60k/10k set when Debian's dataset-fashion-mnist is installed, otherwise the
 * bundled 6k/1k slice in examples/data/fashion-mnist (DEMO_DATA=bundled forces it).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { data, manualSeed, nn, numThreads, optim, train } from '../src/index.js';

const SYSTEM_DIR = '/usr/share/datasets/fashion-mnist';
const BUNDLED_DIR = join(dirname(fileURLToPath(import.meta.url)), 'data', 'fashion-mnist');
const EPOCHS = Number(process.env.DEMO_EPOCHS ?? 3);
const BATCH = 32;
const LR = 1e-3;

async function main() {
  const useSystem = process.env.DEMO_DATA !== 'bundled' && existsSync(join(SYSTEM_DIR, 'train-images-idx3-ubyte.gz'));
  const dir = useSystem ? SYSTEM_DIR : BUNDLED_DIR;
  console.log(useSystem
    ? `Fashion-MNIST: full 60k/10k set from ${SYSTEM_DIR}`
    : 'Fashion-MNIST: bundled 6k/1k slice (apt-get install dataset-fashion-mnist for the full set)');
  const { train: trainSet, test } = await data.loadFashionMnist(dir);

  // Hold out 10% of the training set for validation; fit the scaler on the rest only.
  const { xTrain, yTrain, xVal, yVal } = data.validationSplit(trainSet.images, trainSet.labels, { valSize: 0.1, seed: 0 });
  const scaler = new data.Standardize().fit(xTrain);
  for (const x of [xTrain, xVal, test.images]) scaler.transform(x, x);

  manualSeed(0);
  const model = nn.sequential(nn.linear(784, 128), nn.relu(), nn.linear(128, 10));
  const optimizer = new optim.Adam(model.parameters(), { lr: LR });
  const trainLoader = new data.DataLoader(new data.TensorDataset(xTrain, yTrain!), { batchSize: BATCH, shuffle: true, seed: 0 });
  console.log(`MLP 784-128-10, Adam lr ${LR}, batch ${BATCH}, ${xTrain.shape[0]} train / ${xVal.shape[0]} validation ` +
    `(${trainLoader.length} iterations per epoch), ${numThreads()} threads`);

  const history = await train.fit(model, {
    data: trainLoader,
    validationData: [xVal, yVal!],
    epochs: EPOCHS,
    optimizer,
    loss: new nn.CrossEntropyLoss(),
    metrics: ['accuracy'],
    callbacks: [
      // One line per epoch (a live bar on a terminal): train loss and accuracy, validation
      // loss and accuracy, lr, seconds.
      new train.ProgressBar(),
      new train.EarlyStopping({ monitor: 'valLoss', patience: 3, restoreBestWeights: true }),
    ],
    log: (line) => console.log(line),
  });
  const reportPath = process.env.DEMO_REPORT ?? join(tmpdir(), 'steepest-demo-report.html');
  train.writeReport(history, reportPath, { title: 'steepest demo: MLP 784-128-10 on Fashion-MNIST' });
  console.log(`report: ${reportPath}`);

  const result = await train.evaluate(model, [test.images, test.labels], { metrics: ['accuracy'] });
  console.log(`test accuracy ${(100 * result.accuracy).toFixed(2)}% (${test.labels.shape[0]} images)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
