/**
 * The training-step benchmark (`steepest bench step`, `npm run bench:step`): µs per step of the
 * handbook MLP (handbook_step.ts) at several batch sizes, at the default thread count and at 1
 * thread, the N-API crossings and new native buffers per step (counted in a child process,
 * step_crossings.ts), and with a torch Python, PyTorch's µs per step for the same model
 * (bench/step/torch_step.py at 1 and 2 threads, the faster taken) and the ratio ours / PyTorch.
 * Rounds interleave ours and PyTorch's so background load hits both; figures are medians.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { numThreads, setNumThreads } from '../runtime.js';
import { handbookStep } from './handbook_step.js';
import { benchScript, referenceEnv, runJson, type TorchPython } from './python.js';
import { median } from './stats.js';

export interface StepOptions {
  batches?: number[];
  rounds?: number;
  /** Timed steps per round. */
  steps?: number;
  torch?: TorchPython | null;
  log?: (line: string) => void;
}

export interface StepRow {
  batch: number;
  oursUs: number; ours1ThreadUs: number;
  crossings: number; allocationsPerStep: number;
  torch1Us?: number; torch2Us?: number; torchBestUs?: number;
  /** ours / the faster PyTorch. */
  ratio?: number;
  oursRounds: number[]; ours1ThreadRounds: number[]; torch1Rounds?: number[]; torch2Rounds?: number[];
}

export interface StepResult {
  bench: 'step';
  optimizer: 'adam';
  threads: number;
  rounds: number;
  steps: number;
  torch: string | null;
  date: string;
  rows: StepRow[];
}

/** The crossing counts from a fresh process running step_crossings (.ts under tsx, .js from dist). */
function crossingsPerStep(batches: number[]): Record<number, { crossings: number; allocations: number }> {
  const child = fileURLToPath(new URL(`./step_crossings${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));
  const r = spawnSync(process.execPath, [...process.execArgv, child, batches.join(',')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench step: the crossing count failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) as string);
}

function oursRound(step: () => void, steps: number): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < steps; i++) step();
  return Number(process.hrtime.bigint() - t0) / 1e3 / steps;
}

export function benchStep(o: StepOptions = {}): StepResult {
  const batches = o.batches ?? [1, 32, 256];
  const rounds = o.rounds ?? 5;
  const steps = o.steps ?? 300;
  const log = o.log ?? (() => {});
  const torchRound = (python: string, threads: number) =>
    runJson<{ results: Record<number, number[]>; torch: string }>(python, [benchScript('step/torch_step.py'), '--threads', String(threads),
      '--batches', batches.join(','), '--optim', 'adam', '--steps', String(steps), '--rounds', '1'], referenceEnv(threads), 'bench step: torch_step.py');
  const stepFns = new Map(batches.map((b) => [b, handbookStep(b)]));
  for (const step of stepFns.values()) for (let i = 0; i < 50; i++) step();
  const ours = new Map<number, number[]>(batches.map((b) => [b, []]));
  const ours1 = new Map<number, number[]>(batches.map((b) => [b, []]));
  const torch = new Map<string, number[]>();
  let torchVersion: string | null = null;
  const defaultThreads = numThreads();
  for (let round = 0; round < rounds; round++) {
    for (const b of batches) ours.get(b)!.push(oursRound(stepFns.get(b)!, steps));
    setNumThreads(1);
    try {
      for (const b of batches) ours1.get(b)!.push(oursRound(stepFns.get(b)!, steps));
    } finally {
      setNumThreads(defaultThreads);
    }
    if (o.torch) {
      for (const t of [1, 2]) {
        const res = torchRound(o.torch.python, t);
        torchVersion = res.torch;
        for (const b of batches) torch.set(`${t}:${b}`, [...(torch.get(`${t}:${b}`) ?? []), res.results[b][0]]);
      }
    }
    log(`  round ${round + 1}/${rounds} done`);
  }
  const counts = crossingsPerStep(batches);
  const rows = batches.map((b): StepRow => {
    const row: StepRow = {
      batch: b, oursUs: median(ours.get(b)!), ours1ThreadUs: median(ours1.get(b)!), crossings: counts[b].crossings,
      allocationsPerStep: counts[b].allocations, oursRounds: ours.get(b)!, ours1ThreadRounds: ours1.get(b)!,
    };
    if (o.torch) {
      const t1 = median(torch.get(`1:${b}`)!), t2 = median(torch.get(`2:${b}`)!);
      Object.assign(row, { torch1Us: t1, torch2Us: t2, torchBestUs: Math.min(t1, t2), ratio: row.oursUs / Math.min(t1, t2),
        torch1Rounds: torch.get(`1:${b}`), torch2Rounds: torch.get(`2:${b}`) });
    }
    return row;
  });
  return { bench: 'step', optimizer: 'adam', threads: defaultThreads, rounds, steps, torch: torchVersion, date: new Date().toISOString(), rows };
}

export function formatStep(r: StepResult): string {
  const t = r.torch !== null;
  const lines = [
    `784-128-ReLU-10 MLP, CrossEntropy, optim.Adam (lr 1e-3); ours: ${r.threads} native threads${t ? `; PyTorch ${r.torch}, 1 and 2 threads` : ''}; ` +
      `${r.rounds} rounds of ${r.steps} steps, medians\n`,
    `| batch | ours µs/step (${r.threads}t) | ours 1t µs | N-API calls/step | new buffers/step |${t ? ' torch 1t µs | torch 2t µs | ours / torch best |' : ''}`,
    `|---:|---:|---:|---:|---:|${t ? '---:|---:|---:|' : ''}`,
  ];
  for (const x of r.rows) {
    lines.push(`| ${x.batch} | ${x.oursUs.toFixed(1)} | ${x.ours1ThreadUs.toFixed(1)} | ${x.crossings} | ${x.allocationsPerStep} |` +
      (t ? ` ${x.torch1Us!.toFixed(1)} | ${x.torch2Us!.toFixed(1)} | ${x.ratio!.toFixed(3)}x |` : ''));
  }
  return lines.join('\n') + '\n';
}
