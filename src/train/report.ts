/**
 * writeReport(history, path): one self-contained HTML page — inline CSS and SVG, no scripts,
 * no external assets — with line charts of loss and validation loss (diagnosis events marked),
 * each metric (train and validation), and the learning rate, then the event list.
 * Non-finite values (a diverged loss) break the line instead of wrecking the axis.
 */
import {
  checkArray, checkNumber, checkPlainObject, checkString, isInstance, option, optionKeys, readOptions, readSafely, typeError,
} from '../validate/index.js';
import { checkFilePath } from './file_arguments.js';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from './atomic_file.js';
import { History, type TrainingEvent } from './history.js';
import { linearAxis, lrAxis, niceStep, type Axis } from './report_axis.js';

/** Series colours; tests look for them in a screenshot, so they are part of the contract. */
export const REPORT_COLORS = {
  train: '#1f77b4',
  validation: '#ff7f0e',
  metric: '#2ca02c',
  valMetric: '#9467bd',
  lr: '#8c564b',
  event: '#e377c2',
  resume: '#7f7f7f',
  best: '#17becf',
} as const;

interface Series {
  label: string;
  color: string;
  values: number[];
  /** SVG dash pattern: runs after the first of an overlay are dashed or dotted. */
  dash?: string;
}

/** Marks on a chart: diagnoses and resumes (events), and the best epoch. */
interface Marks {
  events?: TrainingEvent[];
  best?: number;
}

const W = 560;
const H = 280;
const PAD = { left: 66, right: 16, top: 34, bottom: 50 };
const DASHES = ['', '7 4', '2 3', '10 3 2 3'];

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const fmt = (v: number) => (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : Number(v.toPrecision(4)).toString());

/** One SVG line chart over epochs 1..n, with axis titles `yTitle` and 'epoch'. */
function chart(title: string, yTitle: string, series: Series[], axis: Axis, marks: Marks = {}): string {
  const n = Math.max(1, ...series.map((s) => s.values.length));
  const pw = W - PAD.left - PAD.right;
  const ph = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (n === 1 ? pw / 2 : (i / (n - 1)) * pw);
  const y = (v: number) => PAD.top + (1 - axis.at(v)) * ph;
  const parts: string[] = [];
  parts.push(`<rect x="${PAD.left}" y="${PAD.top}" width="${pw}" height="${ph}" fill="#fff" stroke="#bbb"/>`);
  for (const v of axis.ticks) {
    parts.push(`<line x1="${PAD.left}" x2="${PAD.left + pw}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#eee"/>`);
    parts.push(`<text x="${PAD.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" class="tick">${axis.label(v)}</text>`);
  }
  // Epoch ticks: every epoch up to 10, else 1 and the multiples of a round step.
  const step = n <= 10 ? 1 : Math.max(1, niceStep(n - 1, 8));
  const epochTicks = [1];
  for (let e = step; e <= n; e += step) if (e > 1) epochTicks.push(e);
  for (const e of epochTicks) {
    parts.push(`<text x="${x(e - 1).toFixed(1)}" y="${H - PAD.bottom + 16}" text-anchor="middle" class="tick">${e}</text>`);
  }
  parts.push(`<text x="${PAD.left + pw / 2}" y="${H - 8}" text-anchor="middle" class="axis">epoch</text>`);
  parts.push(`<text x="14" y="${PAD.top + ph / 2}" text-anchor="middle" class="axis" transform="rotate(-90 14 ${PAD.top + ph / 2})">${escape(yTitle)}${axis.log ? ' (log)' : ''}</text>`);
  if (marks.best !== undefined) {
    const bx = x(marks.best).toFixed(1);
    parts.push(`<g class="best"><title>best epoch ${marks.best + 1}</title>` +
      `<line x1="${bx}" x2="${bx}" y1="${PAD.top}" y2="${PAD.top + ph}" stroke="${REPORT_COLORS.best}" stroke-width="2" stroke-dasharray="2 3"/>` +
      `<text x="${bx}" y="${PAD.top + ph - 4}" text-anchor="middle" class="tick">best</text></g>`);
  }
  for (const e of marks.events ?? []) {
    if (e.kind === 'resume') {
      // Between the last saved epoch and the first resumed one: a solid grey line.
      const rx = x(Math.max(0, Math.min(e.epoch - 0.5, n - 1))).toFixed(1);
      parts.push(`<g class="resume"><title>${escape(e.message)}</title>` +
        `<line x1="${rx}" x2="${rx}" y1="${PAD.top}" y2="${PAD.top + ph}" stroke="${REPORT_COLORS.resume}" stroke-width="2"/>` +
        `<text x="${rx}" y="${PAD.top - 3}" text-anchor="middle" class="tick">resumed</text></g>`);
      continue;
    }
    const ex = x(Math.min(e.epoch, n - 1)).toFixed(1);
    parts.push(`<g><title>${escape(`epoch ${e.epoch + 1}: ${e.message}`)}</title>` +
      `<line x1="${ex}" x2="${ex}" y1="${PAD.top}" y2="${PAD.top + ph}" stroke="${REPORT_COLORS.event}" stroke-width="2" stroke-dasharray="5 4"/>` +
      `<circle cx="${ex}" cy="${PAD.top + 6}" r="5" fill="${REPORT_COLORS.event}"/></g>`);
  }
  for (const s of series) {
    // Split at non-finite values (and zeros on a log axis) so such an epoch leaves a gap.
    let run: string[] = [];
    const dash = s.dash ? ` stroke-dasharray="${s.dash}"` : '';
    const flush = () => {
      if (run.length === 1) parts.push(`<circle cx="${run[0].split(',')[0]}" cy="${run[0].split(',')[1]}" r="3" fill="${s.color}"/>`);
      if (run.length > 1) parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2.5"${dash} stroke-linejoin="round" points="${run.join(' ')}"/>`);
      run = [];
    };
    s.values.forEach((v, i) => (Number.isFinite(v) && (!axis.log || v > 0) ? run.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`) : flush()));
    flush();
  }
  const legend = series.map((s, i) =>
    `<line x1="${PAD.left + (i % 4) * 124}" x2="${PAD.left + (i % 4) * 124 + 16}" y1="${12 + 12 * Math.floor(i / 4)}" y2="${12 + 12 * Math.floor(i / 4)}" stroke="${s.color}" stroke-width="3"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>` +
    `<text x="${PAD.left + (i % 4) * 124 + 20}" y="${16 + 12 * Math.floor(i / 4)}" class="legend">${escape(s.label)}</text>`).join('');
  return `<figure><figcaption>${escape(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escape(title)}">${legend}${parts.join('')}</svg></figure>`;
}

/** The epoch with the lowest validation loss (the training loss without validation). */
function bestEpoch(history: History): number | undefined {
  const cols = history.history;
  const values = cols.valLoss ?? cols.loss ?? [];
  let best: number | undefined;
  values.forEach((v, i) => {
    if (Number.isFinite(v) && (best === undefined || v < values[best])) best = i;
  });
  return best;
}

/** Options of renderReport / writeReport. */
export interface ReportOptions {
  title?: string;
  /** One label per run (default 'run 1', 'run 2', ... when there are several). */
  labels?: string[];
  /** Test-set results per run (e.g. evaluate()'s output), shown in the table. */
  testMetrics?: Record<string, number> | Record<string, number>[];
}

const REPORT_KEYS = optionKeys<ReportOptions>({ title: true, labels: true, testMetrics: true });

/** A History or a non-empty list of Histories, as a list read once. */
function checkHistories(op: string, histories: unknown): History[] {
  const what = 'a History or a non-empty list of Histories';
  if (isInstance(histories, History)) return [histories];
  if (!Array.isArray(histories)) typeError(op, 'histories', what, histories);
  const runs = readSafely(op, 'histories', () => [...(histories as unknown[])]);
  if (runs.length === 0) throw new TypeError(`${op}: expected ${what}, got an empty list`);
  runs.forEach((h, i) => isInstance(h, History) || typeError(op, `histories[${i}]`, 'a History', h));
  return runs as History[];
}

/** Report options (or, for renderReport, a title string), read once and checked. */
function reportOptions(op: string, options: unknown, titleString: boolean): ReportOptions {
  if (titleString && typeof options === 'string') return { title: options };
  const o = readOptions<ReportOptions>(op, options, REPORT_KEYS);
  if (o.title !== undefined) checkString(op, option('title'), o.title);
  let labels: string[] | undefined;
  if (o.labels !== undefined) {
    labels = [...checkArray(op, option('labels'), o.labels, 'an array of strings')] as string[];
    labels.forEach((l, i) => checkString(op, `option 'labels'[${i}]`, l));
  }
  let testMetrics: ReportOptions['testMetrics'];
  if (o.testMetrics !== undefined) {
    const list = Array.isArray(o.testMetrics) ? [...o.testMetrics] : [o.testMetrics];
    const copies = list.map((m, i) => {
      const name = Array.isArray(o.testMetrics) ? `option 'testMetrics'[${i}]` : option('testMetrics');
      const rec = checkPlainObject(op, name, m, 'an object of numbers');
      const out: Record<string, number> = {};
      readSafely(op, name, () => {
        for (const [k, v] of Object.entries(rec)) out[k] = checkNumber(op, `${name} '${k}'`, v, { infinite: true, nan: true });
      });
      return out;
    });
    testMetrics = Array.isArray(o.testMetrics) ? copies : copies[0];
  }
  return { title: o.title, labels, testMetrics };
}

/** The report page as a string: one History, or several overlaid (solid, dashed, dotted). */
export function renderReport(histories: History | History[], options: ReportOptions | string = {}): string {
  const runs = checkHistories('renderReport', histories);
  const opts = reportOptions('renderReport', options, true);
  const title = opts.title ?? 'Training report';
  const names = runs.map((_, r) => opts.labels?.[r] ?? (runs.length > 1 ? `run ${r + 1}` : ''));
  const label = (r: number, key: string) => (names[r] ? `${names[r]} ${key}` : key);
  const dash = (r: number) => DASHES[r % DASHES.length] || undefined;
  const cols = runs.map((h) => h.history);
  const single = runs.length === 1;
  const charts: string[] = [];

  const loss: Series[] = runs.flatMap((_, r) => [
    { label: label(r, 'loss'), color: REPORT_COLORS.train, values: cols[r].loss ?? [], dash: dash(r) },
    ...(cols[r].valLoss ? [{ label: label(r, 'valLoss'), color: REPORT_COLORS.validation, values: cols[r].valLoss, dash: dash(r) }] : []),
  ]);
  charts.push(chart('Loss', 'loss', loss, linearAxis(loss.flatMap((s) => s.values.filter(Number.isFinite))), single ? {
    events: runs[0].events.filter((e) => e.kind === 'diagnosis' || e.kind === 'resume'), best: bestEpoch(runs[0]),
  } : {}));
  const lr: Series[] = runs.flatMap((_, r) => (cols[r].lr ? [{ label: label(r, 'lr'), color: REPORT_COLORS.lr, values: cols[r].lr, dash: dash(r) }] : []));
  if (lr.length) charts.push(chart('Learning rate', 'learning rate', lr, lrAxis(lr.flatMap((s) => s.values.filter(Number.isFinite)))));
  const metricNames = new Set(runs.flatMap((h) => h.epochs.flatMap((e) => [...Object.keys(e.metrics), ...Object.keys(e.valMetrics)])));
  for (const m of metricNames) {
    const valName = 'val' + m[0].toUpperCase() + m.slice(1);
    const s: Series[] = runs.flatMap((_, r) => [
      ...(cols[r][m] ? [{ label: label(r, m), color: REPORT_COLORS.metric, values: cols[r][m], dash: dash(r) }] : []),
      ...(cols[r][valName] ? [{ label: label(r, valName), color: REPORT_COLORS.valMetric, values: cols[r][valName], dash: dash(r) }] : []),
    ]);
    charts.push(chart(m, m, s, linearAxis(s.flatMap((x) => x.values.filter(Number.isFinite)))));
  }

  // Settings and results, one column per run.
  const tests = opts.testMetrics === undefined ? [] : Array.isArray(opts.testMetrics) ? opts.testMetrics : [opts.testMetrics];
  const summary = runs.map((h, r) => {
    const c = cols[r];
    const seconds = (c.seconds ?? []).filter(Number.isFinite).reduce((a, b) => a + b, 0);
    const best = bestEpoch(h);
    const rows: [string, string][] = Object.entries(h.params).map(([k, v]) => [k, typeof v === 'number' ? fmt(v) : String(v)]);
    rows.push(['epochs run', String(h.epochs.length)]);
    if (seconds) rows.push(['seconds', seconds.toFixed(1)]);
    if (best !== undefined) rows.push(['best epoch', `${best + 1} (${c.valLoss ? 'valLoss' : 'loss'} ${fmt((c.valLoss ?? c.loss)[best])})`]);
    rows.push(['final loss', fmt(c.loss?.at(-1) ?? NaN)]);
    if (c.valLoss) rows.push(['final valLoss', fmt(c.valLoss.at(-1) ?? NaN)]);
    if (h.checkpoints.saves) rows.push(['checkpoint saves', `${h.checkpoints.saves} (last ${h.checkpoints.last?.path ?? ''})`]);
    const resumes = h.eventsOf('resume').length;
    if (resumes) rows.push(['resumes', String(resumes)]);
    for (const [k, v] of Object.entries(tests[r] ?? {})) rows.push([`test ${k}`, fmt(v)]);
    return new Map(rows);
  });
  const keys = [...new Set(summary.flatMap((m) => [...m.keys()]))];
  const header = `<tr><th></th>${runs.map((_, r) => `<th>${escape(names[r] || 'run')}</th>`).join('')}</tr>`;
  const table = `<table class="summary">${header}${keys.map((k) =>
    `<tr><th>${escape(k)}</th>${summary.map((m) => `<td>${k === 'model' ? `<pre>${escape(m.get(k) ?? '')}</pre>` : escape(m.get(k) ?? '')}</td>`).join('')}</tr>`).join('')}</table>`;
  const rows = runs.flatMap((h, r) => h.events.map((e) =>
    `<tr>${single ? '' : `<td>${escape(names[r])}</td>`}<td>${e.epoch + 1}</td><td>${e.step ?? ''}</td><td>${escape(e.kind)}</td><td>${escape(e.message)}</td>` +
    `<td>${escape(Array.isArray(e.detail?.hints) ? (e.detail!.hints as string[]).join('; ') : '')}</td></tr>`)).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>
body { font: 13px/1.4 system-ui, sans-serif; margin: 12px 16px; color: #222; background: #fff; }
h1 { font-size: 17px; margin: 0 0 6px; } h2 { font-size: 15px; }
.grid { display: grid; grid-template-columns: repeat(2, ${W}px); gap: 8px 24px; }
figure { margin: 0; } figcaption { font-weight: 600; margin-bottom: 2px; }
.tick { font-size: 10px; fill: #555; } .legend { font-size: 11px; fill: #333; } .axis { font-size: 11px; fill: #333; }
table { border-collapse: collapse; margin-top: 12px; } td, th { border: 1px solid #ddd; padding: 2px 6px; text-align: left; vertical-align: top; }
pre { margin: 0; font-size: 11px; }
</style></head><body>
<h1>${escape(title)}</h1>
${table}
<div class="grid">${charts.join('\n')}</div>
<h2>Events</h2>
<table><tr>${single ? '' : '<th>run</th>'}<th>epoch</th><th>step</th><th>kind</th><th>message</th><th>hints</th></tr>${rows}</table>
</body></html>
`;
}

/** Writes the report for one History, or several overlaid, to `path` (atomically). */
export function writeReport(histories: History | History[], path: string, options: ReportOptions = {}): void {
  checkHistories('writeReport', histories);
  checkFilePath('writeReport', path);
  const opts = reportOptions('writeReport', options, false);
  const html = renderReport(histories, opts);
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic(path, html);
}
