/**
 * Backend: the one interface through which the library reaches the kernels of a device, as
 * tfjs-core's kernel registry keys kernels by backend and PyTorch dispatches on a tensor's
 * device. Ops, layers, optimizers, metrics and loaders call `tensor.backend.<kernel>(...)`,
 * never the addon, so a new device (CUDA, a test-only reference) is one new implementation of
 * this interface and no edit of the ops.
 *
 * Tensors cross as (DeviceBuffer, element offset) pairs and shapes as plain integers, exactly
 * as the CPU addon takes them, so the CPU backend is a forwarding layer with no per-call work
 * beyond one table lookup for an op's code. Op kinds cross as names, not addon codes: names are
 * the device-neutral part, codes are the addon's.
 *
 * Every kernel validates what only it can know (buffer extents, dtypes, disposed buffers) and
 * throws an Error naming the op; shape logic and argument checks live in the ops above.
 */
import type { StepLayout } from './step_layout.js';

export type DType = 'float32' | 'int32';

/** Device names: 'cpu', 'cuda' (a later backend) or any registered backend's name. */
export type Device = 'cpu' | 'cuda' | (string & {});

/**
 * Memory of one device holding `length` elements of `dtype`. `read` and `write` copy between
 * the device and the JS heap; `copyFrom` copies within the device.
 */
export interface DeviceBuffer {
  readonly length: number;
  readonly dtype: DType;
  readonly disposed: boolean;
  dispose(): void;
  read(offset: number, count: number): Float32Array | Int32Array;
  write(data: Float32Array | Int32Array, offset: number): void;
  copyFrom(source: DeviceBuffer, sourceOffset: number, destinationOffset: number, count: number): void;
}

export type BinaryName = 'add' | 'sub' | 'mul' | 'div' | 'maximum' | 'minimum';
export type UnaryName =
  | 'neg' | 'exp' | 'log' | 'sqrt' | 'abs' | 'sign' | 'clamp'
  | 'relu' | 'leakyRelu' | 'sigmoid' | 'tanh' | 'gelu' | 'square';
export type ReduceName = 'sum' | 'mean' | 'max' | 'min';
/** How an operand of a broadcast binary op is read over a [rows, cols] output. */
export type Layout = 'full' | 'row' | 'column' | 'scalar';
export type ReductionName = 'none' | 'mean' | 'sum';
export type PointwiseLossName = 'mse' | 'l1' | 'huber' | 'bceWithLogits';
/**
 * An update rule of the fused optimizer step, by the name its header declares
 * (native/common/optim/<rule>.h; the list is native/common/optim/rules.h): 'sgd', 'adam', ...
 */
export type OptimKind = string;
/** Recurrent cells of the sequence kernels (native/common/recurrent_cells.h). */
export type CellName = 'lstm' | 'gru';

type Buf = DeviceBuffer;
type OptBuf = DeviceBuffer | null;
type Off = number;

export interface Backend {
  /** The device name tensors of this backend carry. */
  readonly device: Device;

  // Memory and copies
  /** A buffer of `length` elements, zero-filled when `zero`, otherwise arbitrary. */
  allocate(dtype: DType, length: number, zero: boolean): DeviceBuffer;
  /**
   * Makes `buffer`'s memory shareable with other threads of this process and returns its id
   * (the CPU's memory is; a device backend without it leaves both methods out).
   */
  shareBuffer?(buffer: DeviceBuffer): number;
  /** The memory another thread shared as `id`, as a buffer of this thread (no copy). */
  openSharedBuffer?(dtype: DType, length: number, id: number): DeviceBuffer;
  /** out[0..n) = value. */
  fill(out: Buf, outOff: Off, n: number, value: number): void;

  // Elementwise
  binary(op: BinaryName, a: Buf, aOff: Off, aLayout: Layout, b: Buf, bOff: Off, bLayout: Layout,
    out: Buf, outOff: Off, rows: number, cols: number): void;
  binaryScalar(op: BinaryName, a: Buf, aOff: Off, scalar: number, scalarFirst: boolean, out: Buf, outOff: Off,
    n: number): void;
  unary(op: UnaryName, x: Buf, xOff: Off, out: Buf, outOff: Off, n: number, p1: number, p2: number): void;
  unaryBackward(op: UnaryName, x: Buf, xOff: Off, gradOut: Buf, gOff: Off, gradIn: Buf, giOff: Off, n: number,
    p1: number, p2: number): void;

  // Reductions and layout
  /** Reduces axis n of a viewed as [outer, n, inner] into [outer, inner]. */
  reduce(op: ReduceName, a: Buf, aOff: Off, outer: number, n: number, inner: number, out: Buf, outOff: Off): void;
  argmax(a: Buf, aOff: Off, outer: number, n: number, inner: number, out: Buf, outOff: Off): void;
  transpose(a: Buf, aOff: Off, rows: number, cols: number, out: Buf, outOff: Off): void;
  gatherRows(src: Buf, srcOff: Off, rowLength: number, srcRows: number, index: Buf, indexOff: Off, count: number,
    out: Buf, outOff: Off): void;
  /** out[o, i, :] = src[o, index[i], :] for src viewed as [outer, n, inner] (index_select). */
  indexSelect(src: Buf, srcOff: Off, outer: number, n: number, inner: number, index: Buf, indexOff: Off, count: number,
    out: Buf, outOff: Off): void;
  /** out[o, index[i], :] += src[o, i, :], out viewed as [outer, n, inner] (index_select's backward). */
  indexAdd(src: Buf, srcOff: Off, outer: number, count: number, inner: number, index: Buf, indexOff: Off, out: Buf,
    outOff: Off, n: number): void;

  // N-D strided kernels (native/cpu/strided.h): each operand read at its own element strides over
  // `shape` (stride 0 repeats it: broadcasting); outputs of binaryStrided and where are contiguous.
  /** dst[idx . dstStrides] = src[idx . srcStrides] (float32 or int32): permute, expand, slices. */
  copyStrided(src: Buf, srcOff: Off, srcStrides: number[], dst: Buf, dstOff: Off, dstStrides: number[],
    shape: number[]): void;
  binaryStrided(op: BinaryName, a: Buf, aOff: Off, aStrides: number[], b: Buf, bOff: Off, bStrides: number[],
    out: Buf, outOff: Off, shape: number[]): void;
  /** out = cond != 0 ? a : b, cond int32. */
  where(cond: Buf, cOff: Off, cStrides: number[], a: Buf, aOff: Off, aStrides: number[], b: Buf, bOff: Off,
    bStrides: number[], out: Buf, outOff: Off, shape: number[]): void;

  /** Index of the first NaN/±Inf of a float32 range, or -1. */
  firstNonFinite(a: Buf, aOff: Off, n: number): number;

  // RNG fills: the counter-based stream (native/common/rng.h) at `streamOffset` of `seed`
  randomUniform(out: Buf, outOff: Off, n: number, seed: number, streamOffset: number, low: number, high: number): void;
  randomNormal(out: Buf, outOff: Off, n: number, seed: number, streamOffset: number, mean: number, std: number): void;
  dropout(x: Buf, xOff: Off, out: Buf, outOff: Off, n: number, p: number, seed: number, streamOffset: number): void;

  // Matrix products
  /** C = alpha op(A) op(B) + beta C (+ bias, then ReLU). */
  gemm(transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
    A: Buf, aOff: Off, lda: number, B: Buf, bOff: Off, ldb: number, beta: number,
    C: Buf, cOff: Off, ldc: number, bias: OptBuf, biasOff: Off, relu: boolean): void;
  /** `batch` GEMMs C_i = alpha op(A_i) op(B_i) + beta C_i, X_i at X + i * strideX (0: shared). */
  gemmBatched(transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
    A: Buf, aOff: Off, lda: number, strideA: number, B: Buf, bOff: Off, ldb: number, strideB: number, beta: number,
    C: Buf, cOff: Off, ldc: number, strideC: number, batch: number): void;
  /** Backward of y = relu?(x W^T + b): dx = dz W, dW = dz^T x (+ dwBeta dW), db = colsum dz (+ dbBeta db). */
  linearBackward(g: Buf, gOff: Off, y: OptBuf, yOff: Off, relu: boolean, x: Buf, xOff: Off, W: Buf, wOff: Off,
    M: number, N: number, K: number, dx: OptBuf, dxOff: Off, dW: OptBuf, dwOff: Off, dwBeta: number,
    db: OptBuf, dbOff: Off, dbBeta: number): void;

  // Neural-network kernels
  softmax(x: Buf, xOff: Off, y: Buf, yOff: Off, rows: number, cols: number, log: boolean): void;
  softmaxBackward(y: Buf, yOff: Off, g: Buf, gOff: Off, dx: Buf, dxOff: Off, rows: number, cols: number,
    log: boolean): void;
  /**
   * y = softmax(scale x + mask) over rows of `cols` (attention, native/cpu/masked_softmax.h); the
   * mask element of row r = (g, l), g = r / L, column s is
   * mask[(g / groupsPerBatch) batchStride + l rowStride + s], maskGeometry = [L, groupsPerBatch,
   * batchStride, rowStride].
   */
  maskedSoftmax(x: Buf, xOff: Off, y: Buf, yOff: Off, rows: number, cols: number, scale: number, mask: OptBuf,
    maskOff: Off, maskGeometry: number[]): void;
  /** dx = scale y (g - sum(g y)) per row. */
  maskedSoftmaxBackward(y: Buf, yOff: Off, g: Buf, gOff: Off, dx: Buf, dxOff: Off, rows: number, cols: number,
    scale: number): void;
  batchNormForward(x: Buf, xOff: Off, N: number, C: number, L: number, gamma: OptBuf, gOff: Off, beta: OptBuf,
    bOff: Off, runMean: OptBuf, rmOff: Off, runVar: OptBuf, rvOff: Off, training: boolean, momentum: number,
    eps: number, y: Buf, yOff: Off, saveMean: Buf, smOff: Off, saveInvstd: Buf, siOff: Off): void;
  batchNormBackward(x: Buf, xOff: Off, g: Buf, gOff: Off, N: number, C: number, L: number, gamma: OptBuf,
    gmOff: Off, saveMean: Buf, smOff: Off, saveInvstd: Buf, siOff: Off, training: boolean, dx: OptBuf,
    dxOff: Off, dgamma: OptBuf, dgOff: Off, dbeta: OptBuf, dbOff: Off): void;

  // Convolution and pooling over NCHW (native/cpu/conv2d.h, pool2d.h). Geometries:
  //   conv [N, C, H, W, OC, KH, KW, strideH, strideW, padH, padW, dilationH, dilationW, groups]
  //   pool [N, C, H, W, KH, KW, strideH, strideW, padH, padW, dilationH, dilationW]
  //   adaptive [N, C, H, W, OH, OW]
  /** y = conv(x, w) + bias, then max(y, 0) when `relu` (the fused Conv2d + ReLU epilogue). */
  conv2dForward(x: Buf, xOff: Off, w: Buf, wOff: Off, bias: OptBuf, bOff: Off, y: Buf, yOff: Off, g: number[], relu?: boolean): void;
  /** dW and db are overwritten unless `accumulate`; dx always is. */
  conv2dBackward(x: Buf, xOff: Off, w: Buf, wOff: Off, dy: Buf, dyOff: Off, dx: OptBuf, dxOff: Off, dW: OptBuf, dwOff: Off,
    db: OptBuf, dbOff: Off, g: number[], accumulate: boolean): void;
  /**
   * The transposed convolution: y [N, C, H, W] = conv2d's input gradient for output gradient x
   * [N, OC, OH, OW] (+ bias [C]); `g` is that convolution's geometry.
   */
  convTranspose2dForward(x: Buf, xOff: Off, w: Buf, wOff: Off, bias: OptBuf, bOff: Off, y: Buf, yOff: Off, g: number[]): void;
  maxPool2dForward(x: Buf, xOff: Off, y: Buf, yOff: Off, indices: Buf, iOff: Off, g: number[]): void;
  maxPool2dBackward(dy: Buf, dyOff: Off, indices: Buf, iOff: Off, dx: Buf, dxOff: Off, g: number[]): void;
  avgPool2dForward(x: Buf, xOff: Off, y: Buf, yOff: Off, g: number[], countIncludePad: boolean): void;
  avgPool2dBackward(dy: Buf, dyOff: Off, dx: Buf, dxOff: Off, g: number[], countIncludePad: boolean): void;
  adaptiveAvgPool2dForward(x: Buf, xOff: Off, y: Buf, yOff: Off, g: number[]): void;
  adaptiveAvgPool2dBackward(dy: Buf, dyOff: Off, dx: Buf, dxOff: Off, g: number[]): void;
  // One LSTM / GRU layer-direction over a whole sequence (native/cpu/recurrent.h), PyTorch's gate
  // order. shape = [T, B, I, H, batchFirst, reverse, yStride]: rows of x, y and the workspace
  // are (t, b) in the input's order, y's rows yStride apart. h0, c0, hN, cN: [B, H]; c0, cN
  // and dcN, dc0 are the LSTM's only (null for a GRU). The workspace (T*B*(gates+2)*H floats)
  // carries what the forward saved to the backward: [rows, gates*H] activated gates, [rows, H]
  // the cell state (LSTM) or W_hn h_prev + b_hn (GRU), [rows, H] h_prev.
  recurrentForward(cell: CellName, x: Buf, xOff: Off, wIh: Buf, wIhOff: Off, wHh: Buf, wHhOff: Off, bIh: OptBuf, bIhOff: Off,
    bHh: OptBuf, bHhOff: Off, h0: OptBuf, h0Off: Off, c0: OptBuf, c0Off: Off, y: Buf, yOff: Off, hN: Buf, hNOff: Off,
    cN: OptBuf, cNOff: Off, workspace: Buf, wsOff: Off, shape: number[]): void;
  /**
   * The backward of recurrentForward: dx is overwritten (added to when `accumulateDx`), the
   * weight and bias gradients are added to, dh0 and dc0 overwritten; any may be null.
   */
  recurrentBackward(cell: CellName, x: Buf, xOff: Off, wIh: Buf, wIhOff: Off, wHh: Buf, wHhOff: Off, c0: OptBuf, c0Off: Off,
    workspace: Buf, wsOff: Off, dy: Buf, dyOff: Off, dhN: Buf, dhNOff: Off, dcN: OptBuf, dcNOff: Off, dx: OptBuf, dxOff: Off,
    dWih: OptBuf, dWihOff: Off, dWhh: OptBuf, dWhhOff: Off, dbIh: OptBuf, dbIhOff: Off, dbHh: OptBuf, dbHhOff: Off,
    dh0: OptBuf, dh0Off: Off, dc0: OptBuf, dc0Off: Off, shape: number[], accumulateDx: boolean): void;
  /** out[index[i], :] += src[i, :] (an embedding's backward). */
  scatterAddRows(src: Buf, srcOff: Off, rowLength: number, index: Buf, indexOff: Off, count: number, out: Buf, outOff: Off,
    outRows: number): void;

  // Losses: value into `out`, and the gradient of the reduced loss into `grad` when given
  classLoss(z: Buf, zOff: Off, labels: Buf, labOff: Off, weight: OptBuf, wOff: Off, N: number, C: number,
    ignoreIndex: number, smoothing: number, logProbInput: boolean, reduction: ReductionName, out: Buf, outOff: Off,
    grad: OptBuf, gOff: Off): void;
  pointwiseLoss(op: PointwiseLossName, x: Buf, xOff: Off, t: Buf, tOff: Off, posWeight: OptBuf, pwOff: Off,
    n: number, cols: number, param: number, reduction: ReductionName, out: Buf, outOff: Off, grad: OptBuf,
    gOff: Off): void;

  // Optimizer step
  /**
   * One fused step of every parameter group over the arenas (`length` elements each, from
   * offset 0). `table` is laid out as `stepLayout` (step_layout.ts): the global options and
   * results, then one row per group. Returns whether the step was applied.
   */
  optimStep(kind: OptimKind, param: Buf, grad: Buf, s0: OptBuf, s1: OptBuf, s2: OptBuf, length: number,
    table: Float64Array): boolean;

  // Data gathers and samplers
  gatherBatch(x: Buf, xOff: Off, rowLength: number, rows: number, y: OptBuf, yOff: Off, index: Buf, indexOff: Off,
    count: number, scale: OptBuf, scaleOff: Off, shift: OptBuf, shiftOff: Off, xOut: Buf, xOutOff: Off,
    yOut: OptBuf, yOutOff: Off): void;
  oneHot(labels: Buf, lOff: Off, n: number, classes: number, out: Buf, outOff: Off): void;
  columnStats(x: Buf, xOff: Off, rows: number, cols: number, mean: Buf, mOff: Off, std: Buf, sOff: Off,
    min: Buf, minOff: Off, max: Buf, maxOff: Off): number;
  knn(data: Buf, dataOff: Off, n: number, d: number, query: Buf, queryOff: Off, m: number, k: number,
    excludeSelf: boolean, outIndex: Buf, outIndexOff: Off, outDist: OptBuf, outDistOff: Off): void;
  smoteInterpolate(x: Buf, xOff: Off, n: number, d: number, neighbours: Buf, nOff: Off, k: number, count: number,
    seed: number, streamOffset: number, out: Buf, outOff: Off): void;
  randperm(out: Buf, outOff: Off, n: number, seed: number, streamOffset: number): void;
  randomIndex(out: Buf, outOff: Off, count: number, n: number, seed: number, streamOffset: number): void;
  weightedIndex(weights: Buf, wOff: Off, n: number, out: Buf, outOff: Off, count: number, seed: number,
    streamOffset: number): void;
}

/** The layout every backend's optimStep reads its table with. */
export type { StepLayout };
