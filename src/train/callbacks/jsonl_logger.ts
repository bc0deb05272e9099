/**
 * JSONLLogger: appends one JSON object per epoch ({ epoch, ...logs }) to a JSON-lines file,
 * one durable write per line (atomic_file.ts). NaN and ±Infinity are written as the strings
 * "NaN", "Infinity", "-Infinity", since JSON has no such numbers.
 */
import { checkBoolean, checkString, option, optionKeys, readOptions } from '../../validate/index.js';
import type { Logs } from '../contracts.js';
import { appendLineDurable, writeFileAtomic } from '../atomic_file.js';
import { Callback, checkHook } from './callback.js';

const KEYS = optionKeys<{ append?: boolean }>({ append: true });

/** Appends epoch results to a .jsonl file. */
export class JSONLLogger extends Callback {
  readonly append: boolean;

  constructor(readonly path: string, options: { append?: boolean } = {}) {
    super();
    checkString('JSONLLogger', 'path', path, true);
    const { append } = readOptions<{ append?: boolean }>('JSONLLogger', options, KEYS);
    this.append = append === undefined ? false : checkBoolean('JSONLLogger', option('append'), append);
  }

  /** Empties the file, unless appending. */
  override onTrainBegin(): void {
    if (!this.append) writeFileAtomic(this.path, '');
  }

  /** Appends the epoch's logs as one JSON line, fsynced. */
  override onEpochEnd(epoch: number, logs: Logs): void {
    checkHook('JSONLLogger.onEpochEnd', epoch, logs);
    const record: Record<string, number | string> = { epoch };
    for (const [k, v] of Object.entries(logs)) record[k] = Number.isFinite(v) ? v : String(v);
    appendLineDurable(this.path, JSON.stringify(record));
  }
}
