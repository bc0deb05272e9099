/**
 * Dtype casts, as PyTorch's Tensor.to(dtype) / .float() / .int(): a tensor already of the
 * dtype is returned itself (no copy); otherwise a new tensor of the same shape. float32 -> int32
 * truncates toward zero (PyTorch's rule), and a value int32 cannot hold (NaN, ±Inf, beyond
 * ±2^31) is an error naming the element, where PyTorch leaves it undefined. int32 -> float32
 * rounds to the nearest float (exact up to 2^24).
 *
 * The result is not recorded by autograd: an int32 tensor carries no gradient, and the same
 * dtype returns the input with its graph.
 */
import { formatShape, Tensor, type DType, type Device } from '../tensor.js';
import { tensor } from './creation.js';
import { checkTensor, describeValue } from '../validate/index.js';

const DTYPES: readonly DType[] = ['float32', 'int32'];

/** `t` as `dtype` (or on `device`: only 'cpu' exists so far, and returns `t`). */
export function to(t: Tensor, target: DType | Device): Tensor {
  checkTensor('to', 'input', t);
  if (target === 'cpu') return t;
  if (target === 'cuda') throw new Error('to: the CUDA backend is not built yet; only cpu tensors exist');
  if (!DTYPES.includes(target)) throw new RangeError(`to: argument 'dtype' must be 'float32' or 'int32' (or a device: 'cpu'), got ${describeValue(target)}`);
  if (t.dtype === target) return t;
  const values = t.toArray();
  if (target === 'float32') return tensor(Float32Array.from(values), [...t.shape], { dtype: 'float32' });
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = Math.trunc(values[i]);
    if (!(v >= -2147483648 && v <= 2147483647)) {
      throw new RangeError(`to: element ${i} of the float32 tensor ${formatShape(t.shape)} is ${values[i]}, which int32 cannot hold`);
    }
    out[i] = v;
  }
  return tensor(out, [...t.shape], { dtype: 'int32' });
}
