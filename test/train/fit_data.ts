// Shared data for the fit tests: slices of the bundled Fashion-MNIST (6k train / 1k test),
// standardized with statistics of the training slice, loaded once per test file.
import { loadFashionMnist } from '../../src/data/fashion_mnist.js';
import { Standardize } from '../../src/data/standardize.js';
import { sequential } from '../../src/nn/sequential.js';
import { linear } from '../../src/nn/linear.js';
import { relu } from '../../src/nn/activation.js';
import { manualSeed } from '../../src/random.js';
import type { Tensor } from '../../src/tensor.js';

export interface Slices {
  x: Tensor;
  y: Tensor;
  xVal: Tensor;
  yVal: Tensor;
}

let cached: Promise<{ x: Tensor; y: Tensor; xTest: Tensor; yTest: Tensor }> | null = null;

/** The first `n` training images and the first `nVal` test images (as validation), standardized. */
export async function fashion(n: number, nVal = 500): Promise<Slices> {
  cached ??= loadFashionMnist('examples/data/fashion-mnist').then(({ train, test }) => {
    const scaler = new Standardize().fit(train.images);
    return { x: scaler.transform(train.images), y: train.labels, xTest: scaler.transform(test.images), yTest: test.labels };
  });
  const all = await cached;
  return { x: all.x.rows(0, n), y: all.y.rows(0, n), xVal: all.xTest.rows(0, nVal), yVal: all.yTest.rows(0, nVal) };
}

/** A small MLP 784-hidden-10, seeded. */
export function mlp(hidden = 64, seed = 0) {
  manualSeed(seed);
  return sequential(linear(784, hidden), relu(), linear(hidden, 10));
}
