/**
 * JSONLLogger: appends one JSON object per epoch ({ epoch, ...logs }) to a JSON-lines file,
 * one durable write per line (atomic_file.ts). NaN and ±Infinity are written as the strings
 * "NaN", "Infinity", "-Infinity", since JSON has no such numbers.
 */
import type { Logs } from '../contracts.js';
import { appendLineDurable, writeFileAtomic } from '../atomic_file.js';
import { Callback } from './callback.js';

/** Appends epoch results to a .jsonl file. */
export class JSONLLogger extends Callback {
  readonly append: boolean;

  constructor(readonly path: string, options: { append?: boolean } = {}) {
    super();
    this.append = options.append ?? false;
  }

  override onTrainBegin(): void {
    if (!this.append) writeFileAtomic(this.path, '');
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const record: Record<string, number | string> = { epoch };
    for (const [k, v] of Object.entries(logs)) record[k] = Number.isFinite(v) ? v : String(v);
    appendLineDurable(this.path, JSON.stringify(record));
  }
}
