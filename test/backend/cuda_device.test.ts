/**
 * Device 'cuda' where it cannot run, and device 'auto': a clear error naming the reason, never a
 * crash, and 'auto' on the CPU with one warning. On a machine with a GPU the suite runs on
 * 'cuda' instead (test/helpers/devices.ts); these cases are for the machines without one.
 */
import { describe, expect, it } from 'vitest';
import { cuda, data, Generator, nn, tensor, zeros } from '../../src/index.js';
import { addon } from '../../src/backend/addon.js';
import { backendFor } from '../../src/backend/registry.js';

const available = cuda.isAvailable();
const reason = cuda.unavailableReason();

describe.runIf(!available)('cuda unavailable', () => {
  it('creating, moving or allocating on cuda throws with the reason', () => {
    const why = new RegExp(`device 'cuda' is unavailable: ${reason}`);
    expect(() => tensor([1, 2], { device: 'cuda' })).toThrow(why);
    expect(() => zeros([2], { device: 'cuda' })).toThrow(why);
    expect(() => tensor([1, 2]).to('cuda')).toThrow(why);
    expect(() => new nn.Linear(2, 2).to('cuda')).toThrow(why);
    expect(() => new addon.NativeBuffer('float32', 4, { device: 'cuda', zero: true }))
      .toThrow(`NativeBuffer: device 'cuda' is unavailable: ${reason}`);
  });

  it("'auto' places tensors on the CPU and says why once", async () => {
    const warnings: string[] = [];
    const listen = (w: Error) => warnings.push(w.message);
    process.on('warning', listen);
    const a = tensor([1, 2], { device: 'auto' });
    const b = zeros([3], { device: 'auto' }).to('auto');
    // Warnings are emitted on the next tick.
    await new Promise((done) => setTimeout(done, 10));
    process.off('warning', listen);
    expect([a.device, b.device]).toEqual(['cpu', 'cpu']);
    expect(Array.from(a.toFloat32Array())).toEqual([1, 2]);
    expect(warnings.filter((m) => m.includes("device 'auto'"))).toEqual([`device 'auto' runs on the CPU: CUDA is unavailable (${reason})`]);
  });

  it('the device services say why they cannot run', () => {
    const why = `device 'cuda' is unavailable: ${reason}`;
    expect(() => cuda.memoryStats()).toThrow(`cuda.memoryStats: ${why}`);
    expect(() => cuda.synchronize()).toThrow(`cuda.synchronize: ${why}`);
    expect(() => cuda.emptyCache()).toThrow(`cuda.emptyCache: ${why}`);
    expect(() => cuda.setAllowTF32(true)).toThrow(`cuda.setAllowTF32: ${why}`);
    expect(() => cuda.setAllowTF32('yes' as never)).toThrow(/cuda.setAllowTF32: .*on.* must be a boolean/);
  });

  it('a buffer option other than cuda is refused', () => {
    expect(() => new addon.NativeBuffer('float32', 4, { device: 'tpu' } as never)).toThrow("NativeBuffer: { device } must be 'cuda'");
  });
});

// Datasets are loaded, split and sampled on the host, as PyTorch's DataLoader samplers run there:
// those kernels have no CUDA version (src/backend/cuda.ts) and refuse device memory by name.
describe.runIf(available)('cuda available: the host-only data kernels', () => {
  it('the samplers, column statistics, kNN and SMOTE refuse device memory naming the buffer', () => {
    const gpu = backendFor('cuda');
    const x = zeros([2, 3], { device: 'cuda' }), idx = zeros([2], { device: 'cuda', dtype: 'int32' });
    const s = zeros([4], { device: 'cuda' });
    const cpuOnly = (op: string, arg: string) => new RegExp(`${op}: ${arg} is on device 'cuda', this kernel runs on the CPU only`);
    expect(() => gpu.randperm(idx.buffer, 0, 2, 1, 0)).toThrow(cpuOnly('randperm', 'out'));
    expect(() => gpu.randomIndex(idx.buffer, 0, 2, 3, 1, 0)).toThrow(cpuOnly('randomIndex', 'out'));
    expect(() => gpu.weightedIndex(x.buffer, 0, 3, idx.buffer, 0, 2, 1, 0)).toThrow(cpuOnly('weightedIndex', 'weights'));
    expect(() => gpu.columnStats(x.buffer, 0, 2, 3, s.buffer, 0, s.buffer, 0, s.buffer, 0, s.buffer, 0)).toThrow(cpuOnly('columnStats', 'x'));
    expect(() => gpu.knn(x.buffer, 0, 2, 3, x.buffer, 0, 2, 1, true, idx.buffer, 0, null, 0)).toThrow(cpuOnly('knn', 'data'));
    expect(() => gpu.smoteInterpolate(x.buffer, 0, 2, 3, idx.buffer, 0, 1, 1, 1, 0, x.buffer, 0)).toThrow(cpuOnly('smoteInterpolate', 'x'));
  });

  it('permutation and the samplers draw on the host and copy the draw to a device out', () => {
    const onGpu = zeros([7], { device: 'cuda', dtype: 'int32' });
    expect(Array.from(data.permutation(7, new Generator(4), onGpu).toArray())).toEqual(Array.from(data.permutation(7, new Generator(4)).toArray()));
    const w = new data.WeightedRandomSampler([1, 0, 3], 5, { seed: 2 });
    const host = zeros([5], { dtype: 'int32' });
    w.fill(host, 1);
    w.fill(onGpu.rows(0, 5), 1);
    expect(Array.from(onGpu.rows(0, 5).toArray())).toEqual(Array.from(host.toArray()));
  });
});
