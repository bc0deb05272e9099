/**
 * Seeded permutations and index draws on steepest's one random stream (src/random.ts). The
 * native kernels (native/cpu/sampling.h) use exactly the Generator's integer draw,
 * nextInt(n) = floor(float53 * n), so `permutation(n, g)` equals a JavaScript Fisher-Yates
 * with `g.nextInt` from the same position, on any machine. The draws run on the CPU whatever the
 * device (the index kernels are CPU-only, as PyTorch's samplers draw on the host); a result on
 * another device is a copy of the host draw.
 */
import { checkGenerator, defaultGenerator, type Generator } from '../random.js';
import { Tensor } from '../tensor.js';
import { checkInt32, checkTensor } from '../validate/index.js';
import { cpuBackend } from '../backend/cpu.js';
import { defaultBackend } from '../backend/registry.js';
import { copyAcrossDevices } from '../ops/kernels.js';

/**
 * A random permutation of 0..n-1 (Fisher-Yates: for i = n-1 down to 1 swap i with
 * nextInt(i+1)), written into `out` (int32, n elements) when given. Consumes n-1 draws.
 */
export function permutation(n: number, generator: Generator = defaultGenerator, out?: Tensor): Tensor {
  checkInt32('permutation', 'n', n);
  checkGenerator('permutation', 'generator', generator);
  if (out !== undefined) checkTensor('permutation', 'out', out, 'int32');
  const result = out ?? Tensor.empty([n], 'int32', false, defaultBackend());
  if (result.dtype !== 'int32' || result.size !== n) {
    throw new RangeError(`permutation: out must be int32 with ${n} elements, got ${result.dtype} with ${result.size}`);
  }
  onHost(result, (host) => host.backend.randperm(host.buffer, host.offset, n, generator.seed, generator.take(Math.max(0, n - 1))));
  return result;
}

/** @internal Runs a CPU-only index draw into `out` itself, or into a host tensor copied to `out`'s device. */
export function onHost(out: Tensor, draw: (host: Tensor) => void): void {
  if (out.backend === cpuBackend) {
    draw(out);
    return;
  }
  const host = Tensor.empty([out.size], out.dtype, false, cpuBackend);
  try {
    draw(host);
    copyAcrossDevices(out, host);
  } finally {
    host.dispose();
  }
}

/** A permutation as an Int32Array (for index bookkeeping in splits and resamplers). */
export function permutationArray(n: number, generator: Generator = defaultGenerator): Int32Array {
  const t = permutation(n, generator, Tensor.empty([n], 'int32', false, cpuBackend));
  const a = t.toArray() as Int32Array;
  t.dispose();
  return a;
}

/** `count` indices uniform in [0, n), with replacement, as an Int32Array. */
export function randomIndexArray(count: number, n: number, generator: Generator = defaultGenerator): Int32Array {
  if (count === 0) return new Int32Array(0);
  const t = Tensor.empty([count], 'int32', false, cpuBackend);
  t.backend.randomIndex(t.buffer, t.offset, count, n, generator.seed, generator.take(count));
  const a = t.toArray() as Int32Array;
  t.dispose();
  return a;
}
