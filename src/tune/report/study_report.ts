/**
 * tune.writeStudyReport(study, 'study.html'): one self-contained page (inline SVG, no script, no
 * external resource) with the optimization history (each completed trial's value and the best so
 * far), a slice plot per parameter (value against the parameter, log axes for log parameters),
 * parallel coordinates (one line per completed trial, coloured from best to worst), parameter
 * importances (importance.ts: first-order variance share) and the best trial's parameters.
 */
import { writeFileSync, renameSync } from 'node:fs';
import { CategoricalDistribution, type Distribution } from '../distributions.js';
import type { FrozenTrial, StudyDirection } from '../frozen_trial.js';
import { transform, transformedBounds } from '../search_space/transform.js';
import { parameterImportances } from './importance.js';
import { checkStudyLike } from '../arguments.js';
import { checkFilePath } from '../../train/file_arguments.js';
import { checkString } from '../../validate/index.js';
import { copyOptions } from '../arguments.js';

/** The colours of the study report's plots (matplotlib's defaults). */
export const STUDY_REPORT_COLORS = { trial: '#1f77b4', best: '#d62728', bar: '#2ca02c', good: '#d62728', bad: '#9ecae1' } as const;

/** What the report reads of a study (a Study satisfies it). */
export interface StudyLike {
  readonly studyName: string;
  readonly direction: StudyDirection;
  readonly trials: readonly FrozenTrial[];
}

const W = 560, H = 260, PAD = { left: 62, right: 16, top: 30, bottom: 40 };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const num = (v: number) => (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : Number(v.toPrecision(4)).toString());

/** A linear map of [lo, hi] onto [a, b], safe for lo == hi. */
const scale = (lo: number, hi: number, a: number, b: number) => (v: number) => (hi > lo ? a + ((v - lo) / (hi - lo)) * (b - a) : (a + b) / 2);

function frame(title: string, xLabel: string, yLabel: string, body: string, yTicks: [number, string][], xTicks: [number, string][]): string {
  const ticks = yTicks.map(([y, t]) => `<line x1="${PAD.left - 4}" x2="${PAD.left}" y1="${y}" y2="${y}" stroke="#555"/><text x="${PAD.left - 6}" y="${y + 4}" text-anchor="end" font-size="10">${esc(t)}</text>`).join('')
    + xTicks.map(([x, t]) => `<line x1="${x}" x2="${x}" y1="${H - PAD.bottom}" y2="${H - PAD.bottom + 4}" stroke="#555"/><text x="${x}" y="${H - PAD.bottom + 15}" text-anchor="middle" font-size="10">${esc(t)}</text>`).join('');
  return `<figure><figcaption>${esc(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`
    + `<rect x="${PAD.left}" y="${PAD.top}" width="${W - PAD.left - PAD.right}" height="${H - PAD.top - PAD.bottom}" fill="none" stroke="#999"/>`
    + ticks + body
    + `<text x="${(PAD.left + W - PAD.right) / 2}" y="${H - 6}" text-anchor="middle" font-size="11">${esc(xLabel)}</text>`
    + `<text x="14" y="${(PAD.top + H - PAD.bottom) / 2}" text-anchor="middle" font-size="11" transform="rotate(-90 14 ${(PAD.top + H - PAD.bottom) / 2})">${esc(yLabel)}</text>`
    + `</svg></figure>`;
}

function linearTicks(lo: number, hi: number, map: (v: number) => number, count = 5): [number, string][] {
  if (!(hi > lo)) return [[map(lo), num(lo)]];
  return Array.from({ length: count }, (_, i) => lo + ((hi - lo) * i) / (count - 1)).map((v) => [map(v), num(v)]);
}

function history(done: FrozenTrial[], direction: StudyDirection): string {
  const values = done.map((t) => t.value!);
  const lo = Math.min(...values), hi = Math.max(...values);
  const nMax = Math.max(1, ...done.map((t) => t.number));
  const x = scale(0, nMax, PAD.left + 6, W - PAD.right - 6), y = scale(lo, hi, H - PAD.bottom - 6, PAD.top + 6);
  const better = (a: number, b: number) => (direction === 'minimize' ? a < b : a > b);
  let best = NaN;
  const bestPts = done.map((t) => { if (Number.isNaN(best) || better(t.value!, best)) best = t.value!; return `${x(t.number).toFixed(1)},${y(best).toFixed(1)}`; });
  const dots = done.map((t) => `<circle cx="${x(t.number).toFixed(1)}" cy="${y(t.value!).toFixed(1)}" r="3" fill="${STUDY_REPORT_COLORS.trial}"/>`).join('');
  const line = `<polyline points="${bestPts.join(' ')}" fill="none" stroke="${STUDY_REPORT_COLORS.best}" stroke-width="2.5"/>`;
  return frame('Optimization history', 'trial', 'objective value', dots + line, linearTicks(lo, hi, y), linearTicks(0, nMax, x).map(([p, t]) => [p, String(Math.round(Number(t)))]));
}

/** Position of a parameter value in [0, 1] on its axis (log for log parameters, index for choices). */
function unit(d: Distribution, v: unknown): number {
  if (d instanceof CategoricalDistribution) return d.choices.length > 1 ? d.toInternalRepr(v as never) / (d.choices.length - 1) : 0.5;
  const [lo, hi] = transformedBounds(d);
  return hi > lo ? (transform(d, v as number) - lo) / (hi - lo) : 0.5;
}

function axisTicks(d: Distribution, map: (u: number) => number): [number, string][] {
  if (d instanceof CategoricalDistribution) return d.choices.map((c, i) => [map(d.choices.length > 1 ? i / (d.choices.length - 1) : 0.5), String(c)]);
  const [lo, hi] = transformedBounds(d);
  return [0, 0.25, 0.5, 0.75, 1].map((u) => [map(u), num(d.log ? Math.exp(lo + u * (hi - lo)) : lo + u * (hi - lo))]);
}

function slice(name: string, done: FrozenTrial[]): string {
  const rows = done.filter((t) => name in t.params);
  const d = rows[0].distributions[name];
  const values = rows.map((t) => t.value!);
  const lo = Math.min(...values), hi = Math.max(...values);
  const x = scale(0, 1, PAD.left + 8, W - PAD.right - 8), y = scale(lo, hi, H - PAD.bottom - 6, PAD.top + 6);
  const dots = rows.map((t) => `<circle cx="${x(unit(d, t.params[name])).toFixed(1)}" cy="${y(t.value!).toFixed(1)}" r="3" fill="${STUDY_REPORT_COLORS.trial}"/>`).join('');
  const isLog = !(d instanceof CategoricalDistribution) && d.log;
  return frame(`Slice: ${name}`, `${name}${isLog ? ' (log scale)' : ''}`, 'objective value', dots, linearTicks(lo, hi, y), axisTicks(d, x));
}

function parallel(names: string[], done: FrozenTrial[], direction: StudyDirection): string {
  const rows = done.filter((t) => names.every((n) => n in t.params));
  const axes = ['objective', ...names];
  const xs = scale(0, Math.max(1, axes.length - 1), PAD.left + 10, W - PAD.right - 30);
  const y = scale(0, 1, H - PAD.bottom - 6, PAD.top + 6);
  const values = rows.map((t) => t.value!);
  const lo = Math.min(...values), hi = Math.max(...values);
  const goodness = (v: number) => (hi > lo ? (direction === 'minimize' ? (hi - v) / (hi - lo) : (v - lo) / (hi - lo)) : 1);
  // Worst first, so the best lines are drawn on top.
  const sorted = [...rows].sort((a, b) => goodness(a.value!) - goodness(b.value!));
  const color = (g: number) => (g > 0.8 ? STUDY_REPORT_COLORS.good : STUDY_REPORT_COLORS.bad);
  const lines = sorted.map((t) => {
    const pts = axes.map((a, i) => `${xs(i).toFixed(1)},${y(i === 0 ? (hi > lo ? (t.value! - lo) / (hi - lo) : 0.5) : unit(t.distributions[a], t.params[a])).toFixed(1)}`);
    return `<polyline points="${pts.join(' ')}" fill="none" stroke="${color(goodness(t.value!))}" stroke-width="1.2" opacity="0.8"/>`;
  }).join('');
  const axisLines = axes.map((a, i) => `<line x1="${xs(i)}" x2="${xs(i)}" y1="${PAD.top}" y2="${H - PAD.bottom}" stroke="#333"/><text x="${xs(i)}" y="${H - PAD.bottom + 15}" text-anchor="middle" font-size="10">${esc(a)}</text>`).join('');
  return frame('Parallel coordinates (red: best 20 % of the value range)', '', 'position on each axis', lines + axisLines, [], []);
}

function importances(done: FrozenTrial[]): string {
  const imp = parameterImportances(done);
  const rowH = Math.min(28, (H - PAD.top - PAD.bottom) / Math.max(1, imp.length));
  const x = scale(0, 1, PAD.left + 60, W - PAD.right - 40);
  const bars = imp.map((r, i) => {
    const top = PAD.top + 4 + i * rowH;
    return `<text x="${PAD.left + 54}" y="${top + rowH * 0.65}" text-anchor="end" font-size="11">${esc(r.name)}</text>`
      + `<rect x="${x(0)}" y="${top}" width="${Math.max(1, x(r.importance) - x(0)).toFixed(1)}" height="${(rowH * 0.7).toFixed(1)}" fill="${STUDY_REPORT_COLORS.bar}"/>`
      + `<text x="${(x(r.importance) + 4).toFixed(1)}" y="${top + rowH * 0.6}" font-size="10">${(100 * r.importance).toFixed(1)} %</text>`;
  }).join('');
  return frame('Parameter importances (share of variance explained by each parameter alone)', 'importance', '', bars, [], linearTicks(0, 1, x));
}

/** The page as a string. */
export function renderStudyReport(study: StudyLike, title?: string): string {
  return render(checkStudyLike('renderStudyReport', 'study', study), title === undefined ? undefined : checkString('renderStudyReport', 'title', title));
}

function render(study: StudyLike, title = `Study '${study.studyName}'`): string {
  const done = study.trials.filter((t) => t.state === 'COMPLETE' && Number.isFinite(t.value));
  const counts = study.trials.reduce<Record<string, number>>((c, t) => ({ ...c, [t.state]: (c[t.state] ?? 0) + 1 }), {});
  const names = [...new Set(done.flatMap((t) => Object.keys(t.params)))].sort();
  const better = (a: FrozenTrial, b: FrozenTrial) => (study.direction === 'minimize' ? a.value! < b.value! : a.value! > b.value!);
  const best = done.reduce<FrozenTrial | null>((b, t) => (!b || better(t, b) ? t : b), null);
  const summary = `<p>${study.trials.length} trials (${Object.entries(counts).map(([k, v]) => `${v} ${k.toLowerCase()}`).join(', ')}), direction: ${study.direction}.</p>`;
  const bestTable = best
    ? `<table><caption>Best trial: #${best.number}, value ${num(best.value!)}</caption>${Object.entries(best.params).map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(String(v))}</td></tr>`).join('')}</table>`
    : '<p>No completed trial yet.</p>';
  const charts = done.length === 0 ? '' : [history(done, study.direction), importances(done), parallel(names, done, study.direction), ...names.map((n) => slice(n, done))].join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title><style>`
    + 'body{font-family:sans-serif;margin:24px;color:#222}figure{display:inline-block;margin:8px}figcaption{font-weight:bold;margin-bottom:4px}'
    + 'table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ccc;padding:2px 8px;text-align:left}'
    + `</style></head><body><h1>${esc(title)}</h1>${summary}${bestTable}\n${charts}</body></html>\n`;
}

/** Writes the page to `path` (a temp file renamed into place, so a reader never sees half a page). */
export function writeStudyReport(study: StudyLike, path: string, options: { title?: string } = {}): void {
  const op = 'writeStudyReport';
  const checked = checkStudyLike(op, 'study', study);
  checkFilePath(op, path);
  const o = copyOptions<{ title?: string }>(op, options) ?? {};
  for (const k of Object.keys(o)) if (k !== 'title') throw new RangeError(`${op}: unknown option '${k}' (the options are: title)`);
  const title = o.title === undefined ? undefined : checkString(op, "option 'title'", o.title);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, render(checked, title));
  renameSync(tmp, path);
}
