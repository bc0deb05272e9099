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
import { record } from '../autograd/graph.js';
import { backendFor, devices } from '../backend/registry.js';
import { formatShape, Tensor, type DType, type Device } from '../tensor.js';
import { tensor } from './creation.js';
import { checkTensor, describeValue } from '../validate/index.js';

const DTYPES: readonly DType[] = ['float32', 'int32'];

/**
 * `t` as `dtype`, or on `device` (PyTorch's Tensor.to): the same device returns `t`; another
 * copies the values there (through the JS heap) and, for a float32 tensor, records the move,
 * so the gradient flows back to `t`'s device.
 */
export function to(t: Tensor, target: DType | Device): Tensor {
  checkTensor('to', 'input', t);
  if (typeof target === 'string' && devices().includes(target)) return moveTo(t, target);
  // 'cuda' registers on first use (or throws why it cannot run); 'auto' picks cuda or cpu.
  if (target === 'cuda' || target === 'auto') return moveTo(t, backendFor(target, 'to').device);
  if (!DTYPES.includes(target as DType)) {
    throw new RangeError(`to: argument 'target' must be 'float32', 'int32' or a device (${devices().map((d) => `'${d}'`).join(', ')}), got ${describeValue(target)}`);
  }
  if (t.dtype === target) return t;
  const values = t.toArray();
  const device = t.device;
  if (target === 'float32') return tensor(Float32Array.from(values), [...t.shape], { dtype: 'float32', device });
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = Math.trunc(values[i]);
    if (!(v >= -2147483648 && v <= 2147483647)) {
      throw new RangeError(`to: element ${i} of the float32 tensor ${formatShape(t.shape)} is ${values[i]}, which int32 cannot hold`);
    }
    out[i] = v;
  }
  return tensor(out, [...t.shape], { dtype: 'int32', device });
}

function moveTo(t: Tensor, device: Device): Tensor {
  if (t.device === device) return t;
  const moved = Tensor.empty(t.shape, t.dtype, false, backendFor(device, 'to'));
  moved.buffer.write(t.toArray(), moved.offset);
  if (t.dtype !== 'float32') return moved;
  const source = t.device;
  return record(moved, 'to', [t], (g) => [moveTo(g, source)]);
}
