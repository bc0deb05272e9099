/**
 * bench/step: one training step (zeroGrad, forward, CrossEntropy, backward, optimizer step) of
 * the handbook MLP 784-128-ReLU-10 at batch 1, 32 and 256: our µs per step, the N-API
 * crossings per step (counted by wrapping every addon function in a counting proxy, in a
 * separate untimed run), and PyTorch's µs per step for the same model in the same run (spawned
 * /usr/bin/python3, 1 and 2 threads, fastest taken), with the ratio ours / PyTorch.
 *
 * Uses optim.Adam when src/optim provides it; otherwise an in-bench SGD step over one packed
 * parameter arena (and PyTorch runs SGD too), and the output says so.
 *
 * Rounds interleave ours and PyTorch's so background load hits both; medians are reported.
 *   npm run bench:step            (STEP_ROUNDS=5 STEP_STEPS=300 to change the effort)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addon as native } from '../../src/backend/addon.js';
import * as optim from '../../src/optim/index.js';
import { memoryStats, nn, noGrad, numThreads, randn, setNumThreads, tensor, Tensor } from '../../src/index.js';
import { binaryKernel, fillKernel, scalarKernel } from '../../src/ops/kernels.js';
import { cpuBackend } from '../../src/backend/cpu.js';
import { Storage } from '../../src/storage.js';

const here = dirname(fileURLToPath(import.meta.url));
const BATCHES = [1, 32, 256];
const ROUNDS = Number(process.env.STEP_ROUNDS ?? 5);
const STEPS = Number(process.env.STEP_STEPS ?? 300);

interface Optimizer {
  zeroGrad(): void;
  step(): void;
}
type AdamCtor = new (params: Tensor[], options: { lr: number }) => Optimizer;
const Adam = (optim as Record<string, unknown>).Adam as AdamCtor | undefined;
const optimName = Adam ? 'adam' : 'sgd';

/** Stand-in until src/optim has Adam: SGD over one packed parameter arena, two kernel calls. */
class ArenaSgd implements Optimizer {
  private readonly params: Tensor;
  private readonly grads: Tensor;
  private readonly scratch: Tensor;
  constructor(list: Tensor[], private readonly lr: number) {
    const total = list.reduce((n, p) => n + p.size, 0);
    const storage = Storage.acquire('float32', total, false, cpuBackend);
    this.params = new Tensor(storage, 0, [total], 'float32');
    this.grads = Tensor.empty([total], 'float32', true, cpuBackend);
    this.scratch = Tensor.empty([total], 'float32', false, cpuBackend);
    let offset = 0;
    for (const p of list) {
      p._rebind(storage, offset);
      p.grad = this.grads.rows(offset, offset + p.size).reshape(p.shape);
      offset += p.size;
    }
  }
  zeroGrad(): void {
    fillKernel(this.grads, 0);
  }
  step(): void {
    noGrad(() => {
      scalarKernel('mul', this.grads, -this.lr, false, this.scratch);
      const plan = { shape: this.params.shape, rows: 1, cols: this.params.size, a: 'full' as const, b: 'full' as const };
      binaryKernel('add', this.params, this.scratch, plan, this.params);
    });
  }
}

function setup(batch: number) {
  const model = nn.sequential(nn.linear(784, 128), nn.relu(), nn.linear(128, 10));
  const optimizer: Optimizer = Adam ? new Adam(model.parameters(), { lr: 1e-3 }) : new ArenaSgd(model.parameters(), 1e-2);
  const lossFn = new nn.CrossEntropyLoss();
  const x = randn([batch, 784]);
  const y = tensor(Int32Array.from({ length: batch }, (_, i) => (i * 7) % 10), [batch]);
  const step = () => {
    const loss = lossFn.forward(model.forward(x), y);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    return loss;
  };
  return step;
}

/**
 * Counts N-API crossings: every addon function is replaced by a counting wrapper, and every
 * NativeBuffer created from now on gets a prototype whose methods (read, write, copyFrom,
 * dispose) and native property accessors (length, dtype, disposed) count too. Must run before any tensor exists, so it runs in a child process
 * (STEP_COUNT_CHILD=1) and the timed process carries no wrappers.
 */
function installCounter(): () => number {
  let calls = 0;
  const addon = native as unknown as Record<string, unknown>;
  const counting = (fn: (...x: unknown[]) => unknown) =>
    function (this: unknown, ...a: unknown[]) {
      calls++;
      return fn.apply(this, a);
    };
  for (const key of Object.keys(addon)) {
    const fn = addon[key];
    if (typeof fn === 'function' && key !== 'NativeBuffer') addon[key] = counting(fn as (...x: unknown[]) => unknown);
  }
  const Original = native.NativeBuffer as unknown as new (...a: unknown[]) => object;
  const proto = Object.create(Original.prototype) as Record<string, unknown>;
  for (const key of ['read', 'write', 'copyFrom', 'dispose']) {
    const fn = counting(Original.prototype[key as keyof object] as (...x: unknown[]) => unknown);
    Object.defineProperty(proto, key, { value: fn }); // the inherited property is read-only
  }
  // Property reads (length, dtype, disposed) are native accessors: crossings too.
  for (const key of ['length', 'dtype', 'disposed']) {
    const desc = Object.getOwnPropertyDescriptor(Original.prototype, key);
    const get = desc?.get;
    if (!get) continue;
    Object.defineProperty(proto, key, {
      get(this: object) {
        calls++;
        return get.call(this);
      },
    });
  }
  addon.NativeBuffer = function (...a: unknown[]) {
    calls++;
    const b = new Original(...a);
    Object.setPrototypeOf(b, proto);
    return b;
  };
  return () => calls;
}

function countChild(): void {
  const count = installCounter();
  const out: Record<number, { crossings: number; allocations: number }> = {};
  for (const b of BATCHES) {
    const step = setup(b);
    for (let i = 0; i < 5; i++) step();
    const a0 = memoryStats().allocations; // read outside the counted window (it is a crossing too)
    const c0 = count();
    const n = 20;
    for (let i = 0; i < n; i++) step();
    const crossings = (count() - c0) / n;
    out[b] = { crossings, allocations: (memoryStats().allocations - a0) / n };
  }
  console.log(JSON.stringify(out));
}

function crossingsPerStep(): Record<number, { crossings: number; allocations: number }> {
  const r = spawnSync(process.execPath, [...process.execArgv, process.argv[1]], {
    env: { ...process.env, STEP_COUNT_CHILD: '1' }, encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`crossing count failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) as string);
}

function oursRound(step: () => unknown): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < STEPS; i++) step();
  return Number(process.hrtime.bigint() - t0) / 1e3 / STEPS;
}

function torchRound(threads: number): Record<number, number[]> {
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const r = spawnSync('/usr/bin/python3', [join(here, 'torch_step.py'), '--threads', String(threads), '--batches', BATCHES.join(','),
    '--optim', optimName, '--steps', String(STEPS), '--rounds', '1'], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`torch_step.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) as string).results;
}

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function main(): void {
  console.log(`bench/step: 784-128-ReLU-10 MLP, CrossEntropy, ${Adam ? 'optim.Adam (lr 1e-3)' : 'in-bench SGD over a packed arena (src/optim has no Adam yet; PyTorch runs SGD too)'}`);
  console.log(`ours: ${numThreads()} native threads; PyTorch 1 and 2 threads; ${ROUNDS} interleaved rounds of ${STEPS} steps, medians\n`);
  const steps = new Map(BATCHES.map((b) => [b, setup(b)]));
  for (const step of steps.values()) for (let i = 0; i < 50; i++) step();
  const ours = new Map<number, number[]>(BATCHES.map((b) => [b, []]));
  const ours1 = new Map<number, number[]>(BATCHES.map((b) => [b, []]));
  const torch = new Map<string, number[]>();
  const defaultThreads = numThreads();
  for (let round = 0; round < ROUNDS; round++) {
    for (const b of BATCHES) ours.get(b)!.push(oursRound(steps.get(b)!));
    // For information: ours on one thread (the acceptance compares the default thread count).
    setNumThreads(1);
    for (const b of BATCHES) ours1.get(b)!.push(oursRound(steps.get(b)!));
    setNumThreads(defaultThreads);
    for (const t of [1, 2]) {
      const res = torchRound(t);
      for (const b of BATCHES) {
        const key = `${t}:${b}`;
        torch.set(key, [...(torch.get(key) ?? []), res[b][0]]);
      }
    }
    process.stdout.write(`round ${round + 1}/${ROUNDS} done\n`);
  }
  const counts = crossingsPerStep();
  const rows = BATCHES.map((b) => {
    const { crossings, allocations } = counts[b];
    const t1 = median(torch.get(`1:${b}`)!);
    const t2 = median(torch.get(`2:${b}`)!);
    const best = Math.min(t1, t2);
    const us = median(ours.get(b)!);
    const us1 = median(ours1.get(b)!);
    return { batch: b, oursUs: us, ours1ThreadUs: us1, crossings, allocationsPerStep: allocations, torch1Us: t1, torch2Us: t2, torchBestUs: best, ratio: us / best,
      oursRounds: ours.get(b), ours1ThreadRounds: ours1.get(b), torch1Rounds: torch.get(`1:${b}`), torch2Rounds: torch.get(`2:${b}`) };
  });
  console.log(`\n| batch | ours µs/step (${defaultThreads}t) | ours 1t µs | N-API calls/step | new buffers/step | torch 1t µs | torch 2t µs | ours / torch best |`);
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(`| ${r.batch} | ${r.oursUs.toFixed(1)} | ${r.ours1ThreadUs.toFixed(1)} | ${r.crossings} | ${r.allocationsPerStep} | ${r.torch1Us.toFixed(1)} | ${r.torch2Us.toFixed(1)} | ${r.ratio.toFixed(3)}x |`);
  }
  const out = join(here, '..', 'results', 'step.json');
  mkdirSync(dirname(out), { recursive: true });
  const body = JSON.stringify({ bench: 'step', optimizer: optimName, threads: numThreads(), rounds: ROUNDS, steps: STEPS, date: new Date().toISOString(), rows }, null, 2);
  writeFileSync(`${out}.tmp`, body);
  renameSync(`${out}.tmp`, out);
  console.log(`\nwrote ${out}`);
}

if (process.env.STEP_COUNT_CHILD) countChild();
else main();
