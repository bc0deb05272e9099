/**
 * Crash-safe file writes. `writeFileAtomic` writes a temp file in the destination's directory,
 * fsyncs it, renames it over the destination (atomic on POSIX within one file system) and
 * fsyncs the directory, so readers see the old file or the new one, never a torn mix, and a
 * failure at any point leaves the old file untouched. `appendLineDurable` appends one whole
 * line with a single write and fsyncs it, for append-only logs.
 */
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Receives the open temp file descriptor and writes the content with writeSync. */
export type FileWriter = (fd: number) => void;

let counter = 0;

/** Writes `content` (or what `writer` writes) to `path` atomically. */
export function writeFileAtomic(path: string, content: string | Uint8Array | FileWriter): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.${counter++}.tmp`);
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
