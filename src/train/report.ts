/**
 * writeReport(history, path): one self-contained HTML page — inline CSS and SVG, no scripts,
 * no external assets — with line charts of loss and validation loss (diagnosis events marked),
 * each metric (train and validation), and the learning rate, then the event list.
 * Non-finite values (a diverged loss) break the line instead of wrecking the axis.
 */
import { checkInstance, checkString, option, optionKeys, readOptions } from '../validate/index.js';
import { checkFilePath } from './file_arguments.js';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from './atomic_file.js';
import { History, type TrainingEvent } from './history.js';

/** Series colours; tests look for them in a screenshot, so they are part of the contract. */
export const REPORT_COLORS = {
  train: '#1f77b4',
  validation: '#ff7f0e',
  metric: '#2ca02c',
  valMetric: '#9467bd',
  lr: '#8c564b',
  event: '#e377c2',
} as const;

interface Series {
  label: string;
  color: string;
  values: number[];
}

const W = 560;
const H = 260;
const PAD = { left: 62, right: 16, top: 34, bottom: 34 };

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const fmt = (v: number) => (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : Number(v.toPrecision(4)).toString());

/** One SVG line chart over epochs 1..n. */
function chart(title: string, series: Series[], events: TrainingEvent[] = []): string {
  const n = Math.max(1, ...series.map((s) => s.values.length));
  const finite = series.flatMap((s) => s.values.filter(Number.isFinite));
  let lo = finite.length ? Math.min(...finite) : 0;
  let hi = finite.length ? Math.max(...finite) : 1;
  if (lo === hi) [lo, hi] = [lo - 1, hi + 1];
  const span = hi - lo;
  lo -= span * 0.05;
  hi += span * 0.05;
  const pw = W - PAD.left - PAD.right;
  const ph = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (n === 1 ? pw / 2 : (i / (n - 1)) * pw);
  const y = (v: number) => PAD.top + (1 - (v - lo) / (hi - lo)) * ph;
  const parts: string[] = [];
  parts.push(`<rect x="${PAD.left}" y="${PAD.top}" width="${pw}" height="${ph}" fill="#fff" stroke="#bbb"/>`);
  for (let k = 0; k <= 4; k++) {
    const v = lo + ((hi - lo) * k) / 4;
    parts.push(`<line x1="${PAD.left}" x2="${PAD.left + pw}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#eee"/>`);
    parts.push(`<text x="${PAD.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" class="tick">${fmt(v)}</text>`);
  }
  const step = Math.max(1, Math.ceil(n / 10));
  for (let i = 0; i < n; i += step) {
    parts.push(`<text x="${x(i).toFixed(1)}" y="${H - PAD.bottom + 16}" text-anchor="middle" class="tick">${i + 1}</text>`);
  }
  for (const e of events) {
    const ex = x(Math.min(e.epoch, n - 1)).toFixed(1);
    parts.push(`<g><title>${escape(`epoch ${e.epoch + 1}: ${e.message}`)}</title>` +
      `<line x1="${ex}" x2="${ex}" y1="${PAD.top}" y2="${PAD.top + ph}" stroke="${REPORT_COLORS.event}" stroke-width="2" stroke-dasharray="5 4"/>` +
      `<circle cx="${ex}" cy="${PAD.top + 6}" r="5" fill="${REPORT_COLORS.event}"/></g>`);
  }
  for (const s of series) {
    // Split at non-finite values so a NaN epoch leaves a gap.
    let run: string[] = [];
    const flush = () => {
      if (run.length === 1) parts.push(`<circle cx="${run[0].split(',')[0]}" cy="${run[0].split(',')[1]}" r="3" fill="${s.color}"/>`);
      if (run.length > 1) parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2.5" stroke-linejoin="round" points="${run.join(' ')}"/>`);
      run = [];
    };
    s.values.forEach((v, i) => (Number.isFinite(v) ? run.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`) : flush()));
    flush();
  }
  const legend = series.map((s, i) =>
    `<rect x="${PAD.left + i * 130}" y="10" width="14" height="4" fill="${s.color}"/><text x="${PAD.left + i * 130 + 18}" y="16" class="legend">${escape(s.label)}</text>`).join('');
  return `<figure><figcaption>${escape(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escape(title)}">${legend}${parts.join('')}</svg></figure>`;
}

const REPORT_KEYS = optionKeys<{ title?: string }>({ title: true });

/** The report page as a string. */
export function renderReport(history: History, title = 'Training report'): string {
  checkInstance('renderReport', 'history', history, History);
  checkString('renderReport', 'title', title);
  const cols = history.history;
  const charts: string[] = [];
  const loss: Series[] = [{ label: 'loss', color: REPORT_COLORS.train, values: cols.loss ?? [] }];
  if (cols.valLoss) loss.push({ label: 'valLoss', color: REPORT_COLORS.validation, values: cols.valLoss });
  charts.push(chart('Loss', loss, history.eventsOf('diagnosis')));
  if (cols.lr) charts.push(chart('Learning rate', [{ label: 'lr', color: REPORT_COLORS.lr, values: cols.lr }]));
  const metricNames = new Set(history.epochs.flatMap((e) => [...Object.keys(e.metrics), ...Object.keys(e.valMetrics)]));
  for (const m of metricNames) {
    const valName = 'val' + m[0].toUpperCase() + m.slice(1);
    const s: Series[] = [];
    if (cols[m]) s.push({ label: m, color: REPORT_COLORS.metric, values: cols[m] });
    if (cols[valName]) s.push({ label: valName, color: REPORT_COLORS.valMetric, values: cols[valName] });
    charts.push(chart(m, s));
  }
  const rows = history.events.map((e) =>
    `<tr><td>${e.epoch + 1}</td><td>${e.step ?? ''}</td><td>${escape(e.kind)}</td><td>${escape(e.message)}</td>` +
    `<td>${escape(Array.isArray(e.detail?.hints) ? (e.detail!.hints as string[]).join('; ') : '')}</td></tr>`).join('');
  const seconds = (cols.seconds ?? []).filter(Number.isFinite).reduce((a, b) => a + b, 0);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>
body { font: 13px/1.4 system-ui, sans-serif; margin: 12px 16px; color: #222; background: #fff; }
h1 { font-size: 17px; margin: 0 0 6px; }
.grid { display: grid; grid-template-columns: repeat(2, ${W}px); gap: 8px 24px; }
figure { margin: 0; } figcaption { font-weight: 600; margin-bottom: 2px; }
.tick { font-size: 10px; fill: #555; } .legend { font-size: 11px; fill: #333; }
table { border-collapse: collapse; margin-top: 12px; } td, th { border: 1px solid #ddd; padding: 2px 6px; text-align: left; }
</style></head><body>
<h1>${escape(title)}</h1>
<p>${history.epochs.length} epochs${seconds ? `, ${seconds.toFixed(1)} s` : ''}; final loss ${fmt(cols.loss?.at(-1) ?? NaN)}${cols.valLoss ? `, validation loss ${fmt(cols.valLoss.at(-1) ?? NaN)}` : ''}.</p>
<div class="grid">${charts.join('\n')}</div>
<h2 style="font-size:15px">Events</h2>
<table><tr><th>epoch</th><th>step</th><th>kind</th><th>message</th><th>hints</th></tr>${rows}</table>
</body></html>
`;
}

/** Writes the report for `history` to `path` (atomically). */
export function writeReport(history: History, path: string, options: { title?: string } = {}): void {
  checkInstance('writeReport', 'history', history, History);
  checkFilePath('writeReport', path);
  const { title } = readOptions<{ title?: string }>('writeReport', options, REPORT_KEYS);
  if (title !== undefined) checkString('writeReport', option('title'), title);
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomic(path, renderReport(history, title));
}
