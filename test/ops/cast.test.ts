// Dtype casts as PyTorch's .to(dtype), .float(), .int(): same dtype returns the tensor itself,
// float -> int truncates toward zero, values int32 cannot hold are refused by element.
import { describe, expect, it } from 'vitest';
import '../../src/ops/methods.js';
import { tensor } from '../../src/ops/creation.js';
import { binaryCrossEntropyWithLogits } from '../../src/ops/loss.js';

describe('casts', () => {
  it('int32 labels to float32 targets, shape kept; float32 to int32 truncating toward zero', () => {
    const y = tensor([[0], [1], [1]], { dtype: 'int32' });
    const f = y.float();
    expect(f.dtype).toBe('float32');
    expect(f.shape).toEqual([3, 1]);
    expect(Array.from(f.toArray())).toEqual([0, 1, 1]);
    expect(f.toArray()).toBeInstanceOf(Float32Array);
    const x = tensor([1.9, -1.9, 0.5, -0.5, 2147483520]);
    const i = x.int();
    expect(i.dtype).toBe('int32');
    expect(Array.from(i.toArray())).toEqual([1, -1, 0, 0, 2147483520]); // torch.tensor([1.9, -1.9, .5, -.5]).int() -> [1, -1, 0, 0]
    expect(Array.from(x.to('int32').toArray())).toEqual(Array.from(i.toArray()));
    // The float result feeds a BCE loss, which wants float targets.
    expect(binaryCrossEntropyWithLogits(tensor([[0], [2], [-2]]), f).item()).toBeCloseTo((Math.log(2) + Math.log1p(Math.exp(-2)) + 2 + Math.log1p(Math.exp(-2))) / 3, 5);
  });

  it('the same dtype (or the cpu device) is the tensor itself, graph included', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    expect(w.float()).toBe(w);
    expect(w.to('float32')).toBe(w);
    expect(w.to('cpu')).toBe(w);
    const k = tensor([3], { dtype: 'int32' });
    expect(k.int()).toBe(k);
  });

  it('refuses what int32 cannot hold, and unknown targets, naming them', () => {
    expect(() => tensor([1, NaN]).int()).toThrow('to: element 1 of the float32 tensor [2] is NaN, which int32 cannot hold');
    expect(() => tensor([3e9]).int()).toThrow(/element 0 .* is 3000000000, which int32 cannot hold/);
    expect(() => tensor([1]).to('float64' as never)).toThrow(`to: argument 'target' must be 'float32', 'int32' or a device ('cpu'), got string 'float64'`);
    expect(() => tensor([1]).to('cuda')).toThrow(/device 'cuda' is unavailable: (no NVIDIA driver|backend not built)/);
  });
});
