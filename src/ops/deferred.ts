/**
 * Deferred epilogues: how a ReLU written anywhere in a module's forward runs inside the GEMM of
 * the Linear or Conv2d that feeds it, not only in Sequential.
 *
 * Inside a forward (an open creation scope), linear and conv2d record their graph node and
 * allocate the output at once, but leave the kernel to the output's first reader. When that
 * reader is relu() and the output is still unwritten, the kernel runs once with max(., 0) in its
 * epilogue (the bias add and the clamp on each tile while it is in cache; native/cpu/gemm.h,
 * conv2d.h) into the output's storage, which the ReLU's result takes over: no separate pass,
 * no pre-activation buffer. Any other reader (another op, a view, toArray) runs the plain kernel
 * first. The pre-activation stays readable after a fusion: it keeps its kernel and recomputes
 * into fresh storage if anything ever reads it (forward_scope.ts settles it before the forward
 * returns if it is returned or stored; otherwise it dies unread).
 *
 * Why deferral rather than an in-place ReLU over a "fresh" output: the GEMM has already run
 * when a plain op sees its output, so only a deferred kernel can take the activation into its
 * epilogue; and an in-place ReLU would change a tensor the user may still read (a
 * pre-activation residual), which the deferred kernel never does.
 *
 * The kernel reads its inputs when it runs, so they are pinned: their buffers are taken (which
 * computes any deferred input first) and their storages retained until the kernel has run or
 * the output is dropped. Inside a forward nothing writes a kernel's inputs in place (parameters
 * change in optimizer steps, after the forward), and every deferred tensor is computed or
 * dropped before the outermost forward returns.
 */
import { currentScope } from '../autograd/creation_scope.js';
import type { DeviceBuffer } from '../backend/backend.js';
import type { Storage } from '../storage.js';
import type { Tensor } from '../tensor.js';

/** An input of a deferred kernel, pinned: its buffer and offset when the op was called. */
export interface Operand {
  readonly buffer: DeviceBuffer;
  readonly offset: number;
}

/** The kernel of a producer: writes into `out`, with max(., 0) in the epilogue when `relu`. */
export type EpilogueKernel = (out: Tensor, relu: boolean, operands: readonly (Operand | null)[]) => void;

/**
 * Runs `kernel` into `out` now, or — inside a forward — defers it to out's first reader.
 * `fused(y)` records the node of relu(out) computed by the fused kernel into y; null when the
 * producer has an activation already (nothing to fuse).
 */
export function runOrDefer(out: Tensor, inputs: readonly (Tensor | null)[], kernel: EpilogueKernel,
  fused: ((y: Tensor) => Tensor) | null): Tensor {
  const operands = inputs.map((t) => (t ? { buffer: t.buffer, offset: t.offset } : null));
  if (!currentScope()) {
    kernel(out, false, operands);
    return out;
  }
  const held: Storage[] = [];
  for (const t of inputs) if (t) held.push(t.storage.retain());
  out._deferred = {
    compute: (o) => kernel(o, false, operands),
    release: () => {
      for (const s of held) s.release();
      held.length = 0;
    },
    ...(fused && {
      fuseRelu: (y: Tensor) => {
        kernel(y, true, operands);
        return fused(y);
      },
    }),
  };
  return out;
}

/**
 * relu(x) in the producer's epilogue when x is a deferred, unwritten Linear or Conv2d output
 * inside a forward; null when it is not (the caller then runs the plain ReLU).
 */
export function fusedRelu(x: Tensor): Tensor | null {
  const fuse = x._deferred?.fuseRelu;
  if (!fuse || !x._fusable || !x._scope) return null;
  return fuse(x._handOver());
}
