/**
 * A LeNet-5-style CNN on Fashion-MNIST with train.fit: two 5x5 convolutions (16 and 32
 * channels) with ReLU and 2x2 max pooling, then two Linear layers (LeCun et al., 1998, with
 * ReLU and max pooling in place of the original's sigmoids and subsampling, and wider layers),
 * batch 64, Adam 1e-3.
 *
 *   npx tsx examples/cnn.ts             (the full 60k/10k set from /usr/share/datasets/fashion-mnist
 *                                        when present, else the bundled 6k/1k slice; EPOCHS=5)
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { data, manualSeed, nn, optim, train, type Tensor } from '../src/index.js';

const FULL = '/usr/share/datasets/fashion-mnist';
const dir = process.env.CNN_DATA === 'bundled' || !existsSync(FULL) ? join(dirname(fileURLToPath(import.meta.url)), 'data', 'fashion-mnist') : FULL;
const epochs = Number(process.env.EPOCHS ?? 5);

/** Flat 784-pixel rows as [N, 1, 28, 28] images (a view). */
class Images extends nn.Module {
  // No parameters: the view is free.
  forward(x: Tensor): Tensor {
    return x.reshape(x.shape[0], 1, 28, 28);
  }
}

export function leNet(): nn.Sequential {
  return nn.sequential(
    new Images(),
    nn.conv2d(1, 16, 5, { padding: 2 }), nn.relu(), nn.maxPool2d(2),  // 16 x 14 x 14
    nn.conv2d(16, 32, 5), nn.relu(), nn.maxPool2d(2),                 // 32 x 5 x 5
    nn.flatten(),
    nn.linear(32 * 5 * 5, 128), nn.relu(),
    nn.linear(128, 10),
  );
}

async function main() {
  manualSeed(0);
  const { train: trainSet, test } = await data.loadFashionMnist(dir);
  const scaler = new data.Standardize().fit(trainSet.images);
  const [xTrain, xTest] = [scaler.transform(trainSet.images), scaler.transform(test.images)];
  console.log(`Fashion-MNIST ${dir === FULL ? 'full set' : 'bundled slice'}: ${xTrain.shape[0]} train, ${xTest.shape[0]} test images`);
  const model = leNet();
  const history = await train.fit(model, {
    data: new data.DataLoader(new data.TensorDataset(xTrain, trainSet.labels), { batchSize: 64, shuffle: true, seed: 0 }),
    validationData: [xTest, test.labels],
    epochs,
    optimizer: new optim.Adam(model.parameters(), { lr: 1e-3 }),
    loss: new nn.CrossEntropyLoss(),
    metrics: ['accuracy'],
  });
  const seconds = history.epochs.map((e) => e.seconds ?? 0);
  console.log(`s/epoch ${seconds.map((s) => s.toFixed(2)).join(' ')}; test accuracy ${(100 * history.series('valAccuracy').at(-1)!).toFixed(2)}%`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
