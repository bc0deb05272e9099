/**
 * ProgressBar: on a TTY, a live cli-progress bar per epoch with the running loss, the last
 * epoch's metrics and an ETA, which becomes the elapsed time when the epoch ends; elsewhere (CI logs, pipes) one plain line per epoch, since
 * redrawn bars turn into noise in files.
 */
import { checkBoolean, option, optionKeys, readOptions, readSafely, typeError } from '../../validate/index.js';
import cliProgress from 'cli-progress';
import type { Logs } from '../contracts.js';
import { Callback, checkHook, checkIndex } from './callback.js';

/**
 * What the bar writes to: `process.stdout`, a file stream, or anything with `write`. Structural,
 * so the published declarations do not need `@types/node`.
 */
export interface TextStream {
  /** Writes a chunk of text. */
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Options of ProgressBar: the stream to write to (default process.stdout) and whether to draw a live bar (default: when the stream is a TTY). */
export interface ProgressBarOptions {
  /** Where to write (default process.stdout). */
  stream?: TextStream;
  /** Force the live bar (true) or plain lines (false); default: the stream's isTTY. */
  tty?: boolean;
}

/** Formats a log value compactly: 4 significant digits, NaN/Inf spelled out. */
export function formatLogValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) return v.toExponential(3);
  return Number(v.toPrecision(4)).toString();
}

/**
 * A log value for display, with fixed decimals per kind so that columns line up from epoch to
 * epoch: seconds with 2, learning rates with 4 significant digits (they span decades), every
 * other value (losses, metrics) with 4 decimals, or in exponent form when below 1e-3 or above
 * 1e5.
 */
export function formatLogColumn(key: string, v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (key === 'seconds') return v.toFixed(2);
  if (key === 'lr') return formatLogValue(v);
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) return v.toExponential(3);
  return v.toFixed(4);
}

/** Seconds as the bar shows them: 12.3s, 4m05s, 1h02m. */
function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** A per-epoch progress display. */
const KEYS = optionKeys<ProgressBarOptions>({ stream: true, tty: true });

export class ProgressBar extends Callback {
  private readonly stream: TextStream;
  private readonly tty: boolean;
  private bar: cliProgress.SingleBar | null = null;
  private lossSum = 0;
  private batches = 0;
  private epochStart = 0;

  constructor(options: ProgressBarOptions = {}) {
    super();
    const o = readOptions<ProgressBarOptions>('ProgressBar', options, KEYS);
    const stream = o.stream ?? process.stdout;
    this.tty = readSafely('ProgressBar', "option 'stream'", () => {
      if (typeof (stream as { write?: unknown } | null)?.write !== 'function') {
        typeError('ProgressBar', option('stream'), 'a text stream (an object with write)', stream);
      }
      return o.tty === undefined ? Boolean(stream.isTTY) : checkBoolean('ProgressBar', option('tty'), o.tty);
    });
    this.stream = stream;
  }

  /** Resets the epoch's running loss. */
  override onEpochBegin(epoch: number): void {
    checkIndex('ProgressBar.onEpochBegin', epoch);
    this.lossSum = 0;
    this.batches = 0;
    this.epochStart = performance.now();
    if (!this.tty) return;
    this.bar = new cliProgress.SingleBar({
      // cli-progress needs only write() (its cursor moves are escape codes written) and columns.
      stream: this.stream as NodeJS.WriteStream,
      // {time}: the ETA while the epoch runs, the elapsed time once it is done.
      format: `Epoch ${epoch + 1}/${this.trainer.epochs} {bar} {value}/{total} | loss {loss}{extra} | {time}`,
      barsize: 24,
      hideCursor: false,
      clearOnComplete: false,
      // The stream decides: a custom TTY-like stream must be drawn on, too.
      noTTYOutput: true,
      notTTYSchedule: 100,
    }, cliProgress.Presets.shades_classic);
    this.bar.start(this.trainer.stepsPerEpoch ?? 0, 0, { loss: '-', extra: '', time: 'ETA -' });
  }

  /** Advances the bar with the batch's loss. */
  override onBatchEnd(batch: number, logs: Logs): void {
    checkHook('ProgressBar.onBatchEnd', batch, logs, 'batch');
    if (logs.loss !== undefined) {
      this.lossSum += logs.loss;
      this.batches += 1;
    }
    if (!this.bar) return;
    if (this.bar.getTotal() < batch + 1) this.bar.setTotal(batch + 1);
    const elapsed = (performance.now() - this.epochStart) / 1000;
    const total = this.bar.getTotal();
    const eta = total > batch + 1 ? (elapsed / (batch + 1)) * (total - batch - 1) : 0;
    this.bar.update(batch + 1, { loss: formatLogColumn('loss', this.lossSum / Math.max(1, this.batches)), time: `ETA ${formatSeconds(eta)}` });
  }

  /** Prints the epoch's summary line (seconds, loss, metrics, validation figures, lr). */
  override onEpochEnd(epoch: number, logs: Logs): void {
    checkHook('ProgressBar.onEpochEnd', epoch, logs);
    const parts = Object.entries(logs)
      .filter(([k]) => k !== 'loss' && k !== 'seconds')
      .map(([k, v]) => ` - ${k} ${formatLogColumn(k, v)}`)
      .join('');
    const seconds = logs.seconds ?? (performance.now() - this.epochStart) / 1000;
    if (this.bar) {
      this.bar.update(this.bar.getTotal(), { loss: formatLogColumn('loss', logs.loss ?? NaN), extra: parts, time: formatSeconds(seconds) });
      this.bar.stop();
      this.bar = null;
      return;
    }
    this.stream.write(`Epoch ${epoch + 1}/${this.trainer.epochs} - ${seconds.toFixed(2)}s - loss ${formatLogColumn('loss', logs.loss ?? NaN)}${parts}\n`);
  }

  /** Stops the bar. */
  override onTrainEnd(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
