/**
 * Crash-safe file writes. Both writers follow the same protocol: write a temp file in the
 * destination's directory, fsync it, rename it over the destination (atomic on POSIX within
 * one file system) and fsync the directory. The rename is the one commit point: until it,
 * readers (and a process restarted after a SIGKILL) see the old file; after it, the new one;
 * never a torn mix. A failure at any point leaves the old file untouched.
 *
 * `writeFileAtomic` is synchronous (small files: logs, reports); `writeFileAtomicAsync` does the
 * same on `fs.promises`, so the writes and fsyncs run on libuv's thread pool while the event
 * loop keeps turning (checkpoints, which are large and whose fsync can take 100 ms).
 * `appendLineDurable` appends one whole line with a single write and fsyncs it, for
 * append-only logs.
 *
 * A process killed mid-write leaves its temp file behind; the next write of the same path
 * removes such strays (see `isStrayTemp`).
 */
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { open, readdir, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { threadId } from 'node:worker_threads';

/** Receives the open temp file descriptor and writes the content with writeSync. */
export type FileWriter = (fd: number) => void;

/** The moments of `writeFileAtomicAsync`, in order: temp file created, content written, fsynced and closed, renamed into place. */
export type AtomicWritePhase = 'created' | 'written' | 'synced' | 'renamed';

/**
 * @internal A test hook, awaited at each phase of `writeFileAtomicAsync`, so a test can SIGKILL
 * a process at a chosen moment of a save (test/train/kill_checkpoint.test.ts). Never set by
 * the library; not exported from the package.
 */
export const atomicWriteHooks: { onPhase?: (phase: AtomicWritePhase, tmp: string, path: string) => void | Promise<void> } = {};

let counter = 0;
/** Temp files of this thread's writes in progress (file names), which no clean-up may remove. */
const inProgress = new Set<string>();

/**
 * The temp name for a write of `path`: hidden, beside it, and naming the writer (process and
 * thread), so a later write can tell a stray from a write still in progress.
 */
function tempPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${threadId}.${Date.now()}.${counter++}.tmp`);
}

/**
 * Whether directory entry `name` is a temp file of an earlier write of `base` that can no
 * longer complete: its process is gone, or it is this thread's and not in progress (a write
 * that failed and could not unlink it). Another live process's or thread's temp is kept: it
 * may be a write in progress. A pid reused by an unrelated process only delays the clean-up.
 */
function isStrayTemp(name: string, base: string): boolean {
  if (!name.startsWith(`.${base}.`) || !name.endsWith('.tmp') || inProgress.has(name)) return false;
  const m = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(name.slice(base.length + 2, -'.tmp'.length));
  if (!m) return false;
  const pid = Number(m[1]);
  if (pid === process.pid) return Number(m[2]) === threadId;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH'; // EPERM: alive, someone else's
  }
}

/** Writes `content` (or what `writer` writes) to `path` atomically. */
export function writeFileAtomic(path: string, content: string | Uint8Array | FileWriter): void {
  const dir = dirname(path);
  removeStrayTempsSync(dir, basename(path));
  const tmp = tempPath(path);
  const fd = openSync(tmp, 'wx', 0o644);
  let renamed = false;
  try {
    if (typeof content === 'function') content(fd);
    else writeAll(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path);
    renamed = true;
    syncDirectory(dir);
  } finally {
    if (!renamed) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
      try {
        unlinkSync(tmp);
      } catch {
        // never created or already gone
      }
    }
  }
}

/** Per destination (resolved path): the last write queued, so writes of one path commit in call order. */
const queues = new Map<string, Promise<void>>();

/**
 * Writes the concatenation of `chunks` to `path` atomically without blocking the event loop.
 * Writes of the same path are queued and commit in call order (an older snapshot never lands
 * over a newer one); the chunks must not change until the promise settles.
 */
export function writeFileAtomicAsync(path: string, chunks: readonly Uint8Array[]): Promise<void> {
  const key = resolve(path);
  const run = (queues.get(key) ?? Promise.resolve()).then(() => writeNow(path, chunks));
  const tail = run.catch(() => {}); // a failed write does not stop the next one
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}

async function writeNow(path: string, chunks: readonly Uint8Array[]): Promise<void> {
  const dir = dirname(path);
  await removeStrayTemps(dir, basename(path));
  const tmp = tempPath(path);
  const hook = atomicWriteHooks.onPhase;
  inProgress.add(basename(tmp));
  let handle: FileHandle;
  try {
    handle = await open(tmp, 'wx', 0o644);
  } catch (e) {
    inProgress.delete(basename(tmp));
    throw e;
  }
  let closed = false;
  let renamed = false;
  try {
    await hook?.('created', tmp, path);
    for (const chunk of chunks) await writeAllAsync(handle, chunk);
    await hook?.('written', tmp, path);
    await handle.sync();
    closed = true; // a failing close() still releases the descriptor
    await handle.close();
    await hook?.('synced', tmp, path);
    await rename(tmp, path);
    renamed = true;
    await hook?.('renamed', tmp, path);
    await syncDirectoryAsync(dir);
  } finally {
    if (!renamed) {
      if (!closed) await handle.close().catch(() => {});
      await unlink(tmp).catch(() => {});
    }
    inProgress.delete(basename(tmp));
  }
}

async function writeAllAsync(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let done = 0;
  while (done < bytes.length) done += (await handle.write(bytes, done, bytes.length - done)).bytesWritten;
}

/** Writes all of `bytes`, looping over short writes. */
export function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
}

/** Appends `line` + '\n' in one write and fsyncs it. */
export function appendLineDurable(path: string, line: string): void {
  const fd = openSync(path, 'a', 0o644);
  try {
    writeAll(fd, Buffer.from(line + '\n', 'utf8'));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function removeStrayTempsSync(dir: string, base: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // the open that follows reports a missing or unreadable folder
  }
  for (const name of names) {
    if (!isStrayTemp(name, base)) continue;
    try {
      unlinkSync(join(dir, name));
    } catch {
      // clean-up is best effort: a stray that cannot go never fails the write
    }
  }
}

async function removeStrayTemps(dir: string, base: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) if (isStrayTemp(name, base)) await unlink(join(dir, name)).catch(() => {}); // best effort, as above
}

function syncDirectory(dir: string): void {
  // Makes the rename itself durable; some platforms (Windows) cannot open directories.
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

async function syncDirectoryAsync(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // best effort, as syncDirectory
  } finally {
    await handle?.close().catch(() => {});
  }
}
