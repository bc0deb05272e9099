/**
 * Method sugar on Tensor (x.add(y), x.relu(), loss.backward()), delegating to the op
 * functions so there is one implementation of each op.
 */
import { backward } from '../autograd/backward.js';
import { Tensor, type DType, type Device } from '../tensor.js';
import { to } from './cast.js';
import * as ew from './elementwise.js';
import * as shape from './shape.js';
import * as select from './select.js';
import * as mm from './matmul.js';
import * as red from './reduce.js';

type Operand = Tensor | number;

declare module '../tensor.js' {
  interface Tensor {
    /** `add(this, other)`. */
    add(other: Operand): Tensor;
    /** `sub(this, other)`. */
    sub(other: Operand): Tensor;
    /** `mul(this, other)`. */
    mul(other: Operand): Tensor;
    /** `div(this, other)`. */
    div(other: Operand): Tensor;
    /** `neg(this)`. */
    neg(): Tensor;
    /** `exp(this)`. */
    exp(): Tensor;
    /** `log(this)`. */
    log(): Tensor;
    /** `sqrt(this)`. */
    sqrt(): Tensor;
    /** `abs(this)`. */
    abs(): Tensor;
    /** `sign(this)`. */
    sign(): Tensor;
    /** `square(this)`. */
    square(): Tensor;
    /** `clamp(this, min, max)`. */
    clamp(min?: number, max?: number): Tensor;
    /** `relu(this)`. */
    relu(): Tensor;
    /** `leakyRelu(this, negativeSlope)`. */
    leakyRelu(negativeSlope?: number): Tensor;
    /** `sigmoid(this)`. */
    sigmoid(): Tensor;
    /** `tanh(this)`. */
    tanh(): Tensor;
    /** `gelu(this)`. */
    gelu(): Tensor;
    /** `sum(this, axis, keepDim)`: all elements, or along one axis. */
    sum(axis?: number, keepDim?: boolean): Tensor;
    /** `mean(this, axis, keepDim)`. */
    mean(axis?: number, keepDim?: boolean): Tensor;
    /** `max(this, axis, keepDim)`. */
    max(axis?: number, keepDim?: boolean): Tensor;
    /** `min(this, axis, keepDim)`. */
    min(axis?: number, keepDim?: boolean): Tensor;
    /** `argmax(this, axis, keepDim)`: int32 indices. */
    argmax(axis?: number, keepDim?: boolean): Tensor;
    /** `matmul(this, other)`. */
    matmul(other: Tensor): Tensor;
    /** Dimensions dim0 and dim1 swapped (a 2-D tensor's transpose without arguments). */
    transpose(dim0?: number, dim1?: number): Tensor;
    /** `permute(this, ...dims)`: the dimensions in the order given. */
    permute(...dims: number[]): Tensor;
    /** `unsqueeze(this, dim)`: a new dimension of size 1 at `dim`. */
    unsqueeze(dim: number): Tensor;
    /** `squeeze(this, dim)`: dimension `dim` (or every dimension) of size 1 removed. */
    squeeze(dim?: number): Tensor;
    /** reshape, as PyTorch's view (tensors are contiguous, so every view is possible). */
    view(...shape: number[]): Tensor;
    /** `split(this, splitSize, dim)`: pieces of `splitSize` (or of the given sizes) along `dim`. */
    split(splitSize: number | readonly number[], dim?: number): Tensor[];
    /** `chunk(this, chunks, dim)`: `chunks` pieces of (nearly) equal size along `dim`. */
    chunk(chunks: number, dim?: number): Tensor[];
    /** `indexSelect(this, dim, index)`: the entries of `index` along `dim`. */
    indexSelect(dim: number, index: Tensor): Tensor;
    /** `maskedFill(this, mask, value)`: `value` where `mask` is true. */
    maskedFill(mask: Tensor, value: number): Tensor;
    /** This tensor as `dtype` ('float32' | 'int32'), itself when it already is; or on a device ('cpu'). See ops/cast.ts. */
    to(target: DType | Device): Tensor;
    /** `to('float32')`, as PyTorch's .float(). */
    float(): Tensor;
    /** `to('int32')`, as PyTorch's .int() (truncates toward zero). */
    int(): Tensor;
    /** Back-propagates from this tensor (a scalar, or pass the upstream gradient). */
    backward(gradient?: Tensor): void;
  }
}

const P = Tensor.prototype;
P.add = function (o) { return ew.add(this, o); };
P.to = function (target) { return to(this, target); };
P.float = function () { return to(this, 'float32'); };
P.int = function () { return to(this, 'int32'); };
P.sub = function (o) { return ew.sub(this, o); };
P.mul = function (o) { return ew.mul(this, o); };
P.div = function (o) { return ew.div(this, o); };
P.neg = function () { return ew.neg(this); };
P.exp = function () { return ew.exp(this); };
P.log = function () { return ew.log(this); };
P.sqrt = function () { return ew.sqrt(this); };
P.abs = function () { return ew.abs(this); };
P.sign = function () { return ew.sign(this); };
P.square = function () { return ew.square(this); };
P.clamp = function (min, max) { return ew.clamp(this, min, max); };
P.relu = function () { return ew.relu(this); };
P.leakyRelu = function (s) { return ew.leakyRelu(this, s); };
P.sigmoid = function () { return ew.sigmoid(this); };
P.tanh = function () { return ew.tanh(this); };
P.gelu = function () { return ew.gelu(this); };
P.sum = function (axis, keepDim) { return red.sum(this, axis, keepDim); };
P.mean = function (axis, keepDim) { return red.mean(this, axis, keepDim); };
P.max = function (axis, keepDim) { return red.max(this, axis, keepDim); };
P.min = function (axis, keepDim) { return red.min(this, axis, keepDim); };
P.argmax = function (axis, keepDim) { return red.argmax(this, axis, keepDim); };
P.matmul = function (o) { return mm.matmul(this, o); };
P.transpose = function (d0, d1) { return shape.transpose(this, d0, d1); };
P.permute = function (...dims) { return shape.permute(this, dims); };
P.unsqueeze = function (dim) { return shape.unsqueeze(this, dim); };
P.squeeze = function (dim) { return shape.squeeze(this, dim); };
P.view = function (...dims) { return this.reshape(...dims); };
P.split = function (size, dim) { return shape.split(this, size, dim); };
P.chunk = function (chunks, dim) { return shape.chunk(this, chunks, dim); };
P.indexSelect = function (dim, index) { return select.indexSelect(this, dim, index); };
P.maskedFill = function (mask, value) { return select.maskedFill(this, mask, value); };
P.backward = function (g) { backward(this, g); };
