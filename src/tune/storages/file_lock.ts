/**
 * A cross-process lock for a journal file: `<path>.lock`, holding the writer's id. It is made
 * complete before it exists: the id is written to a private temp file, which is then hard-linked
 * to the lock path — link(2) fails with EEXIST when the lock is held, so only one process wins,
 * and a process killed at any moment leaves either no lock or one that names it (created with
 * O_EXCL and written after, a kill in between left an empty lock that no one could call stale).
 * A lock whose holder is a dead process on this host (kill -9 mid-write) is stale and is removed. Holding is short — one
 * append and fsync — so waiting is a plain sleep-and-retry loop.
 *
 * A writer id is "pid@host#start:nonce": `start` is the process's start time (Linux
 * /proc/self/stat), shared by its worker threads, so a process that reuses a dead one's pid — pid 1
 * in a restarted container — is told apart from it, while threads of one live process are not.
 */
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';

const SLEEP = new Int32Array(new SharedArrayBuffer(4));

/** The identity of this storage instance. */
export function workerId(): string {
  const nonce = globalThis.crypto.getRandomValues(new Uint32Array(2));
  return `${process.pid}@${hostname()}#${processStart()}:${nonce[0].toString(16)}${nonce[1].toString(16)}`;
}

export interface WorkerParts {
  pid: number;
  host: string;
  /** Process start time in clock ticks since boot, '' where unknown. */
  start: string;
}

export function parseWorker(worker: string | null): WorkerParts | null {
  const m = worker === null ? null : /^(\d+)@(.*)#(\d*):[0-9a-f]*$/.exec(worker);
  return m ? { pid: Number(m[1]), host: m[2], start: m[3] } : null;
}

/** True when `worker` is on this host and its process is gone (an earlier process with our pid included). */
export function isDeadWorker(worker: string | null, self: string): boolean {
  const w = parseWorker(worker);
  const me = parseWorker(self)!;
  if (!w || w.host !== me.host) return false;
  if (w.pid === me.pid) return w.start !== '' && me.start !== '' && w.start !== me.start;
  return !processAlive(w.pid);
}

/** Field 22 of /proc/self/stat (start time since boot), or '' off Linux. */
function processStart(): string {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
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
    const mine = `${this.lockPath}.${process.pid}.${globalThis.crypto.getRandomValues(new Uint32Array(1))[0].toString(16)}`;
    writeFileSync(mine, this.owner);
    try {
      for (;;) {
        try {
          linkSync(mine, this.lockPath);
          return;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        }
        this.waitOrClear(deadline);
      }
    } finally {
      try { unlinkSync(mine); } catch { /* already gone */ }
    }
  }

  /** Removes a dead holder's lock, or sleeps a little; throws past the deadline. */
  private waitOrClear(deadline: number): void {
    const holder = this.holder();
    if (holder !== null && isDeadWorker(holder, this.owner)) {
      this.remove();
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`JournalFileStorage: could not take ${this.lockPath} within ${this.timeoutMs} ms; held by ${holder ?? 'an unknown process'}`);
    }
    Atomics.wait(SLEEP, 0, 0, 2);
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
