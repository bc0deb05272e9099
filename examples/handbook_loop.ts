/**
 * The handbook's PyTorch training loop, translated line for line (the README's API tour).
 * Runs on the bundled Fashion-MNIST slice: npx tsx examples/handbook_loop.ts
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { data, manualSeed, nn, noGrad, optim } from '../src/index.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'data', 'fashion-mnist');
const numEpochs = Number(process.env.EPOCHS ?? 2);

manualSeed(0);
const { train } = await data.loadFashionMnist(dir);
const { xTrain, yTrain, xVal, yVal } = data.validationSplit(train.images, train.labels, { valSize: 0.1 });
const scaler = new data.Standardize().fit(xTrain);
scaler.transform(xTrain, xTrain);
scaler.transform(xVal, xVal);

const model = nn.sequential(nn.linear(784, 128), nn.relu(), nn.linear(128, 10));
const optimizer = new optim.Adam(model.parameters(), { lr: 0.001 });
const lossFn = new nn.CrossEntropyLoss();
const trainLoader = new data.DataLoader(new data.TensorDataset(xTrain, yTrain!), { batchSize: 32, shuffle: true });
const valLoader = new data.DataLoader(new data.TensorDataset(xVal, yVal!), { batchSize: 256 });

for (let epoch = 0; epoch < numEpochs; epoch++) {
  let last = 0;
  for (const [batchX, batchY] of trainLoader) {
    // Forward
    const predictions = model.forward(batchX);
    const loss = lossFn.forward(predictions, batchY);
    // Backward
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    last = loss.item();
  }
  // Validation
  const valLoss = noGrad(() => {
    let total = 0;
    for (const [valX, valY] of valLoader) total += lossFn.forward(model.forward(valX), valY).item();
    return total;
  });
  console.log(`Epoch ${epoch}: Loss=${last.toFixed(4)}, Val=${valLoss.toFixed(4)}`);
}
