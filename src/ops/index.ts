import './methods.js';

export * from './creation.js';
export * from './elementwise.js';
export * from './reduce.js';
export * from './matmul.js';
export * from './layout.js';
