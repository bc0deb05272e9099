/**
 * Device 'cuda' where it cannot run, and device 'auto': a clear error naming the reason, never a
 * crash, and 'auto' on the CPU with one warning. On a machine with a GPU the suite runs on
 * 'cuda' instead (test/helpers/devices.ts); these cases are for the machines without one.
 */
import { describe, expect, it } from 'vitest';
import { cuda, nn, tensor, zeros } from '../../src/index.js';
import { addon } from '../../src/backend/addon.js';

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
