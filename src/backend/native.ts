/**
 * Loads the native addon (prebuilt binary or local build, through node-gyp-build) and gives
 * its functions types. Every function here validates its arguments natively and throws an
 * Error naming the op; tensors cross as (NativeBuffer, element offset) pairs.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type NativeDType = 'float32' | 'int32';

export interface NativeBuffer {
  readonly length: number;
  readonly dtype: NativeDType;
  readonly disposed: boolean;
  dispose(): void;
  read(offset: number, count: number): Float32Array | Int32Array;
  write(data: Float32Array | Int32Array, offset: number): void;
  copyFrom(source: NativeBuffer, sourceOffset: number, destinationOffset: number, count: number): void;
  /** Makes the memory shareable with other threads of this process; returns its id. */
  share(): number;
}

export interface MemoryStats {
  /** Native buffers allocated since the process started. */
  allocations: number;
  frees: number;
  liveBytes: number;
}

type Buf = NativeBuffer;
type Off = number;

export interface NativeAddon {
  NativeBuffer: new (dtype: NativeDType, length: number, zeroOrShared?: boolean | { shared: number }) => NativeBuffer;
  memoryStats(): MemoryStats;
  numThreads(): number;
  setNumThreads(n: number): void;

  binaryOps: Record<string, number>;
  unaryOps: Record<string, number>;
  reduceOps: Record<string, number>;
  broadcastModes: Record<string, number>;

  binary(op: number, a: Buf, aOff: Off, aMode: number, b: Buf, bOff: Off, bMode: number,
    out: Buf, outOff: Off, rows: number, cols: number): void;
  binaryScalar(op: number, a: Buf, aOff: Off, scalar: number, scalarFirst: boolean,
    out: Buf, outOff: Off, n: number): void;
  unary(op: number, x: Buf, xOff: Off, out: Buf, outOff: Off, n: number, p1: number, p2: number): void;
  unaryBackward(op: number, x: Buf, xOff: Off, gradOut: Buf, gOff: Off, gradIn: Buf, giOff: Off,
    n: number, p1: number, p2: number): void;
  fill(out: Buf, outOff: Off, n: number, value: number): void;

  reduce(op: number, a: Buf, aOff: Off, outer: number, n: number, inner: number, out: Buf, outOff: Off): void;
  argmax(a: Buf, aOff: Off, outer: number, n: number, inner: number, out: Buf, outOff: Off): void;

  transpose(a: Buf, aOff: Off, rows: number, cols: number, out: Buf, outOff: Off): void;
  gatherRows(src: Buf, srcOff: Off, rowLength: number, srcRows: number, index: Buf, indexOff: Off,
    count: number, out: Buf, outOff: Off): void;

  randomUniform(out: Buf, outOff: Off, n: number, seed: number, streamOffset: number, low: number, high: number): void;
  randomNormal(out: Buf, outOff: Off, n: number, seed: number, streamOffset: number, mean: number, std: number): void;

  gemm(transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
    A: Buf, aOff: Off, lda: number, B: Buf, bOff: Off, ldb: number, beta: number,
    C: Buf, cOff: Off, ldc: number, bias: Buf | null, biasOff: Off, relu: boolean): void;

  /** Functions added by later areas are looked up by name. */
  [name: string]: unknown;
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
export const native: NativeAddon = load();
