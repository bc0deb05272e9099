/**
 * Loads the native addon (prebuilt binary or local build, through node-gyp-build) and gives
 * its functions types. Every function here validates its arguments natively and throws an
 * Error naming the op; tensors cross as (NativeBuffer, element offset) pairs.
 *
 * Only src/backend/ imports this file: the rest of the library reaches native code through
 * the Backend of its tensors' device (backend.ts), so a second device is one more backend,
 * not an edit of every op.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Backend, DeviceBuffer, DType } from './backend.js';

export type NativeDType = DType;

/**
 * The addon's buffer class is the CPU's DeviceBuffer (64-byte-aligned native memory), which can
 * also be shared with other threads of this process (parallel tuning trials read one dataset).
 */
export type NativeBuffer = DeviceBuffer;

/** The CPU buffer's extra method: share() (native/napi/shared_block.h). */
export type ShareableBuffer = NativeBuffer & { share(): number };

export interface MemoryStats {
  /** Native buffers allocated since the process started. */
  allocations: number;
  frees: number;
  liveBytes: number;
}

type Buf = NativeBuffer;
type OptBuf = NativeBuffer | null;
type Off = number;

/** Kernels the addon exports with exactly the Backend's signature (no op name to translate). */
type SameAsBackend = Pick<Backend,
  | 'fill' | 'argmax' | 'transpose' | 'gatherRows' | 'firstNonFinite' | 'randomUniform' | 'randomNormal' | 'dropout'
  | 'gemm' | 'linearBackward' | 'softmax' | 'softmaxBackward' | 'batchNormForward' | 'batchNormBackward'
  | 'gatherBatch' | 'oneHot' | 'columnStats' | 'knn' | 'smoteInterpolate' | 'randperm' | 'randomIndex' | 'weightedIndex'
  | 'conv2dForward' | 'conv2dBackward' | 'maxPool2dForward' | 'maxPool2dBackward' | 'avgPool2dForward' | 'avgPool2dBackward'
  | 'adaptiveAvgPool2dForward' | 'adaptiveAvgPool2dBackward' | 'scatterAddRows'>;

/**
 * The addon's exports. Kernels that take an op kind take the addon's integer code from the
 * table beside them (binaryOps, unaryOps, ...); the CPU backend translates names to codes.
 */
export interface NativeAddon extends SameAsBackend {
  NativeBuffer: new (dtype: NativeDType, length: number,
    zeroOrOptions?: boolean | { shared: number } | { device: 'cuda'; zero: boolean }) => NativeBuffer;
  memoryStats(): MemoryStats;
  numThreads(): number;
  setNumThreads(n: number): void;

  binaryOps: Record<string, number>;
  unaryOps: Record<string, number>;
  reduceOps: Record<string, number>;
  broadcastModes: Record<string, number>;
  reductions: Record<string, number>;
  pointwiseLosses: Record<string, number>;
  optimKinds: Record<string, number>;
  /** Each update rule's declaration (native/common/optim/rule.h): its code and state slots. */
  optimRules: Record<string, { code: number; slots: { name: string; when: string | null }[] }>;
  optimLayout: { header: Record<string, number>; row: Record<string, number>; headerSize: number; rowSize: number };

  binary(op: number, a: Buf, aOff: Off, aMode: number, b: Buf, bOff: Off, bMode: number,
    out: Buf, outOff: Off, rows: number, cols: number): void;
  binaryScalar(op: number, a: Buf, aOff: Off, scalar: number, scalarFirst: boolean,
    out: Buf, outOff: Off, n: number): void;
  unary(op: number, x: Buf, xOff: Off, out: Buf, outOff: Off, n: number, p1: number, p2: number): void;
  unaryBackward(op: number, x: Buf, xOff: Off, gradOut: Buf, gOff: Off, gradIn: Buf, giOff: Off,
    n: number, p1: number, p2: number): void;
  reduce(op: number, a: Buf, aOff: Off, outer: number, n: number, inner: number, out: Buf, outOff: Off): void;
  classLoss(z: Buf, zOff: Off, labels: Buf, labOff: Off, weight: OptBuf, wOff: Off, N: number, C: number,
    ignoreIndex: number, smoothing: number, logProbInput: boolean, reduction: number, out: Buf, outOff: Off,
    grad: OptBuf, gOff: Off): void;
  pointwiseLoss(op: number, x: Buf, xOff: Off, t: Buf, tOff: Off, posWeight: OptBuf, pwOff: Off, n: number,
    cols: number, param: number, reduction: number, out: Buf, outOff: Off, grad: OptBuf, gOff: Off): void;
  optimStep(kind: number, param: Buf, pOff: Off, grad: Buf, gOff: Off, s0: OptBuf, s0Off: Off, s1: OptBuf,
    s1Off: Off, s2: OptBuf, s2Off: Off, length: number, table: Float64Array): boolean;
  /** dst = src, threaded: the copy-bandwidth yardstick of bench/optim. */
  copyFloats(dst: Buf, dstOff: Off, src: Buf, srcOff: Off, n: number): void;

  // float64 linear algebra on JS arrays (native/napi/linalg_napi.cc), host only
  choleskyF64(a: Float64Array, n: number): boolean;
  triangularSolveF64(l: Float64Array, n: number, b: Float64Array, m: number, transpose: boolean): void;
  choleskyInverseF64(l: Float64Array, n: number, out: Float64Array): void;

  // GEMM kernel selection (native/napi/gemm_napi.cc), for benches and tests
  gemmIsa(): string;
  gemmIsas(): string[];
  gemmSetIsa(isa: string): void;

  // Machine-peak probes for the GEMM benchmark (native/napi/peak_napi.cc)
  fmaPeak(threads: number, iters: number): { gflops: number; isa: string };
  clockGHz(iters: number): number;

  // The CUDA backend library's probe (native/napi/cuda_napi.cc)
  cudaStatus(): { available: boolean; reason: string | null; library: string | null; devices: { name: string; totalBytes: number }[] };
  cudaMemoryStats(): { allocatedBytes: number; reservedBytes: number; deviceMallocs: number };
  cudaSynchronize(): void;
  cudaEmptyCache(): void;
  cudaSetTf32(on: boolean): void;
}

/** The package root: two levels above this file in both src/backend and dist/backend. */
export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const require = createRequire(import.meta.url);

/**
 * node-gyp-build's own message on a miss ("No native build was found for platform=…") does not
 * say what to do; this one does. Other load failures (a binary for another CPU, a missing
 * system library) keep their message, prefixed, with the original error as the cause.
 */
function load(): NativeAddon {
  const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;
  try {
    return nodeGypBuild(packageRoot) as NativeAddon;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const where = `${process.platform}-${process.arch}, Node ${process.version}`;
    if (message.startsWith('No native build was found')) {
      throw new Error(
        `steepest: no native addon for ${where}: no prebuilt binary in ${join(packageRoot, 'prebuilds')} ` +
        `matches this platform and none was built (installed with --ignore-scripts?). Run 'npm rebuild steepest' ` +
        `to build it from source; that needs a C++17 compiler (g++ or clang), make and Python 3 for node-gyp.`,
        { cause: error });
    }
    throw new Error(`steepest: the native addon failed to load (${where}): ${message}`, { cause: error });
  }
}

/** The loaded addon. */
export const addon: NativeAddon = load();
