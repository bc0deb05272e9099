/**
 * The per-feature affine map y = x * scale + shift that fitted scalers apply: two native
 * broadcast passes (multiply by a row, add a row), in place when `out` is `x`.
 */
import { binaryKernel, checkFloat } from '../ops/kernels.js';
import { tensor } from '../ops/creation.js';
import { formatShape, Tensor } from '../tensor.js';
import type { Device } from '../backend/backend.js';

/** scale and shift as native rows, built once at fit time (on the default device, or `device`). */
export class AffineRows {
  readonly scale: Tensor;
  readonly shift: Tensor;
  constructor(scale: Float32Array, shift: Float32Array, device?: Device) {
    this.scale = tensor(scale, [scale.length], { device });
    this.shift = tensor(shift, [shift.length], { device });
  }

  /** The same map with its rows on `device` (a copy). */
  to(device: Device): AffineRows {
    return new AffineRows(this.scale.toArray() as Float32Array, this.shift.toArray() as Float32Array, device);
  }

  /** Features the map was fitted on. */
  get features(): number {
    return this.scale.size;
  }

  /** x * scale + shift per feature, for x of shape [samples, ...features]. */
  apply(op: string, x: Tensor, out?: Tensor): Tensor {
    checkFloat(op, 'x', x);
    if (out !== undefined) checkFloat(op, 'out', out);
    const d = this.features;
    const n = x.ndim === 0 ? 0 : x.shape[0];
    if (x.ndim < 1 || (n > 0 ? x.size / n : d) !== d) {
      throw new RangeError(`${op}: expected samples with ${d} features, got shape ${formatShape(x.shape)}`);
    }
    if (out && (out.size !== x.size || out.dtype !== 'float32')) {
      throw new RangeError(`${op}: out has shape ${formatShape(out.shape)} (${out.dtype}), expected ${formatShape(x.shape)} (float32)`);
    }
    const result = out ?? x.newEmpty(x.shape);
    const plan = { shape: x.shape, rows: n, cols: d, a: 'full', b: 'row' } as const;
    binaryKernel('mul', x, this.scale, plan, result);
    binaryKernel('add', result, this.shift, plan, result);
    return result;
  }
}

/** Features per sample of x ([samples, ...features]) and its 2-D view. */
export function asMatrix(op: string, x: Tensor): Tensor {
  checkFloat(op, 'x', x);
  if (x.ndim < 1) throw new RangeError(`${op}: expected [samples, ...features], got a scalar`);
  const n = x.shape[0];
  if (n === 0) throw new RangeError(`${op}: cannot fit on an empty dataset`);
  return x.reshape(n, x.size / n);
}

/** scikit-learn's rule for a constant feature: a scale below 10 * epsilon counts as zero, use 1. */
export const nearZero = (s: number) => s < 10 * 2 ** -23;
