/**
 * npm run demo — the handbook's 784-128-10 MLP on Fashion-MNIST, written as the handbook's
 * PyTorch loop: Linear(784,128) -> ReLU -> Linear(128,10), softmax cross-entropy,
 * Adam(lr 1e-3), mini-batch 32, inputs standardized per feature on the training set.
 * Uses the full 60k/10k set when Debian's dataset-fashion-mnist is installed, otherwise the
 * bundled 6k/1k slice in examples/data/fashion-mnist (DEMO_DATA=bundled forces it).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { argmax, data, manualSeed, nn, noGrad, numThreads, optim, type Tensor } from '../src/index.js';

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
  const { train, test } = await data.loadFashionMnist(dir);

  // Hold out 10% of the training set for validation; fit the scaler on the rest only.
  const { xTrain, yTrain, xVal, yVal } = data.validationSplit(train.images, train.labels, { valSize: 0.1, seed: 0 });
  const scaler = new data.Standardize().fit(xTrain);
  for (const x of [xTrain, xVal, test.images]) scaler.transform(x, x);

  manualSeed(0);
  const model = nn.sequential(nn.linear(784, 128), nn.relu(), nn.linear(128, 10));
  const optimizer = new optim.Adam(model.parameters(), { lr: LR });
  const lossFn = new nn.CrossEntropyLoss();
  const trainLoader = new data.DataLoader(new data.TensorDataset(xTrain, yTrain!), { batchSize: BATCH, shuffle: true, seed: 0 });
  console.log(`MLP 784-128-10, Adam lr ${LR}, batch ${BATCH}, ${xTrain.shape[0]} train / ${xVal.shape[0]} validation ` +
    `(${trainLoader.length} iterations per epoch), ${numThreads()} threads`);

  const evaluate = (x: Tensor, y: Tensor) => noGrad(() => {
    model.eval();
    let lossSum = 0, correct = 0;
    const labels = y.toArray();
    for (let i = 0; i < x.shape[0]; i += 1000) {
      const end = Math.min(i + 1000, x.shape[0]);
      const logits = model.forward(x.rows(i, end));
      lossSum += lossFn.forward(logits, y.rows(i, end)).item() * (end - i);
      argmax(logits, 1).toArray().forEach((p, j) => (correct += p === labels[i + j] ? 1 : 0));
    }
    model.train();
    return { loss: lossSum / x.shape[0], accuracy: correct / x.shape[0] };
  });

  for (let epoch = 1; epoch <= EPOCHS; epoch++) {
    const start = performance.now();
    let lossSum = 0;
    for (const [x, y] of trainLoader) {
      const loss = lossFn.forward(model.forward(x), y);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      lossSum += loss.item();
    }
    const seconds = (performance.now() - start) / 1000;
    const val = evaluate(xVal, yVal!);
    console.log(`epoch ${epoch}/${EPOCHS}  train loss ${(lossSum / trainLoader.length).toFixed(4)}  ` +
      `val loss ${val.loss.toFixed(4)}  val accuracy ${(100 * val.accuracy).toFixed(2)}%  ${seconds.toFixed(2)} s`);
    await new Promise((r) => setImmediate(r)); // let the event loop breathe between epochs
  }
  const result = evaluate(test.images, test.labels);
  console.log(`test accuracy ${(100 * result.accuracy).toFixed(2)}% (${test.labels.shape[0]} images)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
