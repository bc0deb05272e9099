export { readIdx, parseIdx, type IdxArray, type IdxData } from './idx.js';
export { loadFashionMnist, type FashionMnist, type MnistSplit } from './fashion_mnist.js';
