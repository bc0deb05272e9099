/**
 * Storage writes in call order, off the synchronous path: `suggest*` and `report` are
 * synchronous, while a storage (a database) is asynchronous, so a trial's writes are queued here
 * and the study awaits `flush()` before it reports a trial finished. The first failure is kept
 * and rethrown by every later flush: a storage that failed once is not written to again.
 */
export class WriteQueue {
  private tail: Promise<void> = Promise.resolve();
  private error: unknown = null;

  push(write: () => Promise<unknown>): void {
    this.tail = this.tail.then(async () => {
      if (this.error !== null) return;
      try {
        await write();
      } catch (err) {
        this.error = err;
      }
    });
  }

  async flush(): Promise<void> {
    await this.tail;
    if (this.error !== null) throw this.error;
  }
}
