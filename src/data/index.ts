/**
 * Data: everything between a file on disk and a batch for training.
 * Datasets and the DataLoader, samplers, fitted transforms, splits and cross-validation,
 * IDX / CSV / typed-array loaders, and class-imbalance tools (class weights, SMOTE, random
 * over- and under-sampling).
 *
 * @module
 */
export { readIdx, parseIdx, type IdxArray, type IdxData } from './idx.js';
export { loadFashionMnist, FASHION_MNIST_CLASSES, type FashionMnist, type MnistSplit } from './fashion_mnist.js';
export { type Batch, type Dataset, TensorDataset, ArrayDataset, type TensorDatasetOptions } from './dataset.js';
export { DataLoader, type DataLoaderOptions, type DataLoaderState, type BatchTransform } from './data_loader.js';
export { type Sample } from './stream_batches.js';
export {
  type Sampler, SequentialSampler, RandomSampler, WeightedRandomSampler,
  type SamplerRandomOptions, type WeightedRandomSamplerOptions,
} from './sampler.js';
export { permutation } from './permutation.js';
export { columnStats, type ColumnStats } from './column_stats.js';
export { Standardize, type StandardizeState } from './standardize.js';
export { MinMaxScale, type MinMaxScaleState } from './min_max_scale.js';
export { oneHot } from './one_hot.js';
export {
  trainTestSplit, trainTestSplitIndices, validationSplit,
  type SplitOptions, type IndexSplit, type TrainTestSplit, type ValidationSplit,
} from './train_test_split.js';
export { KFold, StratifiedKFold, type KFoldOptions } from './kfold.js';
export { crossValidate, type CrossValidateOptions, type CrossValidateResult, type Fold } from './cross_validate.js';
export { loadCsv, csvRows, type CsvOptions, type CsvData } from './csv.js';
export { computeClassWeight, type ClassWeightOptions } from './class_weight.js';
export { type SamplingStrategy, resolveSamplingStrategy } from './sampling_strategy.js';
export { SMOTE, kNeighbors, type SmoteOptions } from './smote.js';
export { RandomOverSampler, RandomUnderSampler, type RandomSamplerOptions } from './random_samplers.js';
export { type Resampled } from './resampled.js';
export { type Labels } from './labels.js';
