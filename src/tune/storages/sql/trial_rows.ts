/**
 * Reading trials back from the relational schema, and the per-study cache that keeps the reads
 * small: a refresh lists (trial_id, version) for the study, then fetches in full only the trials
 * that are new or whose version moved — a study of 10 000 finished trials costs one narrow scan
 * per suggestion, not 10 000 rows of parameters and intermediate values. Finished trials never
 * change (the storage refuses it), so they are fetched once per process.
 */
import { distributionFromJSON, type Distribution, type DistributionJSON, type ParamValue } from '../../distributions.js';
import { FrozenTrial, type TrialState } from '../../frozen_trial.js';
import type { JsonValue } from '../../json.js';
import { decodeJson } from '../journal_codec.js';
import type { Row, SqlTx, SqlValue } from './driver.js';

/** Rows per IN (…) list: below SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const date = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(Number(v)));

/** Parses distribution JSON text once per distinct text (most trials share a few). */
const distributions = new Map<string, Distribution>();
export function parseDistribution(text: string): Distribution {
  let d = distributions.get(text);
  if (!d) {
    d = distributionFromJSON(decodeJson(text) as DistributionJSON);
    if (distributions.size > 10_000) distributions.clear();
    distributions.set(text, d);
  }
  return d;
}

export interface CacheEntry { studyId: number; version: number; trial: FrozenTrial }

/** Fetches the trials with these ids, in full, keyed by id, each with its version. */
export async function fetchTrials(tx: SqlTx, ids: readonly number[]): Promise<Map<number, CacheEntry>> {
  const out = new Map<number, CacheEntry>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK) as SqlValue[];
    const marks = chunk.map(() => '?').join(',');
    // One after the other: a PostgreSQL connection runs one query at a time anyway.
    const trials = await tx.all(`SELECT * FROM steepest_trials WHERE trial_id IN (${marks})`, chunk);
    const params = await tx.all(`SELECT trial_id, name, value, distribution_json FROM steepest_trial_params WHERE trial_id IN (${marks}) ORDER BY param_id`, chunk);
    const values = await tx.all(`SELECT trial_id, step, value FROM steepest_trial_values WHERE trial_id IN (${marks}) ORDER BY trial_id, step`, chunk);
    const attrs = await tx.all(`SELECT trial_id, kind, key, value_json FROM steepest_trial_attrs WHERE trial_id IN (${marks})`, chunk);
    const group = (rows: Row[]) => {
      const m = new Map<number, Row[]>();
      for (const r of rows) {
        const id = Number(r.trial_id);
        let list = m.get(id);
        if (!list) m.set(id, (list = []));
        list.push(r);
      }
      return m;
    };
    const [p, v, a] = [group(params), group(values), group(attrs)];
    for (const row of trials) {
      const id = Number(row.trial_id);
      out.set(id, { studyId: Number(row.study_id), version: Number(row.version), trial: toFrozen(row, p.get(id) ?? [], v.get(id) ?? [], a.get(id) ?? []) });
    }
  }
  return out;
}

function toFrozen(row: Row, params: Row[], values: Row[], attrs: Row[]): FrozenTrial {
  const external: Record<string, ParamValue> = {};
  const dists: Record<string, Distribution> = {};
  for (const p of params) {
    const d = parseDistribution(String(p.distribution_json));
    dists[String(p.name)] = d;
    external[String(p.name)] = d.toExternalRepr(Number(p.value));
  }
  const intermediate = new Map<number, number>();
  for (const v of values) intermediate.set(Number(v.step), num(v.value) ?? NaN);
  const userAttrs: Record<string, JsonValue> = {};
  const systemAttrs: Record<string, JsonValue> = {};
  for (const a of attrs) (a.kind === 'user' ? userAttrs : systemAttrs)[String(a.key)] = decodeJson(String(a.value_json)) as JsonValue;
  return new FrozenTrial({
    number: Number(row.number), trialId: Number(row.trial_id), state: row.state as TrialState, value: num(row.value),
    params: external, distributions: dists, intermediateValues: intermediate,
    datetimeStart: date(row.start_ms), datetimeComplete: date(row.complete_ms),
    userAttrs, systemAttrs, errorMessage: row.error_message === null || row.error_message === undefined ? null : String(row.error_message),
  });
}

/** One study's trials as last read, by id. */
export class TrialCache {
  private readonly byId = new Map<number, CacheEntry>();

  /** The study's trials in number order, re-reading only what changed since the last call. */
  async read(tx: SqlTx, studyId: number): Promise<FrozenTrial[]> {
    const list = await tx.all('SELECT trial_id, version FROM steepest_trials WHERE study_id = ? ORDER BY number', [studyId]);
    const stale: number[] = [];
    for (const r of list) {
      const hit = this.byId.get(Number(r.trial_id));
      if (!hit || hit.version !== Number(r.version)) stale.push(Number(r.trial_id));
    }
    if (stale.length) for (const [id, entry] of await fetchTrials(tx, stale)) this.byId.set(id, entry);
    return list.map((r) => this.byId.get(Number(r.trial_id))!.trial);
  }

  /** Records a trial this process just wrote (saves the read). */
  put(trialId: number, version: number, trial: FrozenTrial, studyId = -1): void {
    this.byId.set(trialId, { studyId, version, trial });
  }
}
