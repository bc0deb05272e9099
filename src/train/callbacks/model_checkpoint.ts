/**
 * ModelCheckpoint (Keras, with Lightning's every-N-epochs): saves the model's weights
 * (safetensors) and the trainer's resumable state (JSON sidecar) at epoch end, atomically.
 * `path` may hold placeholders: {epoch} (1-based, as Keras prints it) and any log key, e.g.
 * 'ckpt/epoch{epoch}-{valLoss}.safetensors'. With saveBestOnly, a save happens only when
 * `monitor` is strictly better than every earlier value.
 */
import { checkModelCheckpointArguments } from './model_checkpoint_arguments.js';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logs } from '../contracts.js';
import { saveCheckpoint } from '../checkpoint/checkpoint.js';
import { formatLogValue } from './progress_bar.js';
import { Callback, checkHook, checkIndex } from './callback.js';
import { resolveMode, type Mode } from './monitor_mode.js';

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
  /** The files of the last save. */
  lastSaved: { weights: string; sidecar: string } | null = null;

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

  override onTrainBegin(): void {
    this.best = null;
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
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
    this.save(epoch, logs);
  }

  /** Saves now (also usable on SIGINT or at train end). */
  save(epoch: number, logs: Logs = {}): { weights: string; sidecar: string } {
    checkIndex('ModelCheckpoint.save', epoch);
    checkHook('ModelCheckpoint.save', epoch, logs);
    const model = this.trainer.model;
    if (!model) throw new Error('ModelCheckpoint: the trainer provides no model (stateDict/loadStateDict)');
    const file = this.path.replace(/\{(\w+)\}/g, (all, key: string) => {
      if (key === 'epoch') return String(epoch + 1);
      return key in logs ? formatLogValue(logs[key]) : all;
    });
    mkdirSync(dirname(file), { recursive: true });
    const state = { ...(this.trainer.checkpointState?.() ?? {}), epoch };
    this.lastSaved = saveCheckpoint(file, model.stateDict(), state);
    const message = `Epoch ${epoch + 1}: saved checkpoint ${file}`;
    this.trainer.history.addEvent({ kind: 'checkpoint', epoch, message, detail: { path: file, monitor: this.monitor, value: logs[this.monitor] ?? null } });
    this.trainer.log(message);
    return this.lastSaved;
  }
}
