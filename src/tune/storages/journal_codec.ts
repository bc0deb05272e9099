/**
 * One journal line per storage operation: JSON, with non-finite numbers written as
 * {"$num":"NaN"} (JSON has no NaN or Infinity) and distributions in Optuna's JSON layout. The
 * relational storages keep attributes and distributions in the same text form.
 */
import { distributionFromJSON, type DistributionJSON } from '../distributions.js';
import type { StorageOp } from './ops.js';

export const JOURNAL_HEADER = { op: 'header', format: 'steepest-journal', version: 1 } as const;

/** JSON text that keeps NaN and ±Infinity. */
export function encodeJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === 'number' && !Number.isFinite(v) ? { $num: String(v) } : v));
}

/** The inverse of encodeJson. */
export function decodeJson(text: string): unknown {
  return JSON.parse(text, (_key, value) =>
    value !== null && typeof value === 'object' && !Array.isArray(value) && typeof value.$num === 'string' && Object.keys(value).length === 1
      ? Number(value.$num) : value);
}

export function encodeOp(op: StorageOp | typeof JOURNAL_HEADER): string {
  return encodeJson(op) + '\n';
}

/** Parses one line; throws (with the caller's context) when it is not a known operation. */
export function decodeOp(line: string): StorageOp | typeof JOURNAL_HEADER {
  const raw = decodeJson(line) as Record<string, unknown> | null;
  if (raw === null || typeof raw !== 'object' || typeof raw.op !== 'string') throw new TypeError('not a journal operation');
  if (raw.op === 'setParam') raw.distribution = distributionFromJSON(raw.distribution as DistributionJSON);
  if (raw.op === 'createTrial') {
    for (const p of Object.values(raw.params as Record<string, { distribution: DistributionJSON }>)) {
      (p as { distribution: unknown }).distribution = distributionFromJSON(p.distribution);
    }
  }
  return raw as unknown as StorageOp;
}
