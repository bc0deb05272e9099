/**
 * `npm run bench:gpu`: on a machine with an NVIDIA GPU, steepest's GEMM against raw cuBLAS, its
 * fused Adam against the device's copy bandwidth, and the handbook MLP epoch at batch 32, 256
 * and 1024 (src/bench/gpu_figures.ts, shared with `npx steepest bench gpu`); writes
 * bench/results/gpu.json. Without a usable GPU it prints "no GPU" with the reason and exits 0.
 */
import { benchGpu, formatGpu } from '../../src/bench/gpu.js';
import { writeResult } from '../write_result.js';

const result = benchGpu();
process.stdout.write(formatGpu(result));
if (result.available) writeResult('gpu', result);
