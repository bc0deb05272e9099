/**
 * An imbalanced problem: the breast-cancer data with the malignant class made rare — every
 * benign tumour and 40 malignant ones (10 % positives), as in screening, where the rare class is
 * the one that matters. The same MLP is trained three ways and scored on a stratified test set
 * by the minority class's recall, precision and F1 (accuracy alone rewards ignoring it):
 *   1. as is;
 *   2. with class weights 'balanced' (n / (classes · count), sklearn's rule) in the loss;
 *   3. on a training set grown with SMOTE until both classes are equal (imbalanced-learn's).
 * Which one wins depends on the data and the training length (EPOCHS): this data is nearly
 * separable, so a well-trained model needs little help; a short run shows the trade of
 * precision for recall that class weights make.
 *
 *   npx tsx examples/imbalanced.ts
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { data, gatherRows, Generator, manualSeed, nn, optim, tensor, train, type Tensor } from '../src/index.js';

const csv = join(dirname(fileURLToPath(import.meta.url)), 'data', 'tabular', 'breast_cancer.csv');
const epochs = Number(process.env.EPOCHS ?? 60);
const MINORITY = 40;

const { features, labels } = await data.loadCsv(csv, { skipRows: 1, target: 30, targetDtype: 'int32' });
// Malignant (0 in the file) becomes the positive class 1; keep MINORITY of them, chosen at random.
const original = labels!.toArray();
const order = data.permutation(original.length, new Generator(0)).toArray();
const malignant = Array.from(order).filter((i) => original[i] === 0).slice(0, MINORITY);
const benign = Array.from(original.keys()).filter((i) => original[i] === 1);
const keep = tensor([...benign, ...malignant].sort((a, b) => a - b), { dtype: 'int32' });
const x = gatherRows(features, keep);
const y = tensor(Array.from(keep.toArray(), (i) => 1 - original[i]), { dtype: 'int32' });

const split = data.trainTestSplit(x, y, { testSize: 0.3, stratify: y, seed: 0 });
const scaler = new data.Standardize().fit(split.xTrain);
const [xTrain, xTest] = [split.xTrain, split.xTest].map((t) => scaler.transform(t));
const [yTrain, yTest] = [split.yTrain!, split.yTest!];
const positives = (t: Tensor) => (t.toArray() as Int32Array).reduce((s, v) => s + v, 0);
console.log(`${x.shape[0]} tumours, ${positives(y)} malignant (${(100 * positives(y) / x.shape[0]).toFixed(1)} %); train ${xTrain.shape[0]} (${positives(yTrain)} malignant), test ${xTest.shape[0]} (${positives(yTest)} malignant)`);

async function run(label: string, xs: Tensor, ys: Tensor, classWeight?: 'balanced') {
  manualSeed(0);
  const model = nn.sequential(nn.linear(30, 16), nn.relu(), nn.linear(16, 2));
  await train.fit(model, {
    data: [xs, ys], epochs, batchSize: 32, seed: 0,
    optimizer: new optim.Adam(model.parameters(), { lr: 1e-3 }),
    loss: new nn.CrossEntropyLoss(),
    ...(classWeight ? { classWeight } : {}),
    verbose: 0,
  });
  const scores = ['precision', 'recall', 'f1'].map((s) => new (s === 'precision' ? train.Precision : s === 'recall' ? train.Recall : train.F1Score)({ numClasses: 2, average: 'binary', posLabel: 1 }));
  const logs = await train.evaluate(model, [xTest, yTest], { metrics: ['accuracy', ...scores] });
  const [precision, recall, f1] = scores.map((m) => m.result() as number);
  return { label, trainRows: xs.shape[0], accuracy: logs.accuracy, precision, recall, f1 };
}

const smote = new data.SMOTE({ kNeighbors: 5, seed: 0 }).fitResample(xTrain, yTrain);
const rows = [
  await run('no correction', xTrain, yTrain),
  await run("classWeight 'balanced'", xTrain, yTrain, 'balanced'),
  await run(`SMOTE (+${smote.x.shape[0] - xTrain.shape[0]} synthetic)`, smote.x, smote.y),
];
console.log('\n| training | rows | accuracy | malignant precision | malignant recall | malignant F1 |\n|---|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.label} | ${r.trainRows} | ${(100 * r.accuracy).toFixed(1)} % | ${(100 * r.precision).toFixed(1)} % | ${(100 * r.recall).toFixed(1)} % | ${(100 * r.f1).toFixed(1)} % |`);
