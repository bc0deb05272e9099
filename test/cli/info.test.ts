// `steepest info`: the report names the addon this process loaded, the GEMM kernels chosen,
// the threads and the CUDA status, as the runtime itself reports them.
import { describe, expect, it, vi } from 'vitest';
import { cuda, numThreads } from '../../src/index.js';
import { formatInfo, infoReport, runInfo } from '../../src/cli/info.js';

describe('steepest info', () => {
  it('reports what this process runs on', () => {
    const r = infoReport();
    expect(r.node).toBe(process.version);
    expect(r.napi).toBe(process.versions.napi);
    expect(r.addon.path).toMatch(/steepest\.node$/);
    expect(r.addon.kind).toBe(/prebuilds/.test(r.addon.path) ? 'prebuilt binary' : 'local build');
    expect(r.gemmKernels.available).toContain(r.gemmKernels.chosen);
    expect(r.threads).toBe(numThreads());
    expect(r.cuda.available).toBe(cuda.isAvailable());
    expect(r.cuda.reason).toBe(cuda.unavailableReason());
    const text = formatInfo(r);
    expect(text).toMatch(new RegExp(`^gemm +${r.gemmKernels.chosen} kernels`, 'm'));
    expect(text).toMatch(r.cuda.available ? /^cuda +cuda:0 / : new RegExp(`^cuda +unavailable: ${r.cuda.reason}`, 'm'));
  });

  it('prints JSON with --json, and refuses an unknown argument', async () => {
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => { out.push(String(s)); return true; });
    try {
      expect(await runInfo(['--json'])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect(JSON.parse(out.join('')).steepest).toMatch(/^\d+\.\d+\.\d+/);
    await expect(runInfo(['--jsn'])).rejects.toThrow(/steepest info: unknown argument '--jsn'/);
  });
});
