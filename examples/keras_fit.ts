/**
 * The handbook's Keras snippet, translated: compile, then fit(x, y) with validation data.
 * Runs on the bundled Fashion-MNIST slice: npx tsx examples/keras_fit.ts (EPOCHS=10 by default).
 *
 * Keras ends the model in a softmax and uses sparse_categorical_crossentropy on probabilities;
 * here the last layer gives logits and the loss applies the softmax itself (fused, and
 * numerically safer) — the same model and the same loss.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { data, manualSeed, nn, optim, train } from '../src/index.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'data', 'fashion-mnist');
const epochs = Number(process.env.EPOCHS ?? 10);

manualSeed(0);
const { train: trainSet } = await data.loadFashionMnist(dir);
const split = data.validationSplit(trainSet.images, trainSet.labels, { valSize: 0.1 });
const scaler = new data.Standardize().fit(split.xTrain);
const [trainData, trainLabels] = [scaler.transform(split.xTrain), split.yTrain!];
const [valData, valLabels] = [scaler.transform(split.xVal), split.yVal!];

const model = nn.sequential(
  nn.linear(784, 128), nn.relu(),
  nn.linear(128, 10),
);

const net = train.compile(model, {
  optimizer: new optim.Adam(model.parameters(), { lr: 0.001 }),
  loss: 'sparseCategoricalCrossentropy',
  metrics: ['accuracy'],
});

const history = await net.fit(
  trainData, trainLabels, {
    validationData: [valData, valLabels],
    epochs,
    batchSize: 32,
  },
);

console.log(`final val accuracy ${(100 * history.series('valAccuracy').at(-1)!).toFixed(2)}%`);
