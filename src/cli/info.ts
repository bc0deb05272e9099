/**
 * `npx steepest info [--json]`: what this installation runs on, as PyTorch's collect_env — the
 * steepest, Node and N-API versions, the native addon loaded (a prebuilt binary from the
 * package or a local build), the GEMM kernel family the CPU got (AVX-512, AVX2, portable), the
 * thread count, and the CUDA backend's status (devices and memory, or why it cannot run).
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { addonPath as loadedAddon, gemmIsa, gemmIsas, packageRoot } from '../backend/host.js';
import * as cuda from '../cuda/index.js';
import { numThreads } from '../runtime.js';

export interface InfoReport {
  steepest: string;
  node: string;
  napi: string;
  platform: string;
  cpu: string;
  cores: number;
  addon: { path: string; kind: 'prebuilt binary' | 'local build' };
  gemmKernels: { chosen: string; available: string[] };
  threads: number;
  cuda: { available: boolean; reason: string | null; library: string | null; devices: cuda.CudaDevice[] };
}

export function infoReport(): InfoReport {
  const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string };
  const addonPath = loadedAddon();
  return {
    steepest: pkg.version,
    node: process.version,
    napi: process.versions.napi ?? 'unknown',
    platform: `${process.platform}-${process.arch}`,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    addon: { path: addonPath, kind: /[\\/]prebuilds[\\/]/.test(addonPath) ? 'prebuilt binary' : 'local build' },
    gemmKernels: { chosen: gemmIsa(), available: gemmIsas() },
    threads: numThreads(),
    cuda: { available: cuda.isAvailable(), reason: cuda.unavailableReason(), library: cuda.libraryPath(), devices: cuda.devices() },
  };
}

const GIB = 1024 ** 3;

export function formatInfo(r: InfoReport): string {
  const gpu = r.cuda.available
    ? r.cuda.devices.map((d, i) => `cuda:${i} ${d.name}, ${(d.totalBytes / GIB).toFixed(1)} GiB`).join('; ')
    : `unavailable: ${r.cuda.reason}`;
  return [
    `steepest   ${r.steepest}`,
    `node       ${r.node} (N-API ${r.napi}), ${r.platform}`,
    `cpu        ${r.cpu}, ${r.cores} cores`,
    `addon      ${r.addon.kind}: ${r.addon.path}`,
    `gemm       ${r.gemmKernels.chosen} kernels (this CPU can run: ${r.gemmKernels.available.join(', ')})`,
    `threads    ${r.threads}`,
    `cuda       ${gpu}${r.cuda.library ? ` (${r.cuda.library})` : ''}`,
  ].join('\n') + '\n';
}

/** The command: prints the report (JSON with --json); returns the exit code. */
export async function runInfo(args: string[]): Promise<number> {
  const unknown = args.filter((a) => a !== '--json');
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write('usage: steepest info [--json]\n');
    return 0;
  }
  if (unknown.length) {
    const error = new Error(`steepest info: unknown argument '${unknown[0]}' (usage: steepest info [--json])`);
    error.name = 'UsageError';
    throw error;
  }
  const report = infoReport();
  process.stdout.write(args.includes('--json') ? JSON.stringify(report, null, 2) + '\n' : formatInfo(report));
  return 0;
}
