/**
 * Standardize: z = (x - mean) / std per feature, with mean and std fitted on the training set
 * only and then applied unchanged to validation and test data (scikit-learn's StandardScaler;
 * std is the population standard deviation, and a constant feature keeps scale 1).
 */
import { checkNumbers, optionKeys, readOptions, typeError } from '../validate/index.js';
import type { Tensor } from '../tensor.js';
import { AffineRows, asMatrix, nearZero } from './affine_transform.js';
import { columnStats } from './column_stats.js';

/** Serialized fitted state of a Standardize. */
export interface StandardizeState {
  type: 'Standardize';
  mean: number[];
  std: number[];
}

const STANDARDIZE_KEYS = optionKeys<StandardizeState>({ type: true, mean: true, std: true });

/** Per-feature standardization, fitted natively in one pass pair over the data. */
export class Standardize {
  mean: Float32Array | null = null;
  std: Float32Array | null = null;
  private rows: AffineRows | null = null;

  /** Fits mean and std on `x` ([samples, ...features]); NaN or infinity is an error. */
  fit(x: Tensor): this {
    const stats = columnStats(asMatrix('Standardize.fit', x), true, 'Standardize.fit');
    return this.setStats(stats.mean, stats.std);
  }

  /** (x - mean) / std, into `out` when given (`out` may be `x`, for in place). */
  transform(x: Tensor, out?: Tensor): Tensor {
    return this.fitted('transform').apply('Standardize.transform', x, out);
  }

  /** fit(x), then transform(x). */
  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  /** x * std + mean: back to the original units. */
  inverseTransform(z: Tensor, out?: Tensor): Tensor {
    this.fitted('inverseTransform');
    const scale = this.std!.map((s) => (nearZero(s) ? 1 : s));
    return new AffineRows(scale, this.mean!).apply('Standardize.inverseTransform', z, out);
  }

  /** @internal The fitted map as native rows (null before fit), for fused batch assembly. */
  get affine(): AffineRows | null {
    return this.rows;
  }

  /** The fitted state as plain JSON, to save with a model. */
  toJSON(): StandardizeState {
    this.fitted('toJSON');
    return { type: 'Standardize', mean: Array.from(this.mean!), std: Array.from(this.std!) };
  }

  /** A fitted instance from toJSON()'s output. */
  static fromJSON(state: StandardizeState): Standardize {
    state = readOptions<StandardizeState>('Standardize.fromJSON', state, STANDARDIZE_KEYS, 'state') as StandardizeState;
    if (state.type !== 'Standardize') typeError('Standardize.fromJSON', "state 'type'", "'Standardize'", state.type);
    checkNumbers('Standardize.fromJSON', "state 'mean'", state.mean);
    checkNumbers('Standardize.fromJSON', "state 'std'", state.std, { min: 0 });
    if (state?.type !== 'Standardize' || !Array.isArray(state.mean) || !Array.isArray(state.std) || state.mean.length !== state.std.length) {
      throw new TypeError('Standardize.fromJSON: expected { type: "Standardize", mean: number[], std: number[] } of equal lengths');
    }
    return new Standardize().setStats(Float32Array.from(state.mean), Float32Array.from(state.std));
  }

  private setStats(mean: Float32Array, std: Float32Array): this {
    this.mean = Float32Array.from(mean);
    this.std = Float32Array.from(std);
    const scale = std.map((s) => (nearZero(s) ? 1 : 1 / s));
    const shift = mean.map((m, j) => -m * scale[j]);
    this.rows = new AffineRows(scale, shift);
    return this;
  }

  private fitted(op: string): AffineRows {
    if (!this.rows) throw new Error(`Standardize.${op}: call fit() first (on the training set)`);
    return this.rows;
  }
}
