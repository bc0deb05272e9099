// The CUDA kernels' per-thread math (native/common/pool_values.h, conv_taps.h) on the CPU: a
// small C++ program (cuda_math_check.cc), compiled with the compiler node-gyp uses, holds the
// pooling values and gathered gradients to the CPU kernels' bits and the im2col / col2im index
// math to a direct convolution, so machines without a GPU test the GPU's arithmetic.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'steepest-cuda-math-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CUDA per-thread math, run on the CPU', () => {
  it('pooling values and gathered gradients equal the CPU kernels; im2col and col2im match the definitions', () => {
    const binary = join(dir, 'cuda_math_check');
    // pool2d.cc's 2x2 max pooling picks its kernel with the GEMM's ISA: the GEMM comes along.
    const cpu = ['pool2d', 'max_pool_2x2', 'threadpool', 'gemm', 'gemm_pack', 'gemm_avx512', 'gemm_avx2', 'gemm_generic']
      .map((f) => join(root, `native/cpu/${f}.cc`));
    execFileSync('g++', ['-O2', '-std=c++17', '-pthread', '-I', join(root, 'native'), ...cpu, join(here, 'cuda_math_check.cc'), '-o', binary]);
    const out = execFileSync(binary, { encoding: 'utf8', timeout: 60_000 });
    expect(out.trim()).toBe('ok 25');
  });
});
