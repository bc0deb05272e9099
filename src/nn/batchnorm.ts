/** BatchNorm1d and BatchNorm2d, as torch.nn.BatchNorm1d / BatchNorm2d. */
import { batchNorm } from '../ops/batchnorm.js';
import { full } from '../ops/creation.js';
import { Tensor } from '../tensor.js';
import { checkBoolean, checkInt32, checkNumber, checkTensor, option, optionKeys, readOptions } from '../validate/index.js';
import { Module } from './module.js';

/** Options of BatchNorm1d / BatchNorm2d, as torch.nn.BatchNorm*d's: eps (1e-5), momentum (0.1), affine and trackRunningStats (true). */
export interface BatchNormOptions {
  eps?: number;
  /** Running-statistics update factor; null for a cumulative average over all batches. */
  momentum?: number | null;
  /** Learn a per-feature scale and shift (default true). */
  affine?: boolean;
  /** Keep running statistics for eval (default true); without them eval uses batch statistics. */
  trackRunningStats?: boolean;
}

const BATCH_NORM_KEYS = optionKeys<BatchNormOptions>({ eps: true, momentum: true, affine: true, trackRunningStats: true });

/**
 * Normalizes each feature of x [N, C] (or [N, C, L]) over the batch: in training with the
 * batch mean and biased variance, updating runningMean/runningVar with
 * running = (1 - momentum) running + momentum batch (unbiased variance); in eval with the
 * running statistics. Then y = xhat * weight + bias when affine. One native kernel each way.
 * State-dict names follow PyTorch: weight, bias, running_mean, running_var, num_batches_tracked.
 */
export class BatchNorm1d extends Module {
  readonly eps: number;
  readonly momentum: number | null;
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;
  readonly runningMean: Tensor | null;
  readonly runningVar: Tensor | null;
  /** Batches seen in training (int32, as PyTorch's num_batches_tracked). */
  readonly numBatchesTracked: Tensor | null;

  /** The layer's name in messages (BatchNorm2d overrides it). */
  protected get layerName(): string {
    return 'BatchNorm1d';
  }

  constructor(readonly numFeatures: number, options: BatchNormOptions = {}) {
    super();
    const name = this.layerName;
    checkInt32(name, 'numFeatures', numFeatures, 1);
    const o = readOptions<BatchNormOptions>(name, options, BATCH_NORM_KEYS);
    const eps = o.eps === undefined ? 1e-5 : checkNumber(name, option('eps'), o.eps, { minOpen: 0 });
    const momentum = o.momentum === undefined ? 0.1
      : o.momentum === null ? null : checkNumber(name, option('momentum'), o.momentum, { min: 0, max: 1 });
    const affine = o.affine === undefined ? true : checkBoolean(name, option('affine'), o.affine);
    const trackRunningStats = o.trackRunningStats === undefined ? true
      : checkBoolean(name, option('trackRunningStats'), o.trackRunningStats);
    this.eps = eps;
    this.momentum = momentum;
    this.weight = affine ? full([numFeatures], 1) : null;
    this.bias = affine ? full([numFeatures], 0) : null;
    this.registerParameter('weight', this.weight);
    this.registerParameter('bias', this.bias);
    this.runningMean = trackRunningStats ? full([numFeatures], 0) : null;
    this.runningVar = trackRunningStats ? full([numFeatures], 1) : null;
    this.numBatchesTracked = trackRunningStats ? full([], 0, { dtype: 'int32' }) : null;
    if (this.runningMean && this.runningVar && this.numBatchesTracked) {
      this.registerBuffer('running_mean', this.runningMean);
      this.registerBuffer('running_var', this.runningVar);
      this.registerBuffer('num_batches_tracked', this.numBatchesTracked);
    }
  }

  /** The value of numBatchesTracked, mirrored on the host (normalize). */
  private readonly batchCount = new Int32Array(1);

  protected override stateLoaded(): void {
    if (this.numBatchesTracked) this.batchCount[0] = this.numBatchesTracked.item();
  }

  forward(x: Tensor): Tensor {
    checkTensor('BatchNorm1d.forward', 'x', x, 'float32');
    if ((x.ndim !== 2 && x.ndim !== 3) || x.shape[1] !== this.numFeatures) {
      throw new RangeError(`BatchNorm1d: expected input [N, ${this.numFeatures}] or [N, ${this.numFeatures}, L], got [${x.shape.join(', ')}]`);
    }
    return this.normalize(x);
  }

  /** @internal The normalization of x [N, C] or [N, C, L]. */
  protected normalize(x: Tensor): Tensor {
    const useBatchStats = this.training || !this.runningMean;
    let momentum = this.momentum ?? 0;
    if (this.training && this.numBatchesTracked) {
      // The count is kept here and written to the tensor (one small write per step); reading
      // the tensor instead would wait for the device on every training step on 'cuda'.
      // loadStateDict re-reads it.
      this.batchCount[0] += 1;
      this.numBatchesTracked.buffer.write(this.batchCount, this.numBatchesTracked.offset);
      if (this.momentum === null) momentum = 1 / this.batchCount[0]; // cumulative moving average
    }
    return batchNorm(x, {
      runningMean: this.training ? this.runningMean : useBatchStats ? null : this.runningMean,
      runningVar: this.training ? this.runningVar : useBatchStats ? null : this.runningVar,
      weight: this.weight,
      bias: this.bias,
      training: useBatchStats,
      momentum,
      eps: this.eps,
    });
  }

  protected override describe(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.weight !== null}`;
  }
}

/**
 * BatchNorm2d: per-channel statistics of x [N, C, H, W] over N, H and W — BatchNorm1d over the
 * view [N, C, H * W], the same native kernel, with PyTorch's state-dict names.
 */
export class BatchNorm2d extends BatchNorm1d {
  protected override get layerName(): string {
    return 'BatchNorm2d';
  }

  override forward(x: Tensor): Tensor {
    checkTensor('BatchNorm2d.forward', 'x', x, 'float32');
    if (x.ndim !== 4 || x.shape[1] !== this.numFeatures) {
      throw new RangeError(`BatchNorm2d: expected input [N, ${this.numFeatures}, H, W], got [${x.shape.join(', ')}]`);
    }
    const [N, C, H, W] = x.shape;
    return this.normalize(x.reshape(N, C, H * W)).reshape(N, C, H, W);
  }
}

/** Factory for BatchNorm2d. */
export const batchNorm2d = (numFeatures: number, options?: BatchNormOptions) => new BatchNorm2d(numFeatures, options);

/** Factory for BatchNorm1d. */
export const batchNorm1d = (numFeatures: number, options?: BatchNormOptions) => new BatchNorm1d(numFeatures, options);
