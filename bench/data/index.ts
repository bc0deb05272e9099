/**
 * `npm run bench:data`: the data pipeline against its references, side by side in one run.
 *
 * 1. Loader samples/s on Fashion-MNIST train (60,000 x 784): seeded shuffle + native gather +
 *    Standardize, per epoch; next to torch's randperm + index_select + standardize, and to the
 *    rate at which the handbook MLP (784-128-10, Adam, batch 32) trains in PyTorch, measured
 *    here (1 thread) and as the reference figure 60,000 samples / 1.1 s. Acceptance: >= 10x.
 * 2. SMOTE on 20,000 x 50, 10:1, k = 5, next to imbalanced-learn's: seconds, ratio, counts.
 * 3. loadCsv on a generated 200 MB CSV: peak RSS growth against the size of the result.
 * Ours and the reference alternate in rounds and medians are reported: the machine is shared.
 * Options: --rounds N (default 3), --csv-mb N (default 200, 0 skips), --quick (1 round, no MLP).
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFashionMnist } from '../../src/data/fashion_mnist.js';
import { numThreads } from '../../src/runtime.js';
import { measureCsvMemory } from './csv_memory.js';
import { loaderEpochSeconds } from './loader_bench.js';
import { median, runReference } from './reference_runner.js';
import { SMOTE_D, SMOTE_N, smoteSeconds, smoteWorkload, writeWorkload } from './smote_bench.js';

const FASHION = '/usr/share/datasets/fashion-mnist';
/** The handbook MLP's consumption in the PyTorch reference (shared/ref: 1.1 s per 60k-sample epoch at batch 32). */
const HANDBOOK_MLP_SAMPLES_PER_S = 60000 / 1.1;

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const quick = process.argv.includes('--quick');
const rounds = quick ? 1 : arg('rounds', 3);
const csvMB = arg('csv-mb', quick ? 0 : 200);

const rows: string[][] = [];
const fmt = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

// 1. Loader
const fm = await loadFashionMnist(FASHION);
const loader: Record<string, unknown> = {};
for (const batch of [32, 128]) {
  const ours: number[] = [];
  const torch: number[] = [];
  for (let r = 0; r < rounds; r++) {
    ours.push(...loaderEpochSeconds(fm.train.images, fm.train.labels, batch, 3).map((s) => 60000 / s));
    torch.push(...runReference('loader', FASHION, String(batch)).seconds.map((s) => 60000 / s));
  }
  loader[`batch${batch}`] = { oursSamplesPerS: median(ours), torchSamplesPerS: median(torch), oursAll: ours, torchAll: torch };
  rows.push([`loader samples/s, batch ${batch}`, fmt(median(ours)), fmt(median(torch)), `${fmt(median(ours) / median(torch), 2)}x`]);
}
let mlpMeasured: number | null = null;
if (!quick) {
  const mlp = runReference('mlp', FASHION);
  mlpMeasured = median(mlp.seconds.map((s) => 60000 / s));
  rows.push(['torch MLP trains, samples/s (bs 32, 1 thread)', '', fmt(mlpMeasured), '']);
}
const b32 = (loader.batch32 as { oursSamplesPerS: number }).oursSamplesPerS;
rows.push(['loader / handbook MLP (60000/1.1 s)', fmt(b32), fmt(HANDBOOK_MLP_SAMPLES_PER_S), `${fmt(b32 / HANDBOOK_MLP_SAMPLES_PER_S, 1)}x (need >= 10x)`]);
if (mlpMeasured) rows.push(['loader / MLP measured here', fmt(b32), fmt(mlpMeasured), `${fmt(b32 / mlpMeasured, 1)}x (need >= 10x)`]);

// 2. SMOTE
const work = smoteWorkload();
const dir = mkdtempSync(join(tmpdir(), 'steepest-smote-'));
const prefix = join(dir, 'smote');
writeWorkload(prefix, work.x, work.y);
const oursSmote: number[] = [];
const refSmote: number[] = [];
let oursCounts: Record<string, number> = {};
let refCounts: Record<string, number> = {};
try {
  for (let r = 0; r < rounds; r++) {
    const o = smoteSeconds(work.x, work.y, 3);
    oursSmote.push(...o.seconds);
    oursCounts = o.counts;
    const p = runReference('smote', prefix, String(SMOTE_N), String(SMOTE_D));
    refSmote.push(...p.seconds);
    refCounts = p.counts!;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const countsMatch = JSON.stringify(oursCounts) === JSON.stringify(refCounts);
rows.push([`SMOTE ${SMOTE_N}x${SMOTE_D} 10:1, ms`, fmt(median(oursSmote) * 1000, 1), fmt(median(refSmote) * 1000, 1),
  `${fmt(median(refSmote) / median(oursSmote), 2)}x faster`]);
rows.push(['SMOTE class counts', JSON.stringify(oursCounts), JSON.stringify(refCounts), countsMatch ? 'match' : 'MISMATCH']);

// 3. CSV memory
let csv: Awaited<ReturnType<typeof measureCsvMemory>> | null = null;
if (csvMB > 0) {
  csv = await measureCsvMemory(csvMB);
  rows.push([`loadCsv ${fmt(csv.fileMB)} MB file: peak RSS growth MB`, fmt(csv.peakGrowthMB, 1), `result ${fmt(csv.resultMB, 1)}`,
    `${fmt(csv.peakGrowthMB - csv.resultMB, 1)} MB over the result`]);
  rows.push(['loadCsv parse speed MB/s', fmt(csv.parseMBps, 1), '', '']);
}

const header = ['measure', 'steepest', 'reference', 'ratio'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join(' | ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const r of rows) console.log(line(r));
console.log(`\nthreads: steepest ${numThreads()}, torch 1 (+ OpenBLAS default for imblearn); rounds ${rounds}, medians; shared machine: figures are noisy`);

const result = {
  date: new Date().toISOString(),
  threads: numThreads(),
  rounds,
  loader,
  handbookMlpSamplesPerS: HANDBOOK_MLP_SAMPLES_PER_S,
  mlpMeasuredSamplesPerS: mlpMeasured,
  loaderOverHandbookMlp: b32 / HANDBOOK_MLP_SAMPLES_PER_S,
  loaderOverMeasuredMlp: mlpMeasured ? b32 / mlpMeasured : null,
  smote: { oursMs: median(oursSmote) * 1000, imblearnMs: median(refSmote) * 1000, speedup: median(refSmote) / median(oursSmote),
    oursAllMs: oursSmote.map((s) => s * 1000), imblearnAllMs: refSmote.map((s) => s * 1000), oursCounts, imblearnCounts: refCounts, countsMatch },
  csv,
};
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'results', 'data.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(`${out}.tmp`, JSON.stringify(result, null, 2));
renameSync(`${out}.tmp`, out);
console.log(`wrote ${out}`);
