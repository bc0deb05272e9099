/**
 * Child process of worker_terminate.test.ts: starts worker threads that run ops, train.fit or
 * the data loaders, and terminates each at a random moment (a tenth of them while they are
 * still starting up, loading the library and the addon). Meanwhile the main thread repeats a
 * computation of its own and compares it bit for bit with the result it had before any worker
 * ran. Prints one JSON line: terminations, checks, mismatches and any worker errors.
 *
 * Usage: node --import tsx worker_terminate_child.ts [terminations=100] [seed=1]
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { manualSeed, matmul, nn, optim, randn, tensor } from '../../src/index.js';
import type { WorkerJob } from './worker_terminate_worker.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const terminations = Number(process.argv[2] ?? 100);
let seed = Number(process.argv[3] ?? 1);
const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);

// The bundle sits two levels below the package root, where the library looks for its addon
// (build/ may be absent where the addon came from prebuilds/: then it is removed again).
const hadBuild = existsSync(join(root, 'build'));
mkdirSync(join(root, 'build'), { recursive: true });
const bundleDir = mkdtempSync(join(root, 'build', 'worker-terminate-'));
const dataDir = mkdtempSync(join(tmpdir(), 'steepest-worker-terminate-'));
try {
  const workerFile = join(bundleDir, 'worker.mjs');
  await build({
    entryPoints: [join(here, 'worker_terminate_worker.ts')], outfile: workerFile,
    bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'error',
  });

  const csv = join(dataDir, 'rows.csv');
  writeFileSync(csv, 'a,b,c,y\n' + Array.from({ length: 2000 }, (_, i) => `${i},${i * 0.5},${-i},${i % 3}`).join('\n') + '\n');
  const idxGz = join(dataDir, 'images.gz');
  const header = Buffer.alloc(16);
  header[2] = 0x08;
  header[3] = 3;
  [200, 28, 28].forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  writeFileSync(idxGz, gzipSync(Buffer.concat([header, Buffer.alloc(200 * 784, 7)])));
  const files = { csv, idxGz, mnist: join(root, 'examples', 'data', 'fashion-mnist') };

  /** The main thread's own work: Adam steps on an MLP and a 192x192 product, as bytes. */
  const mainWork = (): Buffer => {
    manualSeed(42);
    const model = nn.sequential(nn.linear(48, 64), nn.relu(), nn.linear(64, 5));
    const optimizer = new optim.Adam(model.parameters(), { lr: 0.01 });
    const lossFn = new nn.CrossEntropyLoss();
    const x = randn([64, 48]);
    const y = tensor(Int32Array.from({ length: 64 }, (_, i) => i % 5), [64]);
    for (let s = 0; s < 3; s++) {
      const loss = lossFn.forward(model.forward(x), y);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
    }
    const parts = [...model.parameters(), matmul(randn([192, 192]), randn([192, 192]))].map((t) => t.toFloat32Array());
    return Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength)));
  };
  const reference = mainWork();

  const jobs: WorkerJob['job'][] = ['ops', 'fit', 'data'];
  const errors: string[] = [];
  let checks = 0;
  let mismatches = 0;
  let duringStartup = 0;
  for (let i = 0; i < terminations; i++) {
    const job = jobs[i % jobs.length];
    const worker = new Worker(workerFile, { workerData: { job, seed: i, ...files } satisfies WorkerJob });
    let stopping = false;
    worker.on('error', (err) => {
      if (!stopping) errors.push(`${job} worker ${i}: ${err.stack ?? err}`);
    });
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
    if (i % 10 === 9) {
      duringStartup++;
    } else {
      const ready = new Promise<boolean>((resolve) => {
        worker.once('message', () => resolve(true));
        void exited.then(() => resolve(false));
      });
      if (!(await ready)) {
        errors.push(`${job} worker ${i} exited before it was ready`);
        continue;
      }
    }
    // The moment: a random point within the next 30 ms of the worker's loop (or its start-up).
    const deadline = performance.now() + random() * 30;
    do {
      if (!mainWork().equals(reference)) mismatches++;
      checks++;
      await new Promise((resolve) => setImmediate(resolve));
    } while (performance.now() < deadline);
    stopping = true;
    await worker.terminate();
    await exited;
  }
  if (!mainWork().equals(reference)) mismatches++;
  console.log(JSON.stringify({ terminations, duringStartup, checks, mismatches, errors }));
} finally {
  rmSync(bundleDir, { recursive: true, force: true });
  if (!hadBuild) rmSync(join(root, 'build'), { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
}
