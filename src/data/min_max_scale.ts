/**
 * MinMaxScale: x' = (x - min) / (max - min) * (hi - lo) + lo per feature, fitted on the
 * training set (scikit-learn's MinMaxScaler: scale = (hi - lo) / range, shift = lo - min * scale,
 * a constant feature gets range 1).
 */
import { checkNumbers, optionKeys, readOptions, typeError } from '../validate/index.js';
import type { Tensor } from '../tensor.js';
import { AffineRows, asMatrix, nearZero } from './affine_transform.js';
import { columnStats } from './column_stats.js';

/** Serialized fitted state of a MinMaxScale. */
export interface MinMaxScaleState {
  type: 'MinMaxScale';
  featureRange: [number, number];
  min: number[];
  max: number[];
}

const MIN_MAX_KEYS = optionKeys<MinMaxScaleState>({ type: true, featureRange: true, min: true, max: true });

/** Per-feature rescaling into `featureRange` (default [0, 1]). */
export class MinMaxScale {
  dataMin: Float32Array | null = null;
  dataMax: Float32Array | null = null;
  private rows: AffineRows | null = null;

  constructor(readonly featureRange: [number, number] = [0, 1]) {
    if (!Array.isArray(featureRange) || featureRange.length !== 2) typeError('MinMaxScale', 'featureRange', 'a pair [lo, hi]', featureRange);
    checkNumbers('MinMaxScale', 'featureRange', featureRange);
    this.featureRange = [featureRange[0], featureRange[1]];
    const [lo, hi] = featureRange;
    if (!(lo < hi)) {
      throw new RangeError(`MinMaxScale: featureRange must be finite [lo, hi] with lo < hi, got [${lo}, ${hi}]`);
    }
  }

  /** Fits the per-feature min and max of `x`; NaN or infinity is an error. */
  fit(x: Tensor): this {
    const stats = columnStats(asMatrix('MinMaxScale.fit', x), true, 'MinMaxScale.fit');
    return this.setRange(stats.min, stats.max);
  }

  /** Rescales `x`, into `out` when given (`out` may be `x`). */
  transform(x: Tensor, out?: Tensor): Tensor {
    if (!this.rows) throw new Error('MinMaxScale.transform: call fit() first (on the training set)');
    return this.rows.apply('MinMaxScale.transform', x, out);
  }

  /** fit(x), then transform(x). */
  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  /** @internal The fitted map as native rows (null before fit), for fused batch assembly. */
  get affine(): AffineRows | null {
    return this.rows;
  }

  /** The fitted state as plain JSON, to save with a model. */
  toJSON(): MinMaxScaleState {
    if (!this.dataMin) throw new Error('MinMaxScale.toJSON: call fit() first');
    return { type: 'MinMaxScale', featureRange: [...this.featureRange], min: Array.from(this.dataMin), max: Array.from(this.dataMax!) };
  }

  /** A fitted instance from toJSON()'s output. */
  static fromJSON(state: MinMaxScaleState): MinMaxScale {
    state = readOptions<MinMaxScaleState>('MinMaxScale.fromJSON', state, MIN_MAX_KEYS, 'state') as MinMaxScaleState;
    if (state.type !== 'MinMaxScale') typeError('MinMaxScale.fromJSON', "state 'type'", "'MinMaxScale'", state.type);
    for (const k of ['min', 'max'] as const) checkNumbers('MinMaxScale.fromJSON', `state '${k}'`, state[k], { infinite: true });
    if (state?.type !== 'MinMaxScale' || !Array.isArray(state.min) || !Array.isArray(state.max) || state.min.length !== state.max.length) {
      throw new TypeError('MinMaxScale.fromJSON: expected { type: "MinMaxScale", featureRange, min: number[], max: number[] } of equal lengths');
    }
    return new MinMaxScale(state.featureRange).setRange(Float32Array.from(state.min), Float32Array.from(state.max));
  }

  private setRange(min: Float32Array, max: Float32Array): this {
    this.dataMin = Float32Array.from(min);
    this.dataMax = Float32Array.from(max);
    const [lo, hi] = this.featureRange;
    const scale = min.map((m, j) => {
      const range = max[j] - m;
      return (hi - lo) / (nearZero(range) ? 1 : range);
    });
    const shift = min.map((m, j) => lo - m * scale[j]);
    this.rows = new AffineRows(scale, shift);
    return this;
  }
}
