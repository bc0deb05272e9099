/**
 * Tabular classification from a CSV file: the Wisconsin breast-cancer data (569 tumours, 30
 * measurements, malignant 0 / benign 1; scikit-learn's copy, examples/data/tabular/).
 *   - loadCsv reads it in one call (first line is a count header, the label is column 30);
 *   - a stratified 80/20 train/test split, and a stratified 20 % of the training part held out
 *     for validation, so each part keeps the 37/63 class ratio;
 *   - standardized by the training part's statistics only (no test leakage);
 *   - an MLP 30-32-2 with Adam and EarlyStopping on the validation loss, best weights restored;
 *   - test accuracy, per-class recall and the confusion matrix.
 *
 *   npx tsx examples/tabular_classification.ts                  (CSV=path/to/other.csv TARGET=col)
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { data, manualSeed, nn, optim, train } from '../src/index.js';

const csv = process.env.CSV ?? join(dirname(fileURLToPath(import.meta.url)), 'data', 'tabular', 'breast_cancer.csv');
const target = Number(process.env.TARGET ?? 30);
const epochs = Number(process.env.EPOCHS ?? 500);

manualSeed(0);
const { features: x, labels, classes } = await data.loadCsv(csv, { skipRows: 1, target, targetDtype: 'int32' });
const y = labels!;
const numClasses = classes?.length ?? Math.max(...y.toArray()) + 1;
const split = data.trainTestSplit(x, y, { testSize: 0.2, stratify: y, seed: 0 });
const held = data.trainTestSplit(split.xTrain, split.yTrain!, { testSize: 0.2, stratify: split.yTrain!, seed: 1 });
const scaler = new data.Standardize().fit(held.xTrain);
const [xTrain, xVal, xTest] = [held.xTrain, held.xTest, split.xTest].map((t) => scaler.transform(t));
console.log(`${x.shape[0]} rows x ${x.shape[1]} features, ${numClasses} classes; train ${xTrain.shape[0]}, validation ${xVal.shape[0]}, test ${xTest.shape[0]}`);

const model = nn.sequential(nn.linear(x.shape[1], 32), nn.relu(), nn.linear(32, numClasses));
const stopping = new train.EarlyStopping({ monitor: 'valLoss', patience: 10, restoreBestWeights: true });
const history = await train.fit(model, {
  data: [xTrain, held.yTrain!],
  validationData: [xVal, held.yTest!],
  epochs,
  batchSize: 32,
  optimizer: new optim.Adam(model.parameters(), { lr: 1e-3 }),
  loss: new nn.CrossEntropyLoss(),
  metrics: ['accuracy'],
  callbacks: [stopping],
  verbose: 0,
});
const stopped = history.epochs.length;
console.log(`stopped after ${stopped} of ${epochs} epochs${stopped < epochs ? ' (early stopping)' : ''}; best valLoss ${Math.min(...history.series('valLoss')).toFixed(4)}`);

// Metric objects keep their full result (a vector, a matrix) after evaluate; the logs hold scalars.
const recall = new train.Recall({ numClasses, average: 'none' });
const confusion = new train.ConfusionMatrix({ numClasses });
const test = await train.evaluate(model, [xTest, split.yTest!], { loss: new nn.CrossEntropyLoss(), metrics: ['accuracy', recall, confusion] });
const names = classes ?? Array.from({ length: numClasses }, (_, i) => String(i));
console.log(`test loss ${test.loss.toFixed(4)}, accuracy ${(100 * test.accuracy).toFixed(2)}%`);
console.log(`test recall: ${names.map((n, i) => `class ${n} ${(100 * (recall.result() as number[])[i]).toFixed(1)}%`).join(', ')}`);
console.log(`confusion matrix (row = true class, column = predicted): ${JSON.stringify(confusion.result())}`);
