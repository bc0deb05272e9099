/**
 * `npx steepest bench [gemm|optim|step|mlp|gpu|all] [options]`: the repository's benchmarks
 * (src/bench, the same code as `npm run bench:*`) from the installed package, on short default
 * settings (a few seconds per part; --full for the repository's own), with PyTorch side by side
 * under `--compare torch` where a Python with torch is found.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { packageRoot } from '../backend/host.js';
import { benchGemm, formatGemm, gemmShapes, type GemmReference } from '../bench/gemm.js';
import { benchGpu, formatGpu } from '../bench/gpu.js';
import { benchMlp, formatMlp } from '../bench/mlp.js';
import { benchOptim, formatOptim } from '../bench/optim.js';
import { benchScript, findTorch, LineChild, referenceEnv, type TorchPython } from '../bench/python.js';
import { benchStep, formatStep } from '../bench/step.js';
import { writeFileAtomic } from '../train/atomic_file.js';
import { nearest } from '../tune/options.js';
import { infoReport } from './info.js';
import { intFlag, parseCommand, UsageError } from './tune/args.js';

const COMMAND = 'steepest bench';
const PARTS = ['gemm', 'optim', 'step', 'mlp', 'gpu'] as const;
type Part = (typeof PARTS)[number];

export const BENCH_USAGE = `usage: steepest bench [gemm|optim|step|mlp|gpu|all] [options]

parts (default: all):
  gemm     GEMM GFLOP/s at 1 and all threads, and the % of the measured FMA peak
  optim    fused Adam step GB/s against the measured copy bandwidth
  step     µs per training step of the handbook MLP, N-API calls per step
  mlp      s/epoch and test accuracy of the handbook MLP on Fashion-MNIST
  gpu      the GPU benchmarks ("no GPU" and why, when CUDA is unavailable)

options:
  --json FILE        also write every figure to FILE as JSON
  --compare torch    PyTorch side by side in the same run (needs python3 with torch;
                     STEEPEST_PYTHON picks the interpreter)
  --data DIR         mlp: a folder of Fashion-MNIST IDX files (default: the bundled 6k/1k slice)
  --full             the repository's full settings (minutes per part instead of seconds)
  --rounds N         samples per figure (gemm, optim, step)
  --seconds S        seconds per sample (gemm, optim)
  --steps N          step: timed steps per round
  --epochs N         mlp: epochs per run
  --batches LIST     step, mlp: batch sizes, comma-separated
`;

const FLAGS = {
  json: { type: 'string' }, compare: { type: 'string' }, data: { type: 'string' }, full: { type: 'boolean' },
  rounds: { type: 'string' }, seconds: { type: 'string' }, steps: { type: 'string' }, epochs: { type: 'string' },
  batches: { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;

interface Settings {
  full: boolean;
  rounds?: number;
  seconds?: number;
  steps?: number;
  epochs?: number;
  batches?: number[];
  data?: string;
  torch: TorchPython | null;
}

function positiveNumber(values: Record<string, unknown>, name: string): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`${COMMAND}: --${name} must be a number > 0, got '${String(v)}'`);
  return n;
}

function batchList(v: unknown): number[] | undefined {
  if (v === undefined) return undefined;
  const list = String(v).split(',').map((s) => Number(s.trim()));
  if (!list.length || list.some((b) => !Number.isSafeInteger(b) || b < 1)) {
    throw new UsageError(`${COMMAND}: --batches must be positive integers separated by commas, got '${String(v)}'`);
  }
  return list;
}

/** One part on the quick (default) settings, or the repository's (--full), with any overrides. */
async function runPart(part: Part, s: Settings, log: (line: string) => void): Promise<{ result: unknown; text: string }> {
  switch (part) {
    case 'gemm': {
      let reference: GemmReference | undefined;
      let child: LineChild | null = null;
      if (s.torch) {
        child = new LineChild(s.torch.python, [benchScript('gemm/torch_gemm.py')], referenceEnv(), 'bench gemm: torch_gemm.py');
        const ready = await child.next();
        const c = child;
        reference = { name: `PyTorch ${ready.replace(/^ready /, '')}`, ask: (cmd) => c.ask(cmd) };
      }
      try {
        const result = await benchGemm(s.full
          ? { reference, log, ...(s.rounds ? { minRounds: s.rounds } : {}), ...(s.seconds ? { sampleSeconds: s.seconds } : {}) }
          : { reference, log, shapes: gemmShapes([256, 1024], [32]), minRounds: s.rounds ?? 3, maxRounds: Math.max(s.rounds ?? 3, 9),
            sampleSeconds: s.seconds ?? 0.05, peakSamples: 3 });
        return { result, text: formatGemm(result) };
      } finally {
        child?.close();
      }
    }
    case 'optim': {
      const result = await benchOptim({ torch: s.torch, log, ...(s.full ? {} : { reps: 3, sampleSeconds: 0.05 }),
        ...(s.rounds ? { reps: s.rounds } : {}), ...(s.seconds ? { sampleSeconds: s.seconds } : {}) });
      return { result, text: formatOptim(result) };
    }
    case 'step': {
      const result = benchStep({ torch: s.torch, log, ...(s.full ? {} : { rounds: 3, steps: 100 }),
        ...(s.rounds ? { rounds: s.rounds } : {}), ...(s.steps ? { steps: s.steps } : {}), ...(s.batches ? { batches: s.batches } : {}) });
      return { result, text: formatStep(result) };
    }
    case 'mlp': {
      const result = await benchMlp({ torch: s.torch, log, data: s.data, ...(s.full ? {} : { epochs: 1, batches: [32, 256] }),
        ...(s.epochs ? { epochs: s.epochs } : {}), ...(s.batches ? { batches: s.batches } : {}) });
      return { result, text: formatMlp(result) };
    }
    case 'gpu': {
      const result = benchGpu();
      return { result, text: formatGpu(result) };
    }
  }
}

/** The command: runs the parts, prints their tables, writes --json; returns the exit code. */
export async function runBench(args: string[]): Promise<number> {
  const { values: v, positionals } = parseCommand(COMMAND, args, FLAGS);
  if (v.help) {
    process.stdout.write(BENCH_USAGE);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`${COMMAND}: one part at a time, got '${positionals.join(' ')}' (usage: steepest bench [gemm|optim|step|mlp|gpu|all])`);
  const name = positionals[0] ?? 'all';
  if (name !== 'all' && !(PARTS as readonly string[]).includes(name)) {
    const near = nearest(name, [...PARTS, 'all']);
    throw new UsageError(`${COMMAND}: unknown part '${name}'${near ? ` (did you mean '${near}'?)` : ''}; the parts: ${PARTS.join(', ')}, all`);
  }
  if (v.compare !== undefined && v.compare !== 'torch') throw new UsageError(`${COMMAND}: --compare takes 'torch', got '${String(v.compare)}'`);
  if (v.json === '') throw new UsageError(`${COMMAND}: --json needs a file name`);
  const parts: Part[] = name === 'all' ? [...PARTS] : [name as Part];
  let torch: TorchPython | null = null;
  if (v.compare === 'torch') {
    torch = findTorch();
    if (!torch) process.stderr.write(`${COMMAND}: --compare torch: torch not found (tried ${process.env.STEEPEST_PYTHON || 'python3, /usr/bin/python3'}); going on without it\n`);
  }
  const settings: Settings = {
    full: v.full === true, torch, data: typeof v.data === 'string' ? resolve(v.data) : undefined,
    rounds: intFlag(COMMAND, v, 'rounds', 1), seconds: positiveNumber(v, 'seconds'), steps: intFlag(COMMAND, v, 'steps', 1),
    epochs: intFlag(COMMAND, v, 'epochs', 1), batches: batchList(v.batches),
  };
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const results: Record<string, unknown> = {};
  for (const part of parts) {
    process.stdout.write(`\n== steepest bench ${part}\n`);
    const { result, text } = await runPart(part, settings, log);
    process.stdout.write(text);
    results[part] = result;
  }
  if (typeof v.json === 'string') {
    const pkg = JSON.parse(readFileSync(`${packageRoot}/package.json`, 'utf8')) as { version: string };
    const body = { steepest: pkg.version, date: new Date().toISOString(), settings: { ...settings, torch: torch?.torch ?? null }, system: infoReport(), ...results };
    writeFileAtomic(resolve(v.json), JSON.stringify(body, null, 2) + '\n');
    process.stdout.write(`\nwrote ${resolve(v.json)}\n`);
  }
  return 0;
}
