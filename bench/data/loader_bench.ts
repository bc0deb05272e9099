/**
 * Loader throughput on Fashion-MNIST train (60,000 x 784): per epoch a seeded shuffle, then per
 * batch a native row gather of images and labels and an in-place Standardize (fitted once on
 * the training set). Reports samples/s per epoch.
 */
import { DataLoader } from '../../src/data/data_loader.js';
import { TensorDataset } from '../../src/data/dataset.js';
import { Standardize } from '../../src/data/standardize.js';
import type { Tensor } from '../../src/tensor.js';

/** Seconds per epoch for `epochs` timed epochs after one warm-up epoch. */
export function loaderEpochSeconds(images: Tensor, labels: Tensor, batchSize: number, epochs: number): number[] {
  const scaler = new Standardize().fit(images);
  const loader = new DataLoader(new TensorDataset(images, labels, { checkFinite: false }),
    { batchSize, shuffle: true, seed: 0, transform: scaler });
  const times: number[] = [];
  for (let e = 0; e <= epochs; e++) {
    const t0 = performance.now();
    let seen = 0;
    for (const [x] of loader) seen += x.shape[0];
    if (seen !== images.shape[0]) throw new Error(`loader bench: epoch delivered ${seen} samples`);
    if (e > 0) times.push((performance.now() - t0) / 1000);
  }
  return times;
}
