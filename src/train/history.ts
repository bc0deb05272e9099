/**
 * History: what a training run produced, per epoch (train loss, validation loss, metrics,
 * learning rate, seconds) and as structured events (diagnoses, early stop, lr changes,
 * resumes). Checkpoint saves are counted rather than listed (`checkpoints`): a run that saves
 * every epoch would otherwise bury the events that matter. JSON-serializable both ways; NaN and ±Infinity survive as the strings "NaN",
 * "Infinity", "-Infinity", since a diverged run's history must still round-trip (so a string
 * value that is exactly one of those comes back as the number).
 */
import { checkArray, checkChoice, checkInteger, checkNumber, checkPlainObject, checkString, isPlainObject, optionKeys, readOptions, readSafely, typeError } from '../validate/index.js';
import { checkHook } from './callbacks/callback.js';
import type { Logs } from './contracts.js';

/** One epoch's results. `metrics` and `valMetrics` are keyed by metric name (accuracy, f1Macro...). */
export interface EpochRecord {
  /** 0-based epoch index. */
  epoch: number;
  loss: number;
  valLoss?: number;
  metrics: Record<string, number>;
  valMetrics: Record<string, number>;
  /** Learning rate of the first parameter group at the end of the epoch. */
  lr?: number;
  seconds?: number;
}

/** The kinds of training events History records (diagnoses, early stops, lr changes, ...). */
export type EventKind = 'diagnosis' | 'earlyStop' | 'lrChange' | 'terminate' | 'resume' | 'info';

/** The checkpoint saves of a run: how many, and the last one. */
export interface CheckpointSummary {
  saves: number;
  /** 0-based epoch and file of the last save. */
  last?: { epoch: number; path: string };
}

/** Something that happened during training, for logs, reports and post-mortems. */
export interface TrainingEvent {
  kind: EventKind;
  /** 0-based epoch in which it happened. */
  epoch: number;
  /** Global step (batch count since training began), when it happened inside an epoch. */
  step?: number;
  /** One line for humans. */
  message: string;
  /** Machine-readable details (diagnosis type, hints, parameter name, file path...). */
  detail?: Record<string, unknown>;
}

/** The plain-JSON form of a History. */
export interface HistoryJSON {
  epochs: EpochRecord[];
  events: TrainingEvent[];
  /** Absent in a History saved before saves were counted. */
  checkpoints?: CheckpointSummary;
  params?: Record<string, string | number>;
}

const RESERVED = new Set(['epoch', 'loss', 'valLoss', 'lr', 'seconds']);
const EVENT_KINDS: readonly EventKind[] = ['diagnosis', 'earlyStop', 'lrChange', 'terminate', 'resume', 'info'];
const EVENT_KEYS = optionKeys<TrainingEvent>({ kind: true, epoch: true, step: true, message: true, detail: true });

/** An event, read once and checked. */
function checkEvent(op: string, event: unknown): TrainingEvent {
  const e = readOptions<TrainingEvent>(op, event, EVENT_KEYS, 'event');
  checkChoice(op, "event 'kind'", e.kind, EVENT_KINDS);
  checkInteger(op, "event 'epoch'", e.epoch, { min: 0 });
  if (e.step !== undefined) checkInteger(op, "event 'step'", e.step, { min: 0 });
  checkString(op, "event 'message'", e.message);
  if (e.detail !== undefined) checkPlainObject(op, "event 'detail'", e.detail);
  return e as TrainingEvent;
}

const JSON_KEYS = optionKeys<HistoryJSON>({ epochs: true, events: true, checkpoints: true, params: true });

/** Per-epoch records and events of one training run. */
export class History {
  readonly epochs: EpochRecord[] = [];
  readonly events: TrainingEvent[] = [];
  checkpoints: CheckpointSummary = { saves: 0 };
  /** The run's settings, for the report (fit fills in optimizer, lr, batchSize, epochs, model). */
  params: Record<string, string | number> = {};

  /** Counts a checkpoint save (ModelCheckpoint). */
  recordCheckpoint(epoch: number, path: string): void {
    checkInteger('History.recordCheckpoint', 'epoch', epoch, { min: 0 });
    checkString('History.recordCheckpoint', 'path', path, true);
    this.checkpoints = { saves: this.checkpoints.saves + 1, last: { epoch, path } };
  }

  /** Appends an epoch from flat logs: loss, valLoss, lr, seconds, and val-prefixed metrics. */
  recordEpoch(epoch: number, logs: Logs): EpochRecord {
    checkHook('History.recordEpoch', epoch, logs);
    const record: EpochRecord = { epoch, loss: logs.loss ?? NaN, metrics: {}, valMetrics: {} };
    if (logs.valLoss !== undefined) record.valLoss = logs.valLoss;
    if (logs.lr !== undefined) record.lr = logs.lr;
    if (logs.seconds !== undefined) record.seconds = logs.seconds;
    for (const [key, value] of Object.entries(logs)) {
      if (RESERVED.has(key)) continue;
      if (/^val[A-Z]/.test(key)) record.valMetrics[key[3].toLowerCase() + key.slice(4)] = value;
      else record.metrics[key] = value;
    }
    this.epochs.push(record);
    return record;
  }

  /** Records a training event (validated first). */
  addEvent(event: TrainingEvent): void {
    this.events.push(checkEvent('History.addEvent', event));
  }

  /** Events of one kind. */
  eventsOf(kind: EventKind): TrainingEvent[] {
    checkChoice('History.eventsOf', 'kind', kind, EVENT_KINDS);
    return this.events.filter((e) => e.kind === kind);
  }

  /**
   * Keras-style columns: `loss`, `valLoss`, each metric and its `val` twin, `lr`, `seconds`,
   * one value per epoch (NaN where an epoch lacks it).
   */
  get history(): Record<string, number[]> {
    const keys = new Set<string>(['loss']);
    for (const e of this.epochs) {
      if (e.valLoss !== undefined) keys.add('valLoss');
      for (const k of Object.keys(e.metrics)) keys.add(k);
      for (const k of Object.keys(e.valMetrics)) keys.add('val' + k[0].toUpperCase() + k.slice(1));
      if (e.lr !== undefined) keys.add('lr');
      if (e.seconds !== undefined) keys.add('seconds');
    }
    const columns: Record<string, number[]> = {};
    for (const key of keys) columns[key] = this.epochs.map((e) => History.value(e, key));
    return columns;
  }

  /** One column of `history`. */
  series(key: string): number[] {
    checkString('History.series', 'key', key, true);
    return this.epochs.map((e) => History.value(e, key));
  }

  /** The history as plain JSON (epochs, events, checkpoints), as written to reports and checkpoints. */
  toJSON(): HistoryJSON {
    return encodeNonFinite({ epochs: this.epochs, events: this.events, checkpoints: this.checkpoints, params: this.params }) as HistoryJSON;
  }

  /** Rebuilds a History from `toJSON()` output (or its JSON text). */
  static fromJSON(json: HistoryJSON | string): History {
    const op = 'History.fromJSON';
    let parsed: unknown = json;
    if (typeof json === 'string') {
      try {
        parsed = JSON.parse(json);
      } catch (e) {
        throw new SyntaxError(`${op}: the text is not JSON: ${(e as Error).message}`, { cause: e });
      }
    }
    const data = readSafely(op, 'json', () => decodeNonFinite(readOptions<HistoryJSON>(op, parsed, JSON_KEYS, 'json'))) as HistoryJSON;
    checkArray(op, "json 'epochs'", data.epochs);
    checkArray(op, "json 'events'", data.events);
    data.epochs.forEach((e, i) => {
      if (!isPlainObject(e)) typeError(op, `epochs[${i}]`, 'an epoch record', e);
      checkInteger(op, `epochs[${i}].epoch`, e.epoch, { min: 0 });
      checkNumber(op, `epochs[${i}].loss`, e.loss, { infinite: true, nan: true });
      for (const k of ['metrics', 'valMetrics'] as const) {
        if (!isPlainObject(e[k])) typeError(op, `epochs[${i}].${k}`, 'an object of numbers', e[k]);
      }
    });
    const events = data.events.map((e) => checkEvent(op, e));
    const h = new History();
    h.epochs.push(...data.epochs);
    h.events.push(...events);
    if (data.params && typeof data.params === 'object') h.params = { ...data.params };
    const saves = data.checkpoints?.saves;
    if (saves !== undefined) {
      if (!Number.isSafeInteger(saves) || saves < 0) throw new TypeError(`History.fromJSON: checkpoints.saves must be a non-negative integer, got ${String(saves)}`);
      h.checkpoints = { saves, ...(data.checkpoints!.last ? { last: { ...data.checkpoints!.last } } : {}) };
    }
    return h;
  }

  private static value(e: EpochRecord, key: string): number {
    if (key === 'loss') return e.loss;
    if (key === 'valLoss' || key === 'lr' || key === 'seconds') return e[key] ?? NaN;
    if (/^val[A-Z]/.test(key)) return e.valMetrics[key[3].toLowerCase() + key.slice(4)] ?? NaN;
    return e.metrics[key] ?? NaN;
  }
}

const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

function encodeNonFinite(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (Array.isArray(value)) return value.map(encodeNonFinite);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeNonFinite(v)]));
  }
  return value;
}

function decodeNonFinite(value: unknown): unknown {
  if (typeof value === 'string' && value in NON_FINITE) return NON_FINITE[value];
  if (Array.isArray(value)) return value.map(decodeNonFinite);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeNonFinite(v)]));
  }
  return value;
}
