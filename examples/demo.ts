/**
 * npm run demo — the handbook's 784-128-10 MLP on Fashion-MNIST.
 * Linear(784,128) -> ReLU -> Linear(128,10), softmax cross-entropy, Adam(lr 1e-3), mini-batch 32,
 * inputs standardized with the training set's mean and standard deviation.
 * Uses the full 60k/10k set when Debian's dataset-fashion-mnist is installed, otherwise the
 * bundled 6k/1k slice in examples/data/fashion-mnist.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  add, argmax, data, exp, gatherRows, Generator, linear, log, manualSeed, mean, mul, noGrad, numThreads,
  sub, sum, tensor, Tensor, uniform, zeros,
} from '../src/index.js';

const SYSTEM_DIR = '/usr/share/datasets/fashion-mnist';
const BUNDLED_DIR = join(dirname(fileURLToPath(import.meta.url)), 'data', 'fashion-mnist');
const EPOCHS = Number(process.env.DEMO_EPOCHS ?? 3);
const BATCH = 32;
const LR = 1e-3;

// --- temporary internals (the nn / optim / data issues replace these; the command stays) ---

/** PyTorch's Linear init: U(-1/sqrt(fanIn), 1/sqrt(fanIn)) for weight and bias. */
function linearParams(inF: number, outF: number, g: Generator): [Tensor, Tensor] {
  const bound = 1 / Math.sqrt(inF);
  return [
    uniform([outF, inF], -bound, bound, { generator: g, requiresGrad: true }),
    uniform([outF], -bound, bound, { generator: g, requiresGrad: true }),
  ];
}

/** Mean softmax cross-entropy of logits [B, C] against one-hot targets [B, C]. */
function crossEntropy(logits: Tensor, oneHot: Tensor): Tensor {
  const shift = logits.max(1, true); // constant shift for stability (no gradient needed)
  const z = sub(logits, shift);
  const logSumExp = log(sum(exp(z), 1, true));
  const picked = sum(mul(z, oneHot), 1, true);
  return mean(sub(logSumExp, picked));
}

function oneHotOf(labels: Int32Array, classes: number): Tensor {
  const out = new Float32Array(labels.length * classes);
  labels.forEach((y, i) => (out[i * classes + y] = 1));
  return tensor(out, [labels.length, classes]);
}

class Adam {
  private m: Tensor[];
  private v: Tensor[];
  private t = 0;
  constructor(private params: Tensor[], private lr: number, private b1 = 0.9, private b2 = 0.999, private eps = 1e-8) {
    this.m = params.map((p) => zeros(p.shape));
    this.v = params.map((p) => zeros(p.shape));
  }
  zeroGrad() {
    for (const p of this.params) p.grad = null;
  }
  step() {
    this.t++;
    const c1 = 1 - this.b1 ** this.t;
    const c2 = 1 - this.b2 ** this.t;
    noGrad(() => {
      this.params.forEach((p, i) => {
        const g = p.grad!;
        this.m[i] = add(mul(this.m[i], this.b1), mul(g, 1 - this.b1));
        this.v[i] = add(mul(this.v[i], this.b2), mul(mul(g, g), 1 - this.b2));
        const update = mul(this.m[i], this.lr / c1).div(add(mul(this.v[i], 1 / c2).sqrt(), this.eps));
        const next = sub(p, update);
        p.buffer.copyFrom(next.buffer, next.offset, p.offset, p.size);
      });
    });
  }
}

// --- the run ---

async function main() {
  const useSystem = process.env.DEMO_DATA !== "bundled" && existsSync(join(SYSTEM_DIR, "train-images-idx3-ubyte.gz"));
  const dir = useSystem ? SYSTEM_DIR : BUNDLED_DIR;
  console.log(useSystem
    ? `Fashion-MNIST: full 60k/10k set from ${SYSTEM_DIR}`
    : `Fashion-MNIST: bundled 6k/1k slice (apt-get install dataset-fashion-mnist for the full set)`);
  const { train, test } = await data.loadFashionMnist(dir);

  // Standardize with statistics of the training images only: x' = (x - mean) / std.
  const pixels = train.images.toFloat32Array();
  let s = 0, s2 = 0;
  for (const v of pixels) { s += v; s2 += v * v; }
  const mu = s / pixels.length;
  const sigma = Math.sqrt(s2 / pixels.length - mu * mu);
  const standardize = (x: Tensor) => noGrad(() => x.sub(mu).div(sigma));
  const trainX = standardize(train.images);
  const testX = standardize(test.images);

  // Hold out the last 10% of the training set for validation.
  const n = trainX.shape[0];
  const nVal = Math.floor(n / 10);
  const nTrain = n - nVal;
  const xTrain = trainX.rows(0, nTrain), yTrain = train.labels.rows(0, nTrain);
  const xVal = trainX.rows(nTrain), yVal = train.labels.rows(nTrain);

  manualSeed(0);
  const g = new Generator(0);
  const [w1, b1] = linearParams(784, 128, g);
  const [w2, b2] = linearParams(128, 10, g);
  const forward = (x: Tensor) => linear(linear(x, w1, b1, true), w2, b2);
  const optimizer = new Adam([w1, b1, w2, b2], LR);
  console.log(`MLP 784-128-10, Adam lr ${LR}, batch ${BATCH}, ${nTrain} train / ${nVal} validation, ${numThreads()} threads`);

  const evaluate = (x: Tensor, y: Tensor) => noGrad(() => {
    let lossSum = 0, correct = 0;
    const labels = y.toArray() as Int32Array;
    for (let i = 0; i < x.shape[0]; i += 1000) {
      const end = Math.min(i + 1000, x.shape[0]);
      const logits = forward(x.rows(i, end));
      lossSum += crossEntropy(logits, oneHotOf(labels.subarray(i, end), 10)).item() * (end - i);
      const pred = argmax(logits, 1).toArray();
      pred.forEach((p, j) => (correct += p === labels[i + j] ? 1 : 0));
    }
    return { loss: lossSum / x.shape[0], accuracy: correct / x.shape[0] };
  });

  const order = Int32Array.from({ length: nTrain }, (_, i) => i);
  const yTrainArray = yTrain.toArray() as Int32Array;
  for (let epoch = 1; epoch <= EPOCHS; epoch++) {
    const start = performance.now();
    for (let i = nTrain - 1; i > 0; i--) {
      const j = g.nextInt(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    let lossSum = 0, batches = 0;
    for (let b = 0; b < nTrain; b += BATCH) {
      const idx = order.subarray(b, Math.min(b + BATCH, nTrain));
      const x = gatherRows(xTrain, tensor(idx, [idx.length]));
      const y = oneHotOf(idx.map((k) => yTrainArray[k]), 10);
      const loss = crossEntropy(forward(x), y);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      lossSum += loss.item();
      batches++;
    }
    const val = evaluate(xVal, yVal);
    const seconds = (performance.now() - start) / 1000;
    console.log(`epoch ${epoch}/${EPOCHS}  train loss ${(lossSum / batches).toFixed(4)}  ` +
      `val loss ${val.loss.toFixed(4)}  val accuracy ${(100 * val.accuracy).toFixed(2)}%  ${seconds.toFixed(2)} s`);
    await new Promise((r) => setImmediate(r));
  }
  const result = evaluate(testX, test.labels);
  console.log(`test accuracy ${(100 * result.accuracy).toFixed(2)}% (${test.labels.shape[0]} images)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
