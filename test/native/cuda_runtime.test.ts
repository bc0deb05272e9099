// The CUDA backend's availability on a machine without a GPU: the addon opens
// libsteepest_cuda.so (built by scripts/build-cuda.sh, which .ci/run runs) and reports why it
// cannot run instead of crashing. In CI the library must be there; elsewhere a CPU-only build
// reports 'backend not built'.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cuda } from '../../src/index.js';
import { packageRoot } from '../../src/backend/addon.js';

const built = existsSync(join(packageRoot, 'build', 'Release', 'libsteepest_cuda.so'));
const hasDriver = ['/usr/lib/x86_64-linux-gnu/libcuda.so.1', '/usr/lib64/libcuda.so.1', '/usr/lib/aarch64-linux-gnu/libcuda.so.1'].some(existsSync);

describe('cuda availability', () => {
  it('CI builds the CUDA backend library', () => {
    if (process.env.CI) expect(built, 'bash scripts/build-cuda.sh must run before the tests in CI').toBe(true);
  });

  it('reports the first missing piece (or the devices), and the same answer every time', () => {
    if (hasDriver) {
      // A machine with a driver: devices, or the next missing piece.
      if (cuda.isAvailable()) expect(cuda.deviceCount()).toBeGreaterThan(0);
      else expect(cuda.unavailableReason()).toMatch(/backend not built|driver older|no NVIDIA GPU|cuBLAS not found|CUDA error/);
      return;
    }
    expect(cuda.isAvailable()).toBe(false);
    expect(cuda.unavailableReason()).toBe(built ? 'no NVIDIA driver' : 'backend not built');
    expect(cuda.devices()).toEqual([]);
    expect(cuda.deviceCount()).toBe(0);
    expect(cuda.libraryPath()).toBe(built ? join(packageRoot, 'build', 'Release', 'libsteepest_cuda.so') : null);
    expect(cuda.unavailableReason()).toBe(cuda.unavailableReason());
  });
});

describe('cuda library interface', () => {
  const read = (path: string) => readFileSync(join(packageRoot, path), 'utf8');

  it('the addon resolves every function the C interface declares, and nothing else', () => {
    const declared = [...read('native/cuda/steepest_cuda.h').matchAll(/STEEPEST_CUDA_API [^(]*?\bsteepest_cuda_(\w+)\(/g)].map((m) => m[1]);
    const list = /#define SP_CUDA_FUNCTIONS\(X\)((?:[^\n]*\\\n)*[^\n]*)/.exec(read('native/napi/cuda_library.h'))![1];
    const resolved = [...list.matchAll(/X\((\w+)\)/g)].map((m) => m[1]);
    expect(declared.length).toBeGreaterThan(10);
    expect([...resolved].sort()).toEqual([...declared].sort());
  });

  it('every declared function is defined by a CUDA source', () => {
    const sources = readdirSync(join(packageRoot, 'native/cuda')).filter((f) => f.endsWith('.cu')).map((f) => read(`native/cuda/${f}`)).join('\n');
    const declared = [...read('native/cuda/steepest_cuda.h').matchAll(/STEEPEST_CUDA_API [^(]*?\bsteepest_cuda_(\w+)\(/g)].map((m) => m[1]);
    const undefinedOnes = declared.filter((name) => !new RegExp(`extern "C" [^(]*\\bsteepest_cuda_${name}\\(`).test(sources));
    expect(undefinedOnes).toEqual([]);
  });
});
