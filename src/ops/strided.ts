/**
 * The N-D core shared by the shape ops, general broadcasting, where and batched matmul:
 * row-major strides, NumPy/PyTorch broadcasting of shapes (align on the right; each pair of
 * dimensions equal, or one of them 1), the strided-copy and strided-binary kernels, and the
 * reduction of a broadcast operand's gradient back to its shape (a sum over every axis it was
 * repeated along).
 *
 * Tensors stay contiguous: an op that reorders elements (permute, a batched operand's expand,
 * cat) writes a contiguous result with one strided-copy call, and every other kernel keeps
 * reading plain row-major memory. Views without a copy exist exactly where the elements do not
 * move: reshape/view, unsqueeze/squeeze and slices along the first axis (`rows`, and split or
 * chunk along dim 0). Why not strided views everywhere: every existing kernel (GEMM, the
 * fused layers, the losses, the optimizers) would need stride arguments or a contiguity check
 * before each call, while the one copy it saves costs a single pass over memory; in attention
 * that pass is small beside the products around it (see bench/transformer).
 */
import { formatShape, shapeSize, type Shape, type Tensor } from '../tensor.js';
import type { BinaryName } from '../backend/backend.js';
import { backendOf2 } from './device.js';
import { reduceKernel } from './kernels.js';

/** Row-major element strides of a contiguous tensor of `shape`. */
export function contiguousStrides(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let step = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = step;
    step *= shape[d];
  }
  return s;
}

/** The broadcast shape of `shapes` (PyTorch's torch.broadcast_shapes); throws naming them. */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  const nd = Math.max(...shapes.map((s) => s.length));
  const out = new Array<number>(nd).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const d = s[s.length - 1 - i], o = nd - 1 - i;
      if (d === out[o] || d === 1) continue;
      if (out[o] !== 1) {
        throw new RangeError(`${op}: shapes ${shapes.map(formatShape).join(' and ')} do not broadcast (dimension ${o} of the result: ${out[o]} against ${d})`);
      }
      out[o] = d;
    }
  }
  return out;
}

/** Strides that read a contiguous tensor of `shape` over the broadcast shape `out` (0 where it repeats). */
export function broadcastStrides(shape: Shape, out: Shape): number[] {
  const own = contiguousStrides(shape);
  const lead = out.length - shape.length;
  return out.map((_, o) => (o < lead || shape[o - lead] === 1 ? 0 : own[o - lead]));
}

/** dst (at element `dstDelta` past its offset) <- src (likewise), each at its strides over `shape`. */
export function copyStridedKernel(src: Tensor, srcStrides: number[], srcDelta: number, dst: Tensor, dstStrides: number[],
  dstDelta: number, shape: Shape): Tensor {
  const backend = backendOf2('copy', src, dst);
  backend.copyStrided(src.buffer, src.offset + srcDelta, srcStrides, dst.buffer, dst.offset + dstDelta, dstStrides, [...shape]);
  return dst;
}

/** `src` broadcast to `shape`, as a new contiguous tensor (expand + contiguous). */
export function expandKernel(src: Tensor, shape: Shape): Tensor {
  const out = src.newEmpty(shape, src.dtype);
  return copyStridedKernel(src, broadcastStrides(src.shape, shape), 0, out, contiguousStrides(shape), 0, shape);
}

/** op(a, b) over the broadcast shape `shape`, into `out` when given. */
export function binaryStridedKernel(op: BinaryName, a: Tensor, b: Tensor, shape: Shape, out?: Tensor): Tensor {
  const backend = backendOf2(op, a, b);
  const result = out ?? a.newEmpty(shape);
  backend.binaryStrided(op, a.buffer, a.offset, broadcastStrides(a.shape, shape), b.buffer, b.offset,
    broadcastStrides(b.shape, shape), result.buffer, result.offset, [...shape]);
  return result;
}

/**
 * g (of a broadcast result's shape) summed back to `shape`: over the leading axes `shape`
 * lacks and over every axis where `shape` has 1 and g does not. Returns g itself when the
 * shapes already agree.
 */
export function sumToShape(g: Tensor, shape: Shape): Tensor {
  if (g.ndim === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  const lead = g.ndim - shape.length;
  let cur = g;
  const replace = (next: Tensor) => {
    if (cur !== g) cur.dispose();
    cur = next;
  };
  if (lead > 0) {
    const n = shapeSize(g.shape.slice(0, lead));
    replace(reduceKernel('sum', cur, 1, n, cur.size / (n || 1), g.shape.slice(lead)));
  }
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] !== 1 || cur.shape[d] === 1) continue;
    const outer = shapeSize(cur.shape.slice(0, d)), inner = shapeSize(cur.shape.slice(d + 1));
    replace(reduceKernel('sum', cur, outer, cur.shape[d], inner, cur.shape.map((s, i) => (i === d ? 1 : s))));
  }
  // The sums keep every axis (length 1 where summed), so cur already has `shape`.
  return cur;
}
