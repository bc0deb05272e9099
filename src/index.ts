/**
 * steepest: train neural networks from TypeScript on native kernels.
 *
 * import { tensor, nn, optim, data, train } from 'steepest';
 */
export { Tensor, type DType, type Device, type Shape } from './tensor.js';
export * from './ops/index.js';
export { noGrad, setGradEnabled, isGradEnabled } from './autograd/graph.js';
export { backward } from './autograd/backward.js';
export { Generator, manualSeed, defaultGenerator } from './random.js';
export { emptyPool } from './storage.js';
export { numThreads, setNumThreads, memoryStats } from './runtime.js';
export * as data from './data/index.js';
export * as nn from './nn/index.js';
export * as optim from './optim/index.js';
export * as train from './train/index.js';
export * as tune from './tune/index.js';
export * as cuda from './cuda/index.js';
