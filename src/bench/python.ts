/**
 * The PyTorch side of `--compare torch`: a Python 3 with torch (STEEPEST_PYTHON when set, else
 * python3 on PATH, else /usr/bin/python3), the reference scripts shipped in the package's bench/ folder, and
 * a child process that answers one request line with one result line.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { packageRoot } from '../backend/host.js';

export interface TorchPython {
  python: string;
  torch: string;
}

let found: TorchPython | null | undefined;

/** The first Python that imports torch, or null (cached for the process). */
export function findTorch(): TorchPython | null {
  if (found !== undefined) return found;
  const candidates = process.env.STEEPEST_PYTHON ? [process.env.STEEPEST_PYTHON] : ['python3', '/usr/bin/python3'];
  found = null;
  for (const python of candidates) {
    const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 120_000 });
    if (r.status === 0) {
      found = { python, torch: r.stdout.trim() };
      break;
    }
  }
  return found;
}

/** A reference script of the package: bench/<name> (shipped in the tarball, see package.json "files"). */
export const benchScript = (name: string): string => join(packageRoot, 'bench', name);

/**
 * The environment of a reference process: `threads` for OpenMP, OpenBLAS and MKL (set before
 * torch is imported), and OpenBLAS left to pick its own core type and cache size.
 */
export function referenceEnv(threads?: number, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  if (threads !== undefined) {
    for (const k of ['OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS']) env[k] = String(threads);
  }
  return env;
}

/** Runs a reference script once and returns its last stdout line, parsed as JSON. */
export function runJson<T>(command: string, args: string[], env: NodeJS.ProcessEnv, what: string): T {
  const r = spawnSync(command, args, { env, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${what} failed: ${r.error?.message ?? r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as T;
}

/** A child process answering each request line with one line, in order. */
export class LineChild {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: string[] = [];
  private readonly waiters: ((line: string | null) => void)[] = [];
  private exited = false;

  constructor(command: string, args: string[], env: NodeJS.ProcessEnv, private readonly what: string) {
    this.child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'inherit'] }) as unknown as ChildProcessWithoutNullStreams;
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const w = this.waiters.shift();
      if (w) w(line);
      else this.lines.push(line);
    });
    const end = () => {
      this.exited = true;
      for (const w of this.waiters.splice(0)) w(null);
    };
    this.child.on('close', end);
    this.child.on('error', end);
  }

  /** The next line the child prints. */
  async next(): Promise<string> {
    const queued = this.lines.shift();
    const line = queued ?? (this.exited ? null : await new Promise<string | null>((resolve) => this.waiters.push(resolve)));
    if (line === null) throw new Error(`${this.what}: the child process exited`);
    return line;
  }

  ask(request: string): Promise<string> {
    this.child.stdin.write(request + '\n');
    return this.next();
  }

  close(): void {
    this.child.stdin.end();
  }
}
