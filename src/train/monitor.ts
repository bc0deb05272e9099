/**
 * TrainingMonitor: the handbook's "Debugging training" as a callback. Three detectors, each
 * reporting a structured 'diagnosis' event in the History and one log line with hints:
 *   stagnation  — the smoothed trend has flattened: a least-squares line through the last
 *                 4n epoch losses (n = `stagnationEpochs`) falls over n epochs, ending at the
 *                 middle of the last n, by less than `stagnationTolerance` (relative,
 *                 default 1 %) of its value n epochs earlier.
 *                 A trend, not minima, so a noisy loss that still falls (dropout) is not
 *                 diagnosed, while a run that barely moves (lr 1e-7) is; hints: raise the
 *                 lr, check initialization and preprocessing.
 *   divergence  — a batch loss or a gradient goes NaN/±Inf, a batch loss exceeds
 *                 `batchRiseFactor` × the lowest running (EMA) batch loss, or an epoch loss
 *                 exceeds `epochRiseFactor` × the lowest epoch loss; hints: lower the lr,
 *                 clip gradients. Stops training (unless stopOnDivergence is false) and names
 *                 the first parameter, in parameter order, whose gradient is non-finite.
 *   overfitting — the gap valLoss - loss has grown for `overfitEpochs` consecutive epochs while
 *                 valLoss rose; hints: regularize, more data, a smaller model.
 * Each detector fires once and re-arms when its condition clears. The windows are saved in
 * checkpoints (stateDict), so a resumed run diagnoses what the uninterrupted run diagnoses; an
 * epoch cut short mid-way is not counted (a resume runs it again).
 */
import { checkBoolean, checkInteger, checkNumber, describeValue, option, optionKeys, readList, readOptions, readState } from '../validate/index.js';
import type { Logs } from './contracts.js';
import { Callback, checkHook, stopTraining } from './callbacks/callback.js';
import { findNonFinite, type NonFiniteHit } from './finite.js';

/** What the training monitor diagnoses. */
export type DiagnosisType = 'stagnation' | 'divergence' | 'overfitting';

/** What to try for each diagnosis, printed with it. */
export const HINTS: Record<DiagnosisType, string[]> = {
  stagnation: [
    'raise the learning rate',
    'check the weight initialization (Xavier/He)',
    'check the data preprocessing (normalization, label encoding)',
  ],
  divergence: ['lower the learning rate', 'clip gradients (gradientClip)', 'check the inputs and loss for NaN values'],
  overfitting: ['add regularization (weight decay, dropout, early stopping)', 'use more training data or augmentation', 'reduce the model complexity'],
};

/** Options of TrainingMonitor: the windows and factors of the stagnation, divergence and overfitting checks. */
export interface TrainingMonitorOptions {
  /** Window of the stagnation check, in epochs (default 5). */
  stagnationEpochs?: number;
  /** Smallest relative fall of the window mean that counts as progress (default 0.01). */
  stagnationTolerance?: number;
  epochRiseFactor?: number;
  batchRiseFactor?: number;
  /** Check named gradients for NaN/Inf every this many steps (0: only when the loss is non-finite). */
  checkGradientsEvery?: number;
  stopOnDivergence?: boolean;
  overfitEpochs?: number;
}

const KEYS = optionKeys<TrainingMonitorOptions>({
  stagnationEpochs: true, stagnationTolerance: true, epochRiseFactor: true, batchRiseFactor: true, checkGradientsEvery: true,
  stopOnDivergence: true, overfitEpochs: true,
});

/** Watches losses and gradients and diagnoses the common failure modes. */
export class TrainingMonitor extends Callback {
  readonly options: Required<TrainingMonitorOptions>;
  private losses: number[] = [];
  private valLosses: number[] = [];
  private ema = NaN;
  private emaMin = Infinity;
  private batchesSeen = 0;
  private active = new Set<DiagnosisType>();

  constructor(options: TrainingMonitorOptions = {}) {
    super();
    const op = 'TrainingMonitor';
    const o = readOptions<TrainingMonitorOptions>(op, options, KEYS);
    for (const key of ['stagnationTolerance', 'epochRiseFactor', 'batchRiseFactor'] as const) {
      if (o[key] !== undefined) checkNumber(op, option(key), o[key], { min: 0, infinite: true });
    }
    if (o.checkGradientsEvery !== undefined) checkInteger(op, option('checkGradientsEvery'), o.checkGradientsEvery, { min: 0 });
    if (o.stopOnDivergence !== undefined) checkBoolean(op, option('stopOnDivergence'), o.stopOnDivergence);
    this.options = {
      stagnationEpochs: 5, stagnationTolerance: 0.01, epochRiseFactor: 2, batchRiseFactor: 20,
      checkGradientsEvery: 1, stopOnDivergence: true, overfitEpochs: 3, ...o,
    };
    for (const key of ['stagnationEpochs', 'overfitEpochs'] as const) checkInteger(op, option(key), this.options[key], { min: 1 });
  }

  /** Resets the loss windows, the EMA and the active diagnoses. */
  override onTrainBegin(): void {
    this.losses = [];
    this.valLosses = [];
    this.ema = NaN;
    this.emaMin = Infinity;
    this.batchesSeen = 0;
    this.active.clear();
  }

  /** Checks the batch for divergence: a non-finite loss or gradient (gradients every `checkGradientsEvery` steps), or a loss far above the lowest running loss. */
  override onBatchEnd(batch: number, logs: Logs): void {
    checkHook('TrainingMonitor.onBatchEnd', batch, logs, 'batch');
    const loss = logs.loss;
    const step = this.trainer.globalStep;
    const every = this.options.checkGradientsEvery;
    const lossBad = loss !== undefined && !Number.isFinite(loss);
    if (lossBad || (every > 0 && step % every === 0)) {
      const hit = this.trainer.namedGradients ? findNonFinite(this.trainer.namedGradients()) : null;
      if (hit || lossBad) {
        this.divergence(hit ? `gradient of '${hit.name}' is ${hit.value} at element ${hit.index}` : `batch loss is ${loss}`,
          { batch, loss: String(loss), ...(hit ? hitDetail(hit) : {}) }, step);
        return;
      }
    }
    if (loss === undefined) return;
    // Sharp rise: a batch far above the lowest smoothed loss seen (EMA, beta 0.9).
    this.batchesSeen++;
    this.ema = Number.isNaN(this.ema) ? loss : 0.9 * this.ema + 0.1 * loss;
    if (this.batchesSeen >= 10) this.emaMin = Math.min(this.emaMin, this.ema);
    if (this.emaMin > 0 && loss > this.options.batchRiseFactor * this.emaMin) {
      this.divergence(`batch loss ${round(loss)} is over ${this.options.batchRiseFactor}x the lowest running loss ${round(this.emaMin)}`,
        { batch, loss, lowest: this.emaMin }, step);
    }
  }

  /** Checks the epoch's losses for stagnation, divergence and overfitting, and records diagnoses as events. */
  override onEpochEnd(epoch: number, logs: Logs): void {
    checkHook('TrainingMonitor.onEpochEnd', epoch, logs);
    const loss = logs.loss;
    if (loss === undefined) return;
    if (!Number.isFinite(loss)) {
      this.divergence(`epoch loss is ${loss}`, { loss: String(loss) });
      return;
    }
    if (this.trainer.epochComplete === false) return;
    const best = Math.min(...this.losses, Infinity);
    this.losses.push(loss);
    if (best > 0 && best < Infinity && loss > this.options.epochRiseFactor * best) {
      this.divergence(`epoch loss ${round(loss)} is over ${this.options.epochRiseFactor}x the best epoch loss ${round(best)}`, { loss, best });
      return;
    }
    this.checkStagnation(epoch);
    if (logs.valLoss !== undefined) {
      this.valLosses.push(logs.valLoss);
      this.checkOverfitting(epoch);
    }
  }

  private checkStagnation(epoch: number): void {
    const n = this.options.stagnationEpochs;
    if (this.losses.length < SPAN * n) return;
    const { before, recent } = smoothedTrend(this.losses.slice(-SPAN * n), n);
    const fall = (before - recent) / Math.abs(before);
    const stalled = !(fall >= this.options.stagnationTolerance);
    this.report('stagnation', stalled, epoch,
      `the smoothed loss fell ${(fall * 100).toFixed(2)} % over the last ${n} epochs (${round(before)} -> ${round(recent)}), less than ${(this.options.stagnationTolerance * 100).toFixed(2)} %`,
      { window: n, previous: before, recent, relativeFall: fall });
  }

  private checkOverfitting(epoch: number): void {
    const n = this.options.overfitEpochs;
    const v = this.valLosses;
    const t = this.losses;
    if (v.length <= n || t.length !== v.length) return;
    const gap = (i: number) => v[i] - t[i];
    const last = v.length - 1;
    let growing = v[last] > v[last - n];
    for (let i = last - n + 1; i <= last && growing; i++) growing = gap(i) > gap(i - 1);
    this.report('overfitting', growing, epoch,
      `the train/validation gap grew for ${n} epochs (${gap(last - n).toPrecision(3)} -> ${gap(last).toPrecision(3)}) while validation loss rose`,
      { window: n, gapFrom: gap(last - n), gapTo: gap(last), valLoss: v[last], loss: t[last] });
  }

  /** The windows and detector states, for checkpoints. */
  stateDict(): Record<string, unknown> {
    return {
      losses: [...this.losses], valLosses: [...this.valLosses], ema: this.ema, emaMin: this.emaMin,
      batchesSeen: this.batchesSeen, active: [...this.active],
    };
  }

  /** Restores the loss windows, the EMA and the active diagnoses from a checkpoint. */
  loadStateDict(state: Record<string, unknown>): void {
    const op = 'TrainingMonitor.loadStateDict';
    const s = readState(op, state, ['losses', 'valLosses', 'ema', 'emaMin', 'batchesSeen', 'active']);
    const numbers = (key: string) => {
      const v = Array.isArray(s[key]) ? readList(op, `saved ${key}`, s[key]) : null;
      if (!v || v.some((x) => typeof x !== 'number')) throw new TypeError(`TrainingMonitor: saved ${key} must be a list of numbers, got ${describeValue(s[key])}`);
      return v as number[];
    };
    for (const key of ['ema', 'emaMin', 'batchesSeen']) {
      if (typeof s[key] !== 'number') throw new TypeError(`TrainingMonitor: saved ${key} must be a number, got ${describeValue(s[key])}`);
    }
    const active = Array.isArray(s.active) ? readList(op, 'saved active', s.active) : null;
    if (!active || active.some((t) => typeof t !== 'string' || !Object.hasOwn(HINTS, t))) throw new TypeError(`TrainingMonitor: saved active must list diagnosis types (${Object.keys(HINTS).join(', ')})`);
    const losses = numbers('losses');
    const valLosses = numbers('valLosses');
    this.losses = losses;
    this.valLosses = valLosses;
    this.ema = s.ema as number;
    this.emaMin = s.emaMin as number;
    this.batchesSeen = s.batchesSeen as number;
    this.active = new Set(active as DiagnosisType[]);
  }

  private divergence(reason: string, detail: Record<string, unknown>, step?: number): void {
    if (this.active.has('divergence')) return;
    this.active.add('divergence');
    this.emit('divergence', this.trainer.epoch, `divergence: ${reason}`, detail, step);
    if (this.options.stopOnDivergence) {
      stopTraining(this.trainer, `Stopping: training diverged (${reason})`, 'terminate', { diagnosis: 'divergence' }, step);
    }
  }

  /** Fires a diagnosis once while `present` holds; re-arms when it clears. */
  private report(type: DiagnosisType, present: boolean, epoch: number, message: string, detail: Record<string, unknown>): void {
    if (!present) {
      this.active.delete(type);
      return;
    }
    if (this.active.has(type)) return;
    this.active.add(type);
    this.emit(type, epoch, `${type}: ${message}`, detail);
  }

  private emit(type: DiagnosisType, epoch: number, message: string, detail: Record<string, unknown>, step?: number): void {
    const hints = HINTS[type];
    this.trainer.history.addEvent({
      kind: 'diagnosis', epoch, ...(step !== undefined ? { step } : {}), message, detail: { type, hints, ...detail },
    });
    this.trainer.log(`[diagnosis] epoch ${epoch + 1}: ${message}. Try: ${hints.join('; ')}.`);
  }
}

/**
 * Epochs the stagnation trend is fitted over, in windows: 4 windows make the fitted fall per
 * window about 5 times less noisy than one epoch's loss (its standard deviation is
 * sigma * n * sqrt(12 / (m^3 - m)) for m = 4n points), so ±2 % epoch-to-epoch noise does not
 * hide a 2 % fall per window.
 */
const SPAN = 4;

/**
 * The least-squares line through `l` (epochs 0..m-1) at the middle of its last n epochs
 * (`recent`) and n epochs before that (`before`).
 */
function smoothedTrend(l: number[], n: number): { before: number; recent: number } {
  const m = l.length;
  const tMean = (m - 1) / 2;
  const lMean = l.reduce((a, b) => a + b, 0) / m;
  let sxy = 0;
  let sxx = 0;
  l.forEach((v, t) => {
    sxy += (t - tMean) * (v - lMean);
    sxx += (t - tMean) ** 2;
  });
  const slope = sxy / sxx;
  const at = (t: number) => lMean + slope * (t - tMean);
  const last = m - n + (n - 1) / 2;
  return { before: at(last - n), recent: at(last) };
}

/** Four significant digits for messages (the detail keeps the exact value). */
function round(v: number): string {
  return Number(v.toPrecision(4)).toString();
}

function hitDetail(hit: NonFiniteHit): Record<string, unknown> {
  return { parameter: hit.name, index: hit.index, value: String(hit.value) };
}
