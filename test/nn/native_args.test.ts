// The nn bindings validate their arguments natively: bad extents, dtypes, ranges and disposed
// buffers throw an Error naming the op instead of touching memory.
import { describe, expect, it } from 'vitest';
import { nn, tensor, zeros } from '../../src/index.js';
import { addon as nnNative } from '../../src/backend/addon.js';

describe('nn native argument checks', () => {
  const z = zeros([2, 3]);
  const labels = tensor(Int32Array.from([0, 1]), [2]);
  const out = zeros([1]);
  it('classLoss: extents, dtypes and ranges', () => {
    expect(() => nnNative.classLoss(z.buffer, 0, labels.buffer, 0, null, 0, 4, 3, -100, 0, false, 1, out.buffer, 0, null, 0))
      .toThrow(/crossEntropy: input/);
    expect(() => nnNative.classLoss(z.buffer, 0, z.buffer, 0, null, 0, 2, 3, -100, 0, false, 1, out.buffer, 0, null, 0))
      .toThrow(/crossEntropy: target must be an int32 tensor/);
    expect(() => nnNative.classLoss(z.buffer, 0, labels.buffer, 0, null, 0, 2, 3, -100, 0, false, 7, out.buffer, 0, null, 0))
      .toThrow(/reduction must be in \[0, 2\]/);
    expect(() => nnNative.classLoss(z.buffer, 0, labels.buffer, 0, null, 0, 2, 3, -100, 0.5, true, 1, out.buffer, 0, null, 0))
      .toThrow(/nllLoss: label smoothing needs logits/);
  });
  it('dropout, batchNorm, linearBackward, softmax', () => {
    expect(() => nnNative.dropout(z.buffer, 0, z.buffer, 0, 7, 0.5, 0, 0)).toThrow(/dropout: x/);
    expect(() => nnNative.dropout(z.buffer, 0, z.buffer, 0, 6, 1.5, 0, 0)).toThrow(/dropout: p must be in \[0, 1\]/);
    const c = zeros([3]);
    expect(() => nnNative.batchNormForward(z.buffer, 0, 2, 3, 1, null, 0, null, 0, null, 0, null, 0, false, 0.1, 1e-5,
      z.buffer, 0, c.buffer, 0, c.buffer, 0)).toThrow(/batchNorm: eval mode needs running statistics/);
    expect(() => nnNative.batchNormForward(z.buffer, 0, 2, 3, 1, null, 0, null, 0, null, 0, null, 0, true, 0.1, 0,
      z.buffer, 0, c.buffer, 0, c.buffer, 0)).toThrow(/batchNorm: eps must be > 0/);
    const g = zeros([2, 3]);
    expect(() => nnNative.linearBackward(g.buffer, 0, null, 0, false, z.buffer, 0, z.buffer, 0, 2, 2, 3,
      g.buffer, 0, null, 0, 0, null, 0, 0)).toThrow(/linear backward: gradient outputs must not share memory/);
    expect(() => nnNative.softmax(z.buffer, 0, z.buffer, 0, 3, 3, false)).toThrow(/softmax: x/);
    const gone = zeros([2, 3]);
    const buf = gone.buffer;
    buf.dispose();
    expect(() => nnNative.softmax(buf, 0, z.buffer, 0, 2, 3, true)).toThrow(/logSoftmax: x tensor was disposed/);
  });
  it('layers name the bad argument', () => {
    expect(() => nn.dropout(-0.1)).toThrow(/Dropout: argument 'p' must be >= 0 and <= 1, got -0.1/);
    expect(() => nn.batchNorm1d(3).forward(zeros([2, 4]))).toThrow(/BatchNorm1d: expected input \[N, 3\]/);
    expect(() => nn.linear(3, 2).forward(zeros([2, 4]))).toThrow(/linear: input has 4 features, layer expects 3/);
    expect(() => nn.softmax(0).forward(zeros([2, 4]))).toThrow(/softmax: only the last dimension is supported/);
    expect(() => new nn.HuberLoss({ delta: 0 })).toThrow(/HuberLoss: option 'delta' must be > 0, got 0/);
  });
});
