/**
 * study.trialsTable(): the trials as flat rows (Optuna's trials_dataframe columns in camelCase:
 * number, state, value, datetimeStart, datetimeComplete, duration, params_<name>,
 * userAttrs_<name>, errorMessage), sorted best first — COMPLETE trials by value in the study's
 * direction, then PRUNED ones by value, then the rest by number — or by number.
 */
import type { FrozenTrial, StudyDirection } from './frozen_trial.js';
import { checkOptionKeys } from './options.js';
import { checkDirection, checkTrials, copyOptions } from './arguments.js';

export type Cell = string | number | boolean | null;
/** One row of the trials table: column name to cell. */
export type TrialRow = Record<string, Cell>;

/** Options of trialsTable: sort by 'value' (best first, the default) or by 'number'. */
export interface TrialsTableOptions {
  sortBy?: 'value' | 'number';
}

/** The trials as flat rows with Optuna's trials_dataframe columns in camelCase; `String(table)` aligns them as text. */
export interface TrialsTable {
  columns: string[];
  rows: TrialRow[];
  /** Aligned plain text, one line per row. */
  toString(): string;
}

const RANK: Record<string, number> = { COMPLETE: 0, PRUNED: 1 };

/** The trials table of a list of trials (study.trialsTable() calls it with the study's trials and direction). */
export function trialsTable(trials: readonly FrozenTrial[], direction: StudyDirection, options: TrialsTableOptions = {}): TrialsTable {
  trials = checkTrials('trialsTable', 'trials', trials);
  checkDirection('trialsTable', 'direction', direction);
  options = copyOptions<TrialsTableOptions>('trialsTable', options) ?? {};
  checkOptionKeys('trialsTable', options, ['sortBy']);
  const sortBy = options.sortBy ?? 'value';
  if (sortBy !== 'value' && sortBy !== 'number') throw new RangeError(`trialsTable: sortBy must be 'value' or 'number', got '${String(sortBy)}'`);
  const sign = direction === 'minimize' ? 1 : -1;
  const sorted = [...trials].sort((a, b) => {
    if (sortBy === 'number') return a.number - b.number;
    const ra = RANK[a.state] ?? 2;
    const rb = RANK[b.state] ?? 2;
    if (ra !== rb) return ra - rb;
    if (ra < 2 && a.value !== b.value) {
      if (a.value === null) return 1;
      if (b.value === null) return -1;
      return sign * (a.value - b.value);
    }
    return a.number - b.number;
  });
  const paramNames = [...new Set(trials.flatMap((t) => Object.keys(t.params)))].sort();
  const attrNames = [...new Set(trials.flatMap((t) => Object.keys(t.userAttrs)))].sort();
  const columns = ['number', 'state', 'value', 'datetimeStart', 'datetimeComplete', 'duration',
    ...paramNames.map((p) => `params_${p}`), ...attrNames.map((a) => `userAttrs_${a}`), 'errorMessage'];
  const rows = sorted.map((t) => {
    const row: TrialRow = {
      number: t.number, state: t.state, value: t.value,
      datetimeStart: t.datetimeStart?.toISOString() ?? null, datetimeComplete: t.datetimeComplete?.toISOString() ?? null,
      duration: t.duration,
    };
    for (const p of paramNames) row[`params_${p}`] = Object.hasOwn(t.params, p) ? t.params[p] : null;
    for (const a of attrNames) row[`userAttrs_${a}`] = Object.hasOwn(t.userAttrs, a) ? toCell(t.userAttrs[a]) : null;
    row.errorMessage = t.errorMessage;
    return row;
  });
  return { columns, rows, toString: () => render(columns, rows) };
}

function toCell(v: unknown): Cell {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v) ? (v as Cell) : JSON.stringify(v);
}

function render(columns: string[], rows: TrialRow[]): string {
  const text = (c: Cell) => (c === null ? '' : typeof c === 'number' ? String(Number(c.toPrecision(6))) : String(c));
  const shown = columns.filter((c) => c !== 'datetimeStart' && c !== 'datetimeComplete');
  const cells = [shown, ...rows.map((r) => shown.map((c) => text(r[c])))];
  const widths = shown.map((_, i) => Math.max(...cells.map((line) => line[i].length)));
  return cells.map((line) => line.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}
