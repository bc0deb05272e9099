/** TerminateOnNaN (Keras): stops training at the first batch whose loss is NaN or ±Inf. */
import type { Logs } from '../contracts.js';
import { Callback, checkHook, stopTraining } from './callback.js';

/** Ends the run on a non-finite batch loss. */
export class TerminateOnNaN extends Callback {
  /** Stops training when the batch loss is NaN or infinite. */
  override onBatchEnd(batch: number, logs: Logs): void {
    checkHook('TerminateOnNaN.onBatchEnd', batch, logs, 'batch');
    const loss = logs.loss;
    if (loss !== undefined && !Number.isFinite(loss)) {
      stopTraining(this.trainer, `Batch ${batch}: invalid loss ${loss}, terminating training`, 'terminate',
        { loss: String(loss), batch }, this.trainer.globalStep);
    }
  }
}
