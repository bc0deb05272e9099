import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addon as native } from '../../src/backend/addon.js';
import { firstMismatch, type GemmCase, runCase } from './gemm_reference.js';

interface GemmIsaAddon {
  gemmIsa(): string;
  gemmIsas(): string[];
  gemmSetIsa(name: string): void;
}
const addon = native as typeof native & GemmIsaAddon;
const isas = addon.gemmIsas();
const initialThreads = native.numThreads();

afterAll(() => {
  addon.gemmSetIsa('auto');
  native.setNumThreads(initialThreads);
});

function check(c: GemmCase, cInit?: Float32Array): void {
  const { got, want, bound } = runCase(c, cInit);
  const bad = firstMismatch(got, want, bound);
  if (bad >= 0) {
    throw new Error(`mismatch at ${bad}: got ${got[bad]}, want ${want[bad]} (bound ${bound[bad]}) for ${JSON.stringify(c)} on ${addon.gemmIsa()}`);
  }
}

const base: GemmCase = {
  transA: false, transB: false, M: 1, N: 1, K: 1, alpha: 1, beta: 0,
  padA: 0, padB: 0, padC: 0, bias: false, relu: false, seed: 1,
};

const caseArb = (maxDim: number) => fc.record({
  transA: fc.boolean(),
  transB: fc.boolean(),
  M: fc.integer({ min: 1, max: maxDim }),
  N: fc.integer({ min: 1, max: maxDim }),
  K: fc.integer({ min: 1, max: maxDim }),
  alpha: fc.constantFrom(1, -0.5, 2.25),
  beta: fc.constantFrom(0, 1, -1.5),
  padA: fc.integer({ min: 0, max: 5 }),
  padB: fc.integer({ min: 0, max: 5 }),
  padC: fc.integer({ min: 0, max: 5 }),
  bias: fc.boolean(),
  relu: fc.boolean(),
  seed: fc.integer({ min: 1, max: 1 << 30 }),
});

describe('native gemm ISA selection', () => {
  it('offers generic everywhere and the SIMD paths this CPU has', () => {
    expect(isas).toContain('generic');
    expect(isas).toContain(addon.gemmIsa());
    if (process.arch === 'x64') expect(isas).toContain('avx2'); // every x86 CI/dev machine we target
  });
  it('refuses unknown names with an error naming the op', () => {
    expect(() => addon.gemmSetIsa('sse9')).toThrow(/gemmSetIsa: unknown ISA 'sse9'/);
    expect(() => addon.gemmSetIsa(3 as unknown as string)).toThrow(/gemmSetIsa/);
  });
});

for (const isa of isas) {
  describe(`native gemm on ${isa}`, () => {
    const use = (threads: number) => {
      addon.gemmSetIsa(isa);
      native.setNumThreads(threads);
      expect(addon.gemmIsa()).toBe(isa);
    };

    it('matches float64 on random small shapes, all transposes, alpha/beta, ld, epilogues', () => {
      use(1);
      fc.assert(fc.property(caseArb(40), (c) => check(c)), { numRuns: 300, seed: 42 });
    });

    it('matches float64 across the cache blocks (depth > KC, rows > MC) with 2 threads', () => {
      use(2);
      fc.assert(fc.property(caseArb(300), (c) => check(c)), { numRuns: 25, seed: 7 });
      check({ ...base, M: 401, N: 67, K: 600, beta: 1, bias: true, relu: true, padA: 3 });
      check({ ...base, transA: true, transB: true, M: 97, N: 131, K: 521, alpha: -0.5, beta: -1.5, padC: 2 });
      check({ ...base, M: 3, N: 4133, K: 9, bias: true }); // more columns than NC
    });

    it('matches float64 in the loop order for large products (B block beyond its L2 share)', () => {
      // runBlock switches to the A-panel-in-L1 order once the packed KC x N block of B passes
      // 512 KiB: 61 x 700 x 600 does at 1 thread, 100 x 1100 x 500 at 2 (each thread 550 columns).
      use(1);
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          check({ ...base, transA, transB, M: 61, N: 700, K: 600, beta: 1, bias: true, relu: true, padB: 1 });
        }
      }
      use(2);
      check({ ...base, M: 100, N: 1100, K: 500, alpha: -0.5, beta: -1.5, padA: 2 });
      check({ ...base, transA: true, transB: true, M: 100, N: 1100, K: 500, bias: true, padC: 3 });
    });

    it('matches float64 where A is read in place by rows and B is packed (the AVX-512 6 x 64 tile)', () => {
      // kernelsFor switches tile shape when A is not transposed, M > 48 and either N <= 256 or
      // one M x KC depth block of A fits 256 KiB (the last four shapes, up to 1000 columns);
      // row edges of 1, 2 and 4 rows and column edges of 8, 16, 40 and 56 columns exercise each
      // edge kernel.
      for (const threads of [1, 2]) {
        use(threads);
        const shapes = [[128, 128, 784], [100, 200, 300], [98, 232, 65], [49, 248, 17],
          [256, 784, 128], [61, 784, 128], [100, 300, 70], [130, 1000, 300]];
        for (const [M, N, K] of shapes) {
          check({ ...base, M, N, K, bias: true, relu: true });
          check({ ...base, M, N, K, transB: true, beta: 1, padA: 2, padB: 1, padC: 3 });
        }
      }
    });

    it('matches float64 on the MLP training shapes, 1 and 2 threads', () => {
      for (const threads of [1, 2]) {
        use(threads);
        check({ ...base, M: 32, N: 128, K: 784, bias: true, relu: true }); // forward
        check({ ...base, transB: true, M: 32, N: 128, K: 784, bias: true }); // forward, W as [out, in]
        check({ ...base, transA: true, M: 784, N: 128, K: 32, beta: 1 }); // weight gradient, accumulated
        check({ ...base, transB: true, M: 32, N: 784, K: 128 }); // input gradient
        check({ ...base, transA: true, M: 128, N: 784, K: 32, beta: 1 }); // dW in [out, in] layout
        check({ ...base, M: 32, N: 784, K: 128 }); // dx = dz W
      }
    });

    it('ignores C (NaN included) when beta = 0, and handles K = 0 and alpha = 0', () => {
      use(1);
      for (const [M, N, K] of [[5, 7, 3], [33, 47, 20]]) {
        const nan = new Float32Array(M * N).fill(Number.NaN);
        check({ ...base, M, N, K, beta: 0 }, nan);
        check({ ...base, M, N, K, beta: 0, bias: true, relu: true }, nan);
      }
      check({ ...base, M: 4, N: 5, K: 0, beta: 0.5, bias: true });
      check({ ...base, M: 4, N: 5, K: 0, beta: 0 }, new Float32Array(20).fill(Number.NaN));
      check({ ...base, M: 6, N: 3, K: 8, alpha: 0, beta: 2 });
    });

    it('handles sizes 1, primes and non-multiples of the register block', () => {
      use(2);
      for (const [M, N, K] of [[1, 1, 1], [1, 97, 13], [97, 1, 13], [13, 17, 1], [11, 31, 257], [37, 33, 2]]) {
        for (const transA of [false, true]) {
          for (const transB of [false, true]) check({ ...base, M, N, K, transA, transB, beta: 1, bias: true });
        }
      }
    });
  });
}

describe('native gemm STEEPEST_GEMM_ISA', () => {
  it('forces the family at load time in a fresh process', async () => {
    const { execFileSync } = await import('node:child_process');
    const { packageRoot } = await import('../../src/backend/addon.js');
    for (const isa of isas) {
      const out = execFileSync(process.execPath, ['-e',
        `process.stdout.write(require('node-gyp-build')(${JSON.stringify(packageRoot)}).gemmIsa())`],
      { env: { ...process.env, STEEPEST_GEMM_ISA: isa }, cwd: packageRoot }).toString();
      expect(out).toBe(isa);
    }
  });
});
