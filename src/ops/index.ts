import './methods.js';

export * from './creation.js';
export * from './elementwise.js';
export * from './reduce.js';
export * from './matmul.js';
export * from './layout.js';
export { permute, transpose, unsqueeze, squeeze, cat, stack, split, chunk } from './shape.js';
export * from './select.js';
export * from './masked_softmax.js';
export * from './softmax.js';
export * from './dropout.js';
export * from './batchnorm.js';
export * from './group_norm.js';
export * from './conv.js';
export * from './conv_transpose.js';
export * from './pool.js';
export * from './embedding.js';
export * from './loss.js';
