/**
 * Peak-memory check of loadCsv on a generated file: writes a numeric CSV of about --mb MB
 * (20 feature columns + a label), loads it, and reports the growth of the process's peak RSS
 * (VmHWM, in a fresh child process) against the size of the resulting tensors.
 *   tsx bench/data/csv_memory.ts --mb 200 [--json]
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadCsv } from '../../src/data/csv.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};

export interface CsvMemoryResult {
  fileMB: number;
  rows: number;
  resultMB: number;
  peakGrowthMB: number;
  loadSeconds: number;
  parseMBps: number;
}

async function generate(path: string, targetMB: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(Array.from({ length: 20 }, (_, j) => `f${j}`).join(',') + ',label\n');
  let bytes = 0;
  let i = 0;
  while (bytes < targetMB * 1e6) {
    const lines: string[] = [];
    for (let r = 0; r < 1000; r++, i++) {
      const fields = Array.from({ length: 20 }, (_, j) => (((i * 31 + j * 17) % 1000) / 7).toFixed(4));
      lines.push(`${fields.join(',')},${i % 10}`);
    }
    const chunk = lines.join('\n') + '\n';
    bytes += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/**
 * Peak RSS of this process in MB: VmHWM of the current address space. getrusage's maxrss
 * would also carry the high-water mark of the parent image this process was forked from.
 */
function peakRssMB(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux: fall back below
  }
  return process.resourceUsage().maxRSS / 1024;
}

/** Loads `path` in this process and measures the growth of its peak RSS. */
async function loadAndMeasure(path: string): Promise<Omit<CsvMemoryResult, 'fileMB'>> {
  const before = peakRssMB();
  const t0 = performance.now();
  const r = await loadCsv(path, { labelColumn: 'label' });
  const loadSeconds = (performance.now() - t0) / 1000;
  const peak = peakRssMB();
  if (process.env.CSV_MEMORY_DEBUG) console.error({ before, peak, ...Object.fromEntries(Object.entries(process.memoryUsage()).map(([k, v]) => [k, v / 2 ** 20])) });
  const resultMB = (r.features.size * 4 + (r.labels?.size ?? 0) * 4) / 2 ** 20;
  const fileMB = statSync(path).size / 1e6;
  return { rows: r.features.shape[0], resultMB, peakGrowthMB: peak - before, loadSeconds, parseMBps: fileMB / loadSeconds };
}

/**
 * Generates a file, then loads it in a fresh child process (peak RSS is a high-water mark, so
 * the generation must not share the process); deletes the file afterwards.
 */
export async function measureCsvMemory(targetMB: number): Promise<CsvMemoryResult> {
  const dir = mkdtempSync(join(tmpdir(), 'steepest-csvmem-'));
  const path = join(dir, 'big.csv');
  try {
    await generate(path, targetMB);
    const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--load', path],
      { encoding: 'utf8', maxBuffer: 1 << 20 });
    return { fileMB: statSync(path).size / 1e6, ...JSON.parse(out.trim().split('\n').pop()!) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('csv_memory.ts')) {
  if (process.argv.includes('--load')) {
    console.log(JSON.stringify(await loadAndMeasure(arg('load', ''))));
  } else {
    const r = await measureCsvMemory(Number(arg('mb', '200')));
    console.log(process.argv.includes('--json') ? JSON.stringify(r) : r);
  }
}
