/**
 * bench:transformer — training steps per second of the 2-layer Transformer encoder of
 * examples/transformer.ts (d 64, 4 heads, feed-forward 256, sequence 64, batch 32, the sort task:
 * Embedding, position encoding, two TransformerEncoderLayers, Linear per position,
 * cross-entropy, Adam 1e-3) on one fixed batch, side by side in the same run with PyTorch 1.13
 * (bench/transformer/torch_ref.py) at 1 and 2 threads (OMP_WAIT_POLICY=PASSIVE), the faster
 * taken. Ours is timed before and after PyTorch, the faster taken, so background load hits both.
 * Prints a table, writes bench/results/transformer.json.      npm run bench:transformer
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Generator, manualSeed, memoryStats, nn, numThreads, optim } from '../../src/index.js';
import { BATCH, D_MODEL, FEEDFORWARD, HEADS, SEQ, sortBatch, sortTransformer } from '../../examples/transformer.js';

const here = dirname(fileURLToPath(import.meta.url));
const STEPS = Number(process.env.TRANSFORMER_STEPS ?? 30);
const PYTHON = '/usr/bin/python3';

function torch(threads: number): { threads: number; msPerStep: number; torch: string } | null {
  const r = spawnSync(PYTHON, [join(here, 'torch_ref.py'), String(threads), String(STEPS)], {
    encoding: 'utf8', env: { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' }, maxBuffer: 1 << 24,
  });
  if (r.status !== 0) {
    console.log(`  PyTorch reference failed or is missing (${(r.stderr || r.error?.message || '').trim().split('\n').at(-1)}); its columns stay empty`);
    return null;
  }
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

/** ms per training step on a fixed batch, after 5 warm-up steps; and native allocations per step. */
function ours(): { msPerStep: number; allocationsPerStep: number } {
  manualSeed(0);
  const model = sortTransformer();
  const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
  const lossFn = new nn.CrossEntropyLoss();
  const [x, y] = sortBatch(new Generator(0));
  const step = () => {
    const loss = lossFn.forward(model.forward(x), y);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    loss.dispose();
  };
  for (let i = 0; i < 5; i++) step();
  const before = memoryStats().allocations;
  const t = performance.now();
  for (let i = 0; i < STEPS; i++) step();
  return { msPerStep: (performance.now() - t) / STEPS, allocationsPerStep: (memoryStats().allocations - before) / STEPS };
}

function main() {
  console.log(`bench:transformer — 2 encoder layers, d ${D_MODEL}, ${HEADS} heads, feed-forward ${FEEDFORWARD}, sequence ${SEQ}, batch ${BATCH}, ${numThreads()} threads, ${STEPS} steps`);
  const first = ours();
  const torchRuns = [1, 2].map(torch);
  const second = ours();
  const oursMs = Math.min(first.msPerStep, second.msPerStep);
  const best = torchRuns.filter((r) => r !== null).sort((a, b) => a!.msPerStep - b!.msPerStep)[0] ?? null;
  console.log(`  steepest ${first.msPerStep.toFixed(2)} / ${second.msPerStep.toFixed(2)} ms per step (${second.allocationsPerStep} native allocations/step); ` +
    `PyTorch ${torchRuns.map((r, i) => `${i + 1}t ${r ? r.msPerStep.toFixed(2) : '-'}`).join(', ')} ms`);
  const sps = (ms: number | undefined) => (ms ? 1000 / ms : null);
  const [o, p] = [sps(oursMs)!, sps(best?.msPerStep)];
  console.log('\n| measure | steepest | PyTorch 1.13 | steepest / PyTorch |\n|---|---:|---:|---:|');
  console.log(`| train steps per second (batch ${BATCH}, sequence ${SEQ}) | ${o.toFixed(1)} | ${p?.toFixed(1) ?? '-'} | ${p ? `${(o / p).toFixed(2)}x` : '-'} |`);
  console.log(`| ms per step | ${oursMs.toFixed(2)} | ${best?.msPerStep.toFixed(2) ?? '-'} (${best ? `${best.threads} thread${best.threads > 1 ? 's' : ''}` : '-'}) | |`);
  const path = join(here, '..', 'results', 'transformer.json');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, JSON.stringify({
    date: new Date().toISOString(), threads: numThreads(), steps: STEPS,
    model: { layers: 2, dModel: D_MODEL, heads: HEADS, feedforward: FEEDFORWARD, sequence: SEQ, batch: BATCH },
    steepest: { runs: [first, second], stepsPerSecond: o }, pytorch: { runs: torchRuns, stepsPerSecond: p },
  }, null, 2) + '\n');
  renameSync(`${path}.tmp`, path);
  console.log(`\nwrote ${path}`);
}

main();
