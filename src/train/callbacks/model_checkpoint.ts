/**
 * ModelCheckpoint (Keras, with Lightning's every-N-epochs): saves the model's weights and the
 * trainer's resumable state at epoch end, as one checkpoint file committed atomically
 * (checkpoint/checkpoint.ts). `path` may hold placeholders: {epoch} (1-based, as Keras prints
 * it) and any log key, e.g. 'ckpt/epoch{epoch}-{valLoss}.safetensors'; missing folders are
 * created. With saveBestOnly, a save happens only when `monitor` is strictly better than every
 * earlier value.
 *
 * The state is copied out when the save starts; the write and its fsyncs run on the thread
 * pool, so the event loop keeps turning. fit awaits each save at epoch end (the next epoch
 * trains on weights the save no longer reads, and a failed save fails the run there); saves
 * of one callback commit in the order they were started.
 */
import { checkModelCheckpointArguments } from './model_checkpoint_arguments.js';
import { dirname } from 'node:path';
import type { Logs } from '../contracts.js';
import { describeValue, readState } from '../../validate/index.js';
import { encodeCheckpoint, writeCheckpoint } from '../checkpoint/checkpoint.js';
import { ensureDirectory } from '../checkpoint/ensure_directory.js';
import { formatLogValue } from './progress_bar.js';
import { Callback, checkHook, checkIndex } from './callback.js';
import { resolveMode, type Mode } from './monitor_mode.js';

/** Options of ModelCheckpoint: the log key to monitor (default 'valLoss') and its mode, saveBestOnly, and everyNEpochs. */
export interface ModelCheckpointOptions {
  monitor?: string;
  mode?: Mode;
  saveBestOnly?: boolean;
  /** Save every N epochs (default 1). */
  everyNEpochs?: number;
}

/** Saves checkpoints during training. */
export class ModelCheckpoint extends Callback {
  readonly monitor: string;
  readonly saveBestOnly: boolean;
  readonly everyNEpochs: number;
  private readonly mode: Mode;
  best: number | null = null;
  /** The file of the last completed save. */
  lastSaved: string | null = null;
  /** The last save started: the next one is written after it. */
  private pending: Promise<unknown> = Promise.resolve();

  constructor(readonly path: string, options: ModelCheckpointOptions = {}) {
    super();
    options = checkModelCheckpointArguments(path, options);
    this.monitor = options.monitor ?? 'valLoss';
    this.saveBestOnly = options.saveBestOnly ?? false;
    this.mode = options.mode ?? 'auto';
    if (this.saveBestOnly) resolveMode('ModelCheckpoint', this.monitor, this.mode);
    this.everyNEpochs = options.everyNEpochs ?? 1;
    if (!Number.isInteger(this.everyNEpochs) || this.everyNEpochs < 1) {
      throw new RangeError(`ModelCheckpoint: everyNEpochs must be an integer >= 1, got ${this.everyNEpochs}`);
    }
  }

  /** Resets the best value. */
  override onTrainBegin(): void {
    this.best = null;
  }

  /** Waits for a save still running, so fit resolves after it. */
  override async onTrainEnd(): Promise<void> {
    // A save started by hand and not awaited still finishes before fit resolves; its failure
    // went to the promise save() returned.
    await this.pending.catch(() => {});
  }

  /** Saves a checkpoint when this epoch is due (every N epochs, and better than the best with saveBestOnly). */
  override async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    checkHook('ModelCheckpoint.onEpochEnd', epoch, logs);
    if ((epoch + 1) % this.everyNEpochs !== 0) return;
    if (this.saveBestOnly) {
      const current = logs[this.monitor];
      if (current === undefined) {
        this.trainer.log(`ModelCheckpoint: '${this.monitor}' is not in the logs; skipping the save`);
        return;
      }
      const better = resolveMode('ModelCheckpoint', this.monitor, this.mode) === 'min'
        ? current < (this.best ?? Infinity) : current > (this.best ?? -Infinity);
      if (!better) return;
      this.best = current;
    }
    await this.save(epoch, logs);
  }

  /** The best monitored value so far (saveBestOnly), kept across a resume. */
  stateDict(): Record<string, unknown> {
    return { best: this.best };
  }

  /** Restores the best value from a checkpoint. */
  loadStateDict(state: Record<string, unknown>): void {
    const { best } = readState('ModelCheckpoint.loadStateDict', state, ['best']);
    if (best !== null && typeof best !== 'number') throw new TypeError(`ModelCheckpoint.loadStateDict: saved best must be a number or null, got ${describeValue(best)}`);
    this.best = best;
  }

  /**
   * Saves now (also usable on SIGINT or at train end): takes the checkpoint at once and
   * resolves with its path once it is committed.
   */
  async save(epoch: number, logs: Logs = {}): Promise<string> {
    checkIndex('ModelCheckpoint.save', epoch);
    checkHook('ModelCheckpoint.save', epoch, logs);
    const model = this.trainer.model;
    if (!model) throw new Error('ModelCheckpoint: the trainer provides no model (stateDict/loadStateDict)');
    const file = this.path.replace(/\{(\w+)\}/g, (all, key: string) => {
      if (key === 'epoch') return String(epoch + 1);
      return key in logs ? formatLogValue(logs[key]) : all;
    });
    // Counted before the state is taken, so the History inside the checkpoint includes this
    // save and a resumed run's count equals the uninterrupted run's; undone if the save fails.
    const { history } = this.trainer;
    const before = history.checkpoints;
    history.recordCheckpoint(epoch, file);
    let encoded;
    try {
      const state = { ...(this.trainer.checkpointState?.() ?? {}), epoch };
      encoded = encodeCheckpoint(model.stateDict(), state, 'ModelCheckpoint');
    } catch (e) {
      history.checkpoints = before;
      throw e;
    }
    const write = this.pending.catch(() => {}).then(async () => {
      await ensureDirectory(dirname(file), 'ModelCheckpoint', file);
      await writeCheckpoint(file, encoded, 'ModelCheckpoint');
    });
    this.pending = write;
    try {
      await write;
    } catch (e) {
      history.checkpoints = { ...history.checkpoints, saves: history.checkpoints.saves - 1 };
      throw e;
    }
    this.lastSaved = file;
    this.trainer.log(`Epoch ${epoch + 1}: saved checkpoint ${file}`);
    return file;
  }
}
