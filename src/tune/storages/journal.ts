/**
 * JournalFileStorage (optuna.storages.JournalStorage with a JournalFileBackend): an append-only
 * file of JSON lines, one storage operation per line, each appended with a single write and
 * fsynced before the call returns. Loading replays the lines in order into the same model
 * InMemoryStorage uses.
 *
 * Crash safety: a process killed mid-write can leave at most a torn last line (no trailing
 * newline); loading ignores it, and the next writer (holding the lock, so no one else is writing)
 * truncates it before appending. Several processes may share one file: every write takes
 * `<path>.lock`, first reads what others appended, then validates its operation against that
 * state — which is what makes `claimWaitingTrial` atomic across processes. Trials record the
 * worker (pid@host#nonce) that runs them, so `failStaleTrials` can fail the RUNNING trials of a
 * process that died.
 */
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { FrozenTrial } from '../frozen_trial.js';
import { FileLock, isDeadWorker, parseWorker, workerId } from './file_lock.js';
import { InMemoryStorage } from './in_memory.js';
import { decodeOp, encodeOp, JOURNAL_HEADER } from './journal_codec.js';
import type { StorageOp } from './ops.js';
import { checkString } from '../../validate/index.js';

/** An append-only file of JSON lines, one storage operation per line, fsynced (optuna.storages.JournalStorage with a file backend); several processes may share it. Use it as `storage: 'journal:<path>'`. */
export class JournalFileStorage extends InMemoryStorage {
  readonly path: string;
  private readonly fd: number;
  private readonly lock: FileLock;
  private readonly self = workerId();
  /** Bytes of the file already applied (always at a line boundary). */
  private offset = 0;
  private line = 0;
  private depth = 0;
  private broken: Error | null = null;

  constructor(path: string) {
    super();
    checkString('JournalFileStorage', 'path', path, true);
    this.path = resolve(path);
    this.fd = openSync(this.path, 'a+');
    this.lock = new FileLock(this.path, this.self);
    this.transaction(() => {
      if (this.offset === 0 && fstatSync(this.fd).size === 0) {
        this.append(encodeOp(JOURNAL_HEADER));
        syncDirectory(this.path);
      }
    });
  }

  /** Marks FAIL the RUNNING trials whose worker process has died; returns their numbers. */
  async failStaleTrials(studyId: number): Promise<number[]> {
    return this.transaction(() => {
      const failed: number[] = [];
      for (const [trialId, worker] of this.model.runningWorkers(studyId)) {
        if (!isDeadWorker(worker, this.self)) continue;
        const trial = this.model.getTrial(trialId);
        const pid = parseWorker(worker)?.pid;
        this.commit({
          op: 'finishTrial', trialId, state: 'FAIL', value: null, time: new Date().toISOString(),
          errorMessage: `the process running trial ${trial.number} (pid ${pid}) ended before the trial finished`,
        });
        failed.push(trial.number);
      }
      return failed;
    });
  }

  /** Releases the file. */
  async close(): Promise<void> {
    closeSync(this.fd);
  }

  protected override worker(): string {
    return this.self;
  }

  protected override sync(): void {
    this.readNew(false);
  }

  protected override claim(studyId: number): FrozenTrial | null {
    return this.transaction(() => super.claim(studyId));
  }

  protected override commit(op: StorageOp): number | undefined {
    if (this.depth === 0) return this.transaction(() => this.commit(op));
    if (this.broken) throw this.broken;
    const result = this.model.apply(op);
    this.append(encodeOp(op));
    return result;
  }

  /** Runs `fn` holding the file lock, after applying everything other processes appended. */
  private transaction<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    this.lock.acquire();
    this.depth++;
    try {
      this.readNew(true);
      return fn();
    } finally {
      this.depth--;
      this.lock.release();
    }
  }

  private append(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    try {
      let written = 0;
      while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written);
      fsyncSync(this.fd);
    } catch (err) {
      // The model already holds the operation; the file may not. Refuse everything from now on.
      this.broken = new Error(`JournalFileStorage: writing ${this.path} failed (${(err as Error).message}); reopen the storage`);
      throw this.broken;
    }
    this.offset += bytes.length;
    this.line++;
  }

  /**
   * Applies the complete lines past `offset`. A torn tail (bytes after the last newline) is left
   * for later, or — when we hold the lock, so no writer is mid-append — cut off.
   */
  private readNew(locked: boolean): void {
    const size = fstatSync(this.fd).size;
    if (size <= this.offset) return;
    const buf = Buffer.alloc(size - this.offset);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(this.fd, buf, got, buf.length - got, this.offset + got);
      if (n === 0) break;
      got += n;
    }
    let start = 0;
    for (let nl = buf.indexOf(10, 0); nl !== -1 && nl < got; nl = buf.indexOf(10, start)) {
      const text = buf.toString('utf8', start, nl);
      this.applyLine(text);
      this.offset += nl + 1 - start;
      start = nl + 1;
    }
    if (start < got && locked) ftruncateSync(this.fd, this.offset);
  }

  private applyLine(text: string): void {
    this.line++;
    let op;
    try {
      op = decodeOp(text);
    } catch (err) {
      throw new Error(`JournalFileStorage: line ${this.line} of ${this.path} is not a journal record (${(err as Error).message})`);
    }
    if (op.op === 'header') {
      if (this.line !== 1 || (op as typeof JOURNAL_HEADER).version !== 1) {
        throw new Error(`JournalFileStorage: unexpected header on line ${this.line} of ${this.path}`);
      }
      return;
    }
    if (this.line === 1) throw new Error(`JournalFileStorage: ${this.path} is not a steepest journal (its first line is not the header)`);
    try {
      this.model.apply(op as StorageOp);
    } catch (err) {
      throw new Error(`JournalFileStorage: line ${this.line} of ${this.path} cannot be replayed: ${(err as Error).message}`);
    }
  }
}

/** Makes a newly created file's directory entry durable. */
function syncDirectory(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dirname(path), 'r');
    fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on a directory; the file's own fsync still holds.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
