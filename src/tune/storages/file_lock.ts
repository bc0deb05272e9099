/**
 * A cross-process lock for a journal file: `<path>.lock`, created with O_CREAT|O_EXCL (Node's
 * 'wx'), which only one process can win, holding "pid@host#nonce". A lock whose holder is a dead
 * process on this host (kill -9 mid-write) is stale and is removed. Holding is short — one
 * append and fsync — so waiting is a plain sleep-and-retry loop.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

const SLEEP = new Int32Array(new SharedArrayBuffer(4));

/** The identity of this storage instance: pid, host and a random nonce (pid reuse in containers). */
export function workerId(): string {
  const nonce = globalThis.crypto.getRandomValues(new Uint32Array(2));
  return `${process.pid}@${hostname()}#${nonce[0].toString(16)}${nonce[1].toString(16)}`;
}

export interface WorkerParts {
  pid: number;
  host: string;
  nonce: string;
}

export function parseWorker(worker: string | null): WorkerParts | null {
  const m = worker === null ? null : /^(\d+)@(.*)#([0-9a-f]+)$/.exec(worker);
  return m ? { pid: Number(m[1]), host: m[2], nonce: m[3] } : null;
}

/** True when `worker` is on this host and its process is no longer alive (or is a previous holder of our pid). */
export function isDeadWorker(worker: string | null, self: string): boolean {
  const w = parseWorker(worker);
  const me = parseWorker(self)!;
  if (!w || w.host !== me.host) return false;
  if (w.pid === me.pid) return w.nonce !== me.nonce;
  return !processAlive(w.pid);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class FileLock {
  readonly lockPath: string;

  constructor(path: string, private readonly owner: string, private readonly timeoutMs = 30_000) {
    this.lockPath = `${path}.lock`;
  }

  acquire(): void {
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      try {
        const fd = openSync(this.lockPath, 'wx');
        try {
          writeSync(fd, this.owner);
        } finally {
          closeSync(fd);
        }
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const holder = this.holder();
      if (holder !== null && isDeadWorker(holder, this.owner)) {
        this.remove();
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(`JournalFileStorage: could not take ${this.lockPath} within ${this.timeoutMs} ms; held by ${holder ?? 'an unknown process'}`);
      }
      Atomics.wait(SLEEP, 0, 0, 2);
    }
  }

  release(): void {
    this.remove();
  }

  private holder(): string | null {
    try {
      return readFileSync(this.lockPath, 'utf8');
    } catch {
      return null;
    }
  }

  private remove(): void {
    try {
      unlinkSync(this.lockPath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}
