/**
 * CSVLogger (Keras): one row per epoch — `epoch` then the log keys of the first epoch, sorted;
 * later keys missing from a row are written 'NA'. The whole file is rewritten atomically each
 * epoch (a few KB), so a crash never leaves a torn row; with append, earlier contents are kept.
 */
import { checkBoolean, checkString, option, optionKeys, readOptions } from '../../validate/index.js';
import { existsSync, readFileSync } from 'node:fs';
import type { Logs } from '../contracts.js';
import { writeFileAtomic } from '../atomic_file.js';
import { Callback, checkHook } from './callback.js';

/** Options of CSVLogger: the column separator (default ',') and whether to append to an existing file. */
export interface CSVLoggerOptions {
  separator?: string;
  /** Keep an existing file's rows (and header) and add to them. */
  append?: boolean;
}

/** Streams epoch results to a CSV file. */
const KEYS = optionKeys<CSVLoggerOptions>({ separator: true, append: true });

export class CSVLogger extends Callback {
  readonly separator: string;
  readonly append: boolean;
  private prefix = '';
  private keys: string[] | null = null;
  private lines: string[] = [];

  constructor(readonly path: string, options: CSVLoggerOptions = {}) {
    super();
    checkString('CSVLogger', 'path', path, true);
    const o = readOptions<CSVLoggerOptions>('CSVLogger', options, KEYS);
    this.separator = o.separator === undefined ? ',' : checkString('CSVLogger', option('separator'), o.separator, true);
    this.append = o.append === undefined ? false : checkBoolean('CSVLogger', option('append'), o.append);
  }

  /** Starts the file: empty, or its existing rows kept with `append`. */
  override onTrainBegin(): void {
    this.keys = null;
    this.lines = [];
    this.prefix = this.append && existsSync(this.path) ? readFileSync(this.path, 'utf8') : '';
    if (this.prefix && !this.prefix.endsWith('\n')) this.prefix += '\n';
    writeFileAtomic(this.path, this.prefix);
  }

  /** Writes the epoch's logs as one row (the header before the first). */
  override onEpochEnd(epoch: number, logs: Logs): void {
    checkHook('CSVLogger.onEpochEnd', epoch, logs);
    const sep = this.separator;
    if (!this.keys) {
      this.keys = Object.keys(logs).sort();
      if (!this.prefix) this.lines.push(['epoch', ...this.keys].join(sep));
    }
    this.lines.push([String(epoch), ...this.keys.map((k) => (k in logs ? String(logs[k]) : 'NA'))].join(sep));
    writeFileAtomic(this.path, this.prefix + this.lines.join('\n') + '\n');
  }
}
