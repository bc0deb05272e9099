/**
 * bench:lstm — a 1-layer LSTM (input 32, hidden 128) over sequences of 50 in batches of 32, its
 * last hidden state through a Linear to 10 classes, cross-entropy, Adam 1e-3: training steps
 * per second (forward, backward through time, Adam) on a fixed batch, side by side in the same
 * run with PyTorch 1.13 CPU (bench/lstm/torch_ref.py) at 1 and 2 threads (OMP_WAIT_POLICY=PASSIVE),
 * the faster taken; each side times LSTM_ROUNDS rounds of LSTM_STEPS steps and keeps its best
 * round, and ours runs before and after PyTorch, so background load hits both sides alike.
 * Also native allocations per step (0 in steady state).
 * Prints a table, writes bench/results/lstm.json.      npm run bench:lstm
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { manualSeed, memoryStats, nn, numThreads, optim, randn, tensor } from '../../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const STEPS = Number(process.env.LSTM_STEPS ?? 10);
const ROUNDS = Number(process.env.LSTM_ROUNDS ?? 3);
const [T, B, I, H, C] = [50, 32, 32, 128, 10];

function torch(threads: number): Record<string, unknown> | null {
  const r = spawnSync('/usr/bin/python3', [join(here, 'torch_ref.py'), String(threads), String(STEPS), String(ROUNDS)],
    { encoding: 'utf8', env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' } });
  if (r.status !== 0) {
    console.log(`  PyTorch reference failed or is missing (${(r.stderr || r.error?.message || '').trim().split('\n').at(-1)}); its column stays empty`);
    return null;
  }
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

/** The best round's steps per second after 5 warm-up steps, and native allocations per timed step. */
function ours(): { stepsPerSecond: number; allocationsPerStep: number } {
  manualSeed(0);
  const lstm = new nn.LSTM(I, H);
  const head = new nn.Linear(H, C);
  const optimizer = new optim.Adam([...lstm.parameters(), ...head.parameters()], { lr: 1e-3 });
  const lossFn = new nn.CrossEntropyLoss();
  const x = randn([T, B, I]);
  const y = tensor(Int32Array.from({ length: B }, (_, i) => i % C), [B], { dtype: 'int32' });
  const step = () => {
    const [output, [h, c]] = lstm.forward(x);
    const last = h.reshape(B, H);
    const logits = head.forward(last);
    const loss = lossFn.forward(logits, y);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    for (const t of [output, h, c, last, logits, loss]) t.dispose();
  };
  for (let i = 0; i < 5; i++) step();
  const before = memoryStats().allocations;
  let best = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = performance.now();
    for (let i = 0; i < STEPS; i++) step();
    best = Math.max(best, (1000 * STEPS) / (performance.now() - t0));
  }
  return { stepsPerSecond: best, allocationsPerStep: (memoryStats().allocations - before) / (STEPS * ROUNDS) };
}

function main() {
  console.log(`bench:lstm — LSTM(${I}, ${H}), sequence ${T}, batch ${B}, Linear(${H}, ${C}) on the last hidden state, Adam; ${numThreads()} threads, best of ${ROUNDS} rounds of ${STEPS} steps`);
  const first = ours();
  const torchRuns = [1, 2].map((threads) => ({ threads, result: torch(threads) }));
  const second = ours();
  const best = Math.max(first.stepsPerSecond, second.stepsPerSecond);
  const torchBest = torchRuns.filter((r) => r.result).sort((a, b) => (b.result!.stepsPerSecond as number) - (a.result!.stepsPerSecond as number))[0];
  const torchSps = torchBest ? (torchBest.result!.stepsPerSecond as number) : null;
  console.log(`  steepest ${first.stepsPerSecond.toFixed(2)} / ${second.stepsPerSecond.toFixed(2)} steps/s (${first.allocationsPerStep} native allocations/step); ` +
    `PyTorch ${torchRuns.map((r) => `${r.threads}t ${r.result ? (r.result.stepsPerSecond as number).toFixed(2) : '-'}`).join(', ')} steps/s`);
  console.log('\n| measure | steepest | PyTorch 1.13 | steepest / PyTorch |\n|---|---:|---:|---:|');
  console.log(`| training steps/s (T ${T}, B ${B}, H ${H}) | ${best.toFixed(2)} | ${torchSps?.toFixed(2) ?? '-'} | ${torchSps ? `${(best / torchSps).toFixed(2)}x` : '-'} |`);
  console.log(`| native allocations per step | ${first.allocationsPerStep} | | |`);
  const path = join(here, '..', 'results', 'lstm.json');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, JSON.stringify({ date: new Date().toISOString(), threads: numThreads(), steps: STEPS, rounds: ROUNDS, shape: { T, B, I, H, C },
    steepest: [first, second], pytorch: torchRuns, ratio: torchSps ? best / torchSps : null }, null, 2) + '\n');
  renameSync(`${path}.tmp`, path);
  console.log(`\nwrote ${path}`);
}

main();
