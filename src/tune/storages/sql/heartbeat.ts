/**
 * The heartbeat of the trials this process runs: every `intervalMs` one UPDATE sets their
 * heartbeat_ms to the database's clock (Optuna's heartbeat_interval). A missed beat (the database
 * restarting) is not an error: the next one catches up, and the grace period is meant to be
 * several intervals. The timer is unref'd — it never keeps a finished process alive — and runs
 * on this thread's event loop, so an objective that blocks the loop for longer than the grace
 * period (a long synchronous computation) looks dead to other workers: give it a larger
 * gracePeriodMs.
 */
import type { SqlDriver, SqlValue } from './driver.js';

export class Heartbeat {
  private readonly running = new Set<number>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private beating = false;

  constructor(private readonly db: SqlDriver, private readonly intervalMs: number) {}

  add(trialId: number): void {
    this.running.add(trialId);
    if (this.timer === null) {
      this.timer = setInterval(() => void this.beat(), this.intervalMs);
      this.timer.unref();
    }
  }

  remove(trialId: number): void {
    this.running.delete(trialId);
    if (this.running.size === 0) this.stop();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private async beat(): Promise<void> {
    if (this.beating || this.running.size === 0) return;
    this.beating = true;
    const ids = [...this.running] as SqlValue[];
    try {
      await this.db.run(`UPDATE steepest_trials SET heartbeat_ms = ${this.db.nowMs} WHERE state = 'RUNNING' AND trial_id IN (${ids.map(() => '?').join(',')})`, ids);
    } catch {
      // Missed: the next beat retries (see above).
    } finally {
      this.beating = false;
    }
  }
}
