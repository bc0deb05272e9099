/**
 * steepest's nn: modules, initialization and losses, as torch.nn. Every layer comes as a class
 * and as a factory function:
 *
 *   const model = nn.sequential(nn.linear(784, 128), nn.relu(), nn.linear(128, 10));
 *   const same = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10));
 *
 * @module
 */
export { Module, type AnyModule, type StateDict } from './module.js';
export { Sequential, sequential } from './sequential.js';
export { Linear, linear, type LinearOptions } from './linear.js';
export {
  ReLU, LeakyReLU, Sigmoid, Tanh, GELU, Softmax, LogSoftmax,
  relu, leakyRelu, sigmoid, tanh, gelu, softmax, logSoftmax,
} from './activation.js';
export { Flatten, flatten } from './flatten.js';
export { Dropout, dropout } from './dropout.js';
export { BatchNorm1d, batchNorm1d, BatchNorm2d, batchNorm2d, type BatchNormOptions } from './batchnorm.js';
export { Embedding, embeddingLayer as embedding, type EmbeddingLayerOptions } from './embedding.js';
export { LayerNorm, layerNorm, type LayerNormOptions } from './layer_norm.js';
export { GroupNorm, groupNorm, type GroupNormLayerOptions } from './group_norm.js';
export { Dropout2d, dropout2dLayer as dropout2d, type Dropout2dOptions } from './dropout2d.js';
export { Conv1d, Conv2d, conv1dLayer as conv1d, conv2dLayer as conv2d, type Conv1dLayerOptions, type Conv2dLayerOptions } from './conv.js';
export { ConvTranspose2d, convTranspose2dLayer as convTranspose2d, type ConvTranspose2dLayerOptions } from './conv_transpose.js';
export {
  MaxPool2d, AvgPool2d, AdaptiveAvgPool2d,
  maxPool2dLayer as maxPool2d, avgPool2dLayer as avgPool2d, adaptiveAvgPool2dLayer as adaptiveAvgPool2d,
} from './pool.js';
export { LSTM, lstm, type LSTMState } from './lstm.js';
export { GRU, gru } from './gru.js';
export type { RecurrentOptions } from './recurrent.js';
export {
  MultiheadAttention, multiheadAttention, type MultiheadAttentionOptions, type MultiheadAttentionForwardOptions,
} from './multihead_attention.js';
export {
  TransformerEncoderLayer, transformerEncoderLayer, type TransformerEncoderLayerOptions, type TransformerEncoderLayerForwardOptions,
} from './transformer_encoder_layer.js';
export { generateSquareSubsequentMask } from './causal_mask.js';
export {
  CrossEntropyLoss, NLLLoss, BCEWithLogitsLoss, MSELoss, L1Loss, HuberLoss,
  crossEntropyLoss, nllLoss, bceWithLogitsLoss, mseLoss, l1Loss, huberLoss,
} from './loss.js';
export * as init from './init.js';
