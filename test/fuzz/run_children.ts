/**
 * The parent side: runs targets in child processes (child.ts), a few at once, and collects one
 * result per case. A child that dies mid-case (a signal, an abort, a non-zero exit) marks that
 * case a crash; one silent for STALL_MS marks it a hang and is killed; either way a fresh child
 * continues with the next case.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Outcome } from './classify.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const STALL_MS = 20_000;

export interface CaseResult {
  key: string;
  index: number;
  name: string;
  outcome: Outcome;
  message: string;
}

export interface RunReport {
  results: CaseResult[];
  skipped: [string, string][];
  /** Errors raised outside any call (an unhandled rejection), with the case in flight. */
  strays: string[];
}

interface ChildEnd {
  done: boolean;
  inFlight: [string, number] | null;
  why: string;
}

function runChild(requests: [string, number][], report: RunReport): Promise<ChildEnd> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'child.ts'), JSON.stringify(requests)], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    let inFlight: [string, number] | null = null;
    let done = false;
    let stalled = false;
    let stderr = '';
    let pending = '';
    let timer = setTimeout(stall, STALL_MS);
    function stall() {
      stalled = true;
      child.kill('SIGKILL');
    }
    child.stderr!.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    child.stdio[3]!.on('data', (d: Buffer) => {
      clearTimeout(timer);
      timer = setTimeout(stall, STALL_MS);
      pending += d.toString();
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const msg = JSON.parse(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
        if (msg.start) inFlight = msg.start;
        else if (msg.done) done = true;
        else if (msg.skip) report.skipped.push(msg.skip);
        else if (msg.stray) report.strays.push(`${msg.stray[0]?.join(' case ') ?? 'no case'}: ${msg.stray[1]}`);
        else {
          const [key, index, name, outcome, message] = msg.r;
          report.results.push({ key, index, name, outcome, message });
          inFlight = null;
        }
      }
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const why = stalled ? `no progress for ${STALL_MS / 1000} s` : signal ? `signal ${signal}` : `exit status ${code}`;
      resolve({ done: done && code === 0, inFlight, why: `${why}${stderr ? `; stderr: ${stderr.trim().slice(-600)}` : ''}` });
      void stalled;
    });
  });
}

/** Runs every key's cases; a case that kills or stalls its child is recorded and skipped. */
async function runQueue(keys: string[], report: RunReport): Promise<void> {
  let requests: [string, number][] = keys.map((k) => [k, 0]);
  while (requests.length > 0) {
    const end = await runChild(requests, report);
    if (end.done) return;
    if (!end.inFlight) throw new Error(`fuzz child died outside a case (${end.why})`);
    const [key, index] = end.inFlight;
    report.results.push({ key, index, name: `case ${index}`, outcome: end.why.startsWith('no progress') ? 'hang' : 'crash', message: end.why });
    const at = requests.findIndex(([k]) => k === key);
    requests = [[key, index + 1], ...requests.slice(at + 1)];
  }
}

/** Runs `keys` over `workers` children at once (keys dealt round-robin). */
export async function runFuzz(keys: string[], workers: number): Promise<RunReport> {
  const report: RunReport = { results: [], skipped: [], strays: [] };
  const queues = Array.from({ length: workers }, (_, w) => keys.filter((_, i) => i % workers === w));
  await Promise.all(queues.map((q) => runQueue(q, report)));
  return report;
}
