/**
 * The GPU benchmarks (`npm run bench:gpu`, `steepest bench gpu`), for a machine with CUDA:
 * - GEMM: TFLOP/s of steepest's matmul on 'cuda' tensors (through the addon, timed with
 *   cuda.synchronize()) against raw cuBLAS on the same shapes (the library's own loop, timed
 *   with CUDA events): the issue's bar is 0.9x.
 * - Fused Adam: GB/s of one optimizer step over n parameters (28 bytes per parameter: read
 *   p, g, m, v, write p, m, v) against a device copy (8 bytes per float): the bar is 0.7x.
 * - The handbook MLP (784-128-ReLU-10, Adam 1e-3, cross-entropy) on a device-resident
 *   Fashion-MNIST-sized set: seconds per epoch at batch 32, 256 and 1024, beside PyTorch CUDA's
 *   on the same set (bench/gpu/torch_mlp_cuda.py) where a Python with torch sees the GPU.
 * Where CUDA is unavailable nothing is timed and the result says why.
 */
import { cudaTimeCopy, cudaTimeGemm } from '../backend/host.js';
import * as cuda from '../cuda/index.js';
import { matmul, nn, optim, randn, tensor, type Tensor } from '../index.js';
import { benchScript, findTorch, referenceEnv, runJson } from './python.js';

export interface GpuGemmRow { m: number; n: number; k: number; oursTflops: number; cublasTflops: number; ratio: number }
export interface GpuAdamRow { n: number; oursGBs: number; copyGBs: number; ratio: number }
export interface GpuMlpRow {
  batch: number;
  secondsPerEpoch: number;
  steps: number;
  /** PyTorch CUDA's s/epoch on the same set, or null (torch missing, or without CUDA: `torchNote`). */
  torchSecondsPerEpoch: number | null;
  torchNote: string;
}
export interface GpuFigures { gemm: GpuGemmRow[]; adam: GpuAdamRow[]; mlp: GpuMlpRow[] }

/** Seconds per call of `run`, over enough calls for about `seconds`, after a warm-up, synchronized. */
function timeSynced(run: () => void, seconds = 0.3): number {
  run();
  cuda.synchronize();
  let iters = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < iters; i++) run();
    cuda.synchronize();
    const dt = (performance.now() - t0) / 1e3;
    if (dt >= seconds || iters >= 1 << 16) return dt / iters;
    iters *= Math.max(2, Math.ceil(seconds / Math.max(dt, 1e-6)));
  }
}

function gemmRows(sizes: number[]): GpuGemmRow[] {
  return sizes.map((s) => {
    const a = randn([s, s], { device: 'cuda' });
    const b = randn([s, s], { device: 'cuda' });
    const ours = timeSynced(() => matmul(a, b).dispose());
    const raw = cudaTimeGemm(s, s, s, Math.max(3, Math.ceil(0.3 / Math.max(ours, 1e-6))));
    const flops = 2 * s * s * s;
    a.dispose();
    b.dispose();
    return { m: s, n: s, k: s, oursTflops: flops / ours / 1e12, cublasTflops: flops / raw / 1e12, ratio: raw / ours };
  });
}

function adamRows(sizes: number[]): GpuAdamRow[] {
  return sizes.map((n) => {
    const p = randn([n], { device: 'cuda', requiresGrad: true });
    const opt = new optim.Adam([p], { lr: 1e-3 });
    p.grad = randn([n], { device: 'cuda' });
    const step = timeSynced(() => opt.step());
    const copy = cudaTimeCopy(4 * n, Math.max(3, Math.ceil(0.3 / Math.max(step, 1e-6))));
    opt.dispose();
    const oursGBs = (28 * n) / step / 1e9;
    const copyGBs = (8 * n) / copy / 1e9;
    return { n, oursGBs, copyGBs, ratio: oursGBs / copyGBs };
  });
}

function mlpRows(batches: number[], rows = 60000): GpuMlpRow[] {
  const x = randn([rows, 784], { device: 'cuda' });
  const y = tensor(Int32Array.from({ length: rows }, (_, i) => (i * 7) % 10), [rows], { device: 'cuda' });
  const out = batches.map((batch) => {
    const model = nn.sequential(nn.linear(784, 128), nn.relu(), nn.linear(128, 10)).to('cuda');
    const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
    const lossFn = new nn.CrossEntropyLoss();
    const steps = Math.floor(rows / batch);
    const epoch = () => {
      for (let s = 0; s < steps; s++) {
        const loss: Tensor = lossFn.forward(model.forward(x.rows(s * batch, (s + 1) * batch)), y.rows(s * batch, (s + 1) * batch));
        opt.zeroGrad();
        loss.backward();
        opt.step();
      }
    };
    const seconds = timeSynced(epoch, 0);
    opt.dispose();
    return { batch, secondsPerEpoch: seconds, steps };
  });
  x.dispose();
  y.dispose();
  const torch = torchMlp(rows, batches);
  return out.map((r) => {
    const t = torch.rows?.find((row) => row.batch === r.batch);
    return { ...r, torchSecondsPerEpoch: t ? t.secondsPerEpoch : null, torchNote: torch.note };
  });
}

/** PyTorch CUDA's epochs on the same set (bench/gpu/torch_mlp_cuda.py), or why there are none. */
export function torchMlp(rows: number, batches: number[]): { rows: { batch: number; secondsPerEpoch: number }[] | null; note: string } {
  const torch = findTorch();
  if (!torch) return { rows: null, note: 'torch not found' };
  try {
    const r = runJson<{ available: boolean; reason?: string; torch: string; mlp?: { batch: number; secondsPerEpoch: number }[] }>(
      torch.python, [benchScript('gpu/torch_mlp_cuda.py'), String(rows), ...batches.map(String)], referenceEnv(), 'bench gpu: torch_mlp_cuda.py');
    return r.available ? { rows: r.mlp ?? [], note: `PyTorch ${r.torch}` } : { rows: null, note: `PyTorch ${r.torch}: ${r.reason}` };
  } catch (e) {
    return { rows: null, note: (e as Error).message.split('\n')[0] };
  }
}

/** Every GPU figure; throws where CUDA is unavailable (callers check cuda.isAvailable() first). */
export function gpuFigures(options: { gemmSizes?: number[]; adamSizes?: number[]; mlpBatches?: number[] } = {}): GpuFigures {
  return {
    gemm: gemmRows(options.gemmSizes ?? [1024, 2048, 4096, 8192]),
    adam: adamRows(options.adamSizes ?? [1 << 20, 1 << 24, 1 << 26]),
    mlp: mlpRows(options.mlpBatches ?? [32, 256, 1024]),
  };
}

export function formatGpuFigures(f: GpuFigures): string {
  const lines = ['| GEMM m=n=k | steepest TFLOP/s | raw cuBLAS TFLOP/s | ratio (bar 0.9) |', '|---:|---:|---:|---:|'];
  for (const r of f.gemm) lines.push(`| ${r.m} | ${r.oursTflops.toFixed(2)} | ${r.cublasTflops.toFixed(2)} | ${r.ratio.toFixed(2)} |`);
  lines.push('', '| fused Adam, parameters | steepest GB/s | device copy GB/s | ratio (bar 0.7) |', '|---:|---:|---:|---:|');
  for (const r of f.adam) lines.push(`| ${r.n} | ${r.oursGBs.toFixed(1)} | ${r.copyGBs.toFixed(1)} | ${r.ratio.toFixed(2)} |`);
  lines.push('', `| handbook MLP, batch | steepest s/epoch (60k rows on the device) | PyTorch CUDA s/epoch (${f.mlp[0]?.torchNote ?? '-'}) | steepest / PyTorch | steps |`,
    '|---:|---:|---:|---:|---:|');
  for (const r of f.mlp) {
    const t = r.torchSecondsPerEpoch;
    lines.push(`| ${r.batch} | ${r.secondsPerEpoch.toFixed(3)} | ${t === null ? '-' : t.toFixed(3)} | ${t === null ? '-' : `${(r.secondsPerEpoch / t).toFixed(2)}x`} | ${r.steps} |`);
  }
  return lines.join('\n') + '\n';
}
