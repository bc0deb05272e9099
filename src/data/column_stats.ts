/** Per-feature statistics over the sample axis, computed natively (native/cpu/column_stats.h). */
import { formatShape, Tensor } from '../tensor.js';
import { checkBoolean, checkTensor } from '../validate/index.js';

/** Statistics of each column of a [rows, cols] matrix. */
export interface ColumnStats {
  mean: Float32Array;
  /** Population standard deviation (ddof 0). */
  std: Float32Array;
  min: Float32Array;
  max: Float32Array;
  /** Flat index of the first NaN / infinite element, -1 when all are finite. */
  firstNonFinite: number;
}

/**
 * mean, std, min and max of every column of a float32 [rows, cols] tensor, accumulated in
 * double precision. With `throwOnNonFinite` (default) a NaN or infinity is an error naming
 * its position, because statistics through it are meaningless.
 */
export function columnStats(x: Tensor, throwOnNonFinite = true, op = 'columnStats'): ColumnStats {
  checkTensor(op, 'x', x, 'float32');
  checkBoolean(op, 'throwOnNonFinite', throwOnNonFinite);
  if (x.ndim !== 2) {
    throw new TypeError(`${op}: expected a float32 [samples, features] tensor, got ${x.dtype} ${formatShape(x.shape)}`);
  }
  const [rows, cols] = x.shape;
  const out = x.newEmpty([4, cols]);
  const b = out.buffer;
  const bad = x.backend.columnStats(x.buffer, x.offset, rows, cols, b, 0, b, cols, b, 2 * cols, b, 3 * cols);
  const all = out.toArray() as Float32Array;
  out.dispose();
  if (bad >= 0 && throwOnNonFinite) {
    const value = x.buffer.read(x.offset + bad, 1)[0];
    throw new RangeError(`${op}: features contain ${value} at sample ${Math.floor(bad / cols)}, feature ${bad % cols}; ` +
      'remove or impute non-finite values first');
  }
  return {
    mean: all.subarray(0, cols), std: all.subarray(cols, 2 * cols),
    min: all.subarray(2 * cols, 3 * cols), max: all.subarray(3 * cols), firstNonFinite: bad,
  };
}
