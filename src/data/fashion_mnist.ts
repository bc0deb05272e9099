/**
 * Fashion-MNIST from IDX files: images as float32 [n, 784] with pixel values 0..255 (scale or
 * standardize them yourself, fitted on the training set), labels as int32 [n].
 */
import { checkPath } from './reader_arguments.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tensor } from '../ops/creation.js';
import type { Tensor } from '../tensor.js';
import { readIdx } from './idx.js';
import { checkClassLabels } from './labels.js';

/** One split of Fashion-MNIST: images [n, 784] float32 (pixels 0..255 as read) and labels [n] int32 (0..9). */
export interface MnistSplit {
  images: Tensor;
  labels: Tensor;
}

/** The training and test splits of Fashion-MNIST, and the folder they were read from. */
export interface FashionMnist {
  train: MnistSplit;
  test: MnistSplit;
  /** Where the files came from. */
  directory: string;
}

/** The ten class names of Fashion-MNIST, by label (0: 'T-shirt/top' ... 9: 'Ankle boot'). */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
] as const;

function locate(directory: string, stem: string): string {
  for (const name of [`${stem}.gz`, stem]) {
    const p = join(directory, name);
    if (existsSync(p)) return p;
  }
  throw new Error(`loadFashionMnist: ${stem}(.gz) not found in ${directory}`);
}

async function loadSplit(directory: string, prefix: 'train' | 't10k'): Promise<MnistSplit> {
  const images = await readIdx(locate(directory, `${prefix}-images-idx3-ubyte`));
  const labelsPath = locate(directory, `${prefix}-labels-idx1-ubyte`);
  const labels = await readIdx(labelsPath);
  if (images.shape.length !== 3 || labels.shape.length !== 1) {
    throw new Error(`loadFashionMnist: expected images [n, 28, 28] and labels [n], got [${images.shape}] and [${labels.shape}]`);
  }
  const n = images.shape[0];
  if (labels.shape[0] !== n) throw new Error(`loadFashionMnist: ${n} images but ${labels.shape[0]} labels in ${directory}`);
  const features = images.shape[1] * images.shape[2];
  // Any IDX type may hold the labels (int8 can hold -1, float32 2.5): each must be a class.
  checkClassLabels('loadFashionMnist', labels.data, FASHION_MNIST_CLASSES.length, labelsPath);
  const labelData = Int32Array.from(labels.data);
  return {
    images: tensor(Float32Array.from(images.data as Uint8Array), [n, features]),
    labels: tensor(labelData, [n]),
  };
}

/** Loads the four Fashion-MNIST IDX files (gzipped or raw) from a directory. */
export async function loadFashionMnist(directory: string): Promise<FashionMnist> {
  checkPath('loadFashionMnist', directory, 'directory');
  const [train, test] = await Promise.all([loadSplit(directory, 'train'), loadSplit(directory, 't10k')]);
  return { train, test, directory };
}
