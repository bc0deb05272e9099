/**
 * Regression with a learning-rate schedule, checkpoints and a resume: disease progression one
 * year after baseline from ten measurements (the diabetes data of Efron et al., 2004, 442
 * patients; scikit-learn's copy, examples/data/tabular/).
 *   - features and target standardized by the training part (the loss is on the z-scored
 *     target; MAE and R² are reported in the target's own units);
 *   - an MLP 10-64-1, Adam with a cosine-annealed learning rate, MSE loss;
 *   - a ModelCheckpoint every epoch. The run is interrupted half way (an AbortSignal, as Ctrl-C
 *     through train.abortOnSignals would), then a second fit continues from the checkpoint
 *     (`resumeFrom`: weights, Adam's moments, the schedule's position, the loader's shuffle);
 *   - the resumed run ends with the same weights as a run never interrupted, bit for bit.
 *
 *   npx tsx examples/regression_resume.ts                   (EPOCHS=30 by default)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { data, manualSeed, nn, optim, train, type Tensor } from '../src/index.js';

const csv = join(dirname(fileURLToPath(import.meta.url)), 'data', 'tabular', 'diabetes.csv');
const epochs = Number(process.env.EPOCHS ?? 30);
const stopAt = Math.floor(epochs / 2);

const { features, labels, featureNames } = await data.loadCsv(csv, { target: 'progression', targetDtype: 'float32' });
const split = data.trainTestSplit(features, labels!.reshape(-1, 1), { testSize: 0.2, seed: 0 });
const xScaler = new data.Standardize().fit(split.xTrain);
const yScaler = new data.Standardize().fit(split.yTrain!);
const [xTrain, xTest] = [split.xTrain, split.xTest].map((t) => xScaler.transform(t));
const yTrain = yScaler.transform(split.yTrain!);
console.log(`${features.shape[0]} patients, features ${featureNames.join(', ')}; train ${xTrain.shape[0]}, test ${xTest.shape[0]}`);

/** A fresh model, optimizer and schedule, identical each time (seed 0). */
function setup() {
  manualSeed(0);
  const model = nn.sequential(nn.linear(10, 64), nn.relu(), nn.linear(64, 1));
  const optimizer = new optim.Adam(model.parameters(), { lr: 1e-2 });
  return { model, optimizer, schedule: new optim.lrScheduler.CosineAnnealingLR(optimizer, { tMax: epochs }) };
}
const dir = mkdtempSync(join(tmpdir(), 'steepest-regression-'));
const checkpoint = join(dir, 'last.safetensors');
const common = (s: ReturnType<typeof setup>, callbacks: train.Callback[] = []) => ({
  data: [xTrain, yTrain] as [Tensor, Tensor], epochs, batchSize: 32, seed: 0,
  optimizer: s.optimizer, loss: new nn.MSELoss(), schedules: [s.schedule], verbose: 0 as const,
  callbacks: [new train.ModelCheckpoint(checkpoint), ...callbacks],
});

// 1. Interrupted half way.
const first = setup();
const stop = new AbortController();
const interrupt = new (class extends train.Callback {
  override onEpochEnd(epoch: number) { if (epoch + 1 === stopAt) stop.abort(); }
})();
const partial = await train.fit(first.model, { ...common(first, [interrupt]), signal: stop.signal });
console.log(`interrupted after epoch ${partial.epochs.length}: loss ${partial.series('loss').at(-1)!.toFixed(4)}, lr ${partial.series('lr').at(-1)!.toExponential(3)}`);

// 2. Resumed from the checkpoint, in a fresh model and optimizer, as a new process would.
const resumed = setup();
const rest = await train.fit(resumed.model, { ...common(resumed), resumeFrom: checkpoint });
console.log(`resumed from the checkpoint of epoch ${partial.epochs.length}, finished epoch ${rest.epochs.length}: loss ${rest.series('loss').at(-1)!.toFixed(4)}`);

// 3. The same training, never interrupted.
const straight = setup();
await train.fit(straight.model, common(straight));
const weights = (m: nn.Module) => m.parameters().flatMap((p) => Array.from(p.toArray()));
const [a, b] = [weights(resumed.model), weights(straight.model)];
console.log(`resumed vs uninterrupted: ${a.every((v, i) => Object.is(v, b[i])) ? 'identical weights' : 'weights differ'} (${a.length} values)`);
rmSync(dir, { recursive: true, force: true });

// Test error in the target's units: predictions mapped back through the target scaler.
const predicted = yScaler.inverseTransform(await train.predict(resumed.model, xTest));
const mae = new train.MeanAbsoluteError();
const r2 = new train.R2Score();
for (const m of [mae, r2]) { m.reset(); m.update(predicted, split.yTest!); }
console.log(`test MAE ${(mae.result() as number).toFixed(1)} (target range ${Math.min(...labels!.toArray())}-${Math.max(...labels!.toArray())}), R² ${(r2.result() as number).toFixed(3)}`);
