// The HTML report, rendered by headless Chromium: the screenshot's pixels must show each
// series in its colour, trending the way the data does.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { History } from '../../src/train/history.js';
import { renderReport, REPORT_COLORS, writeReport } from '../../src/train/report.js';
import { screenshot } from '../helpers/chromium.js';

const dir = mkdtempSync(join(tmpdir(), 'steepest-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 12 epochs: loss falls, validation loss falls then rises, accuracy rises, lr steps down. */
function sampleHistory(): History {
  const h = new History();
  for (let e = 0; e < 12; e++) {
    h.recordEpoch(e, {
      loss: 2 * Math.exp(-0.3 * e) + 0.1,
      valLoss: 0.9 + 0.02 * (e - 6) ** 2,
      accuracy: 0.5 + 0.04 * e,
      valAccuracy: 0.45 + 0.03 * e,
      lr: e < 6 ? 0.1 : 0.01,
      seconds: 1.5,
    });
  }
  h.addEvent({ kind: 'diagnosis', epoch: 9, message: 'overfitting: gap grew', detail: { type: 'overfitting', hints: ['add regularization'] } });
  return h;
}

function rgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

/** Pixel coordinates whose colour is within `tol` (per channel) of `hex`. */
function pixelsOf(png: PNG, hex: string, tol = 12): { x: number; y: number }[] {
  const [r, g, b] = rgb(hex);
  const out: { x: number; y: number }[] = [];
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const i = (y * png.width + x) * 4;
      if (Math.abs(png.data[i] - r) <= tol && Math.abs(png.data[i + 1] - g) <= tol && Math.abs(png.data[i + 2] - b) <= tol) out.push({ x, y });
    }
  }
  return out;
}

/** Mean screen y of the pixels in each third of their x-range (screen y grows downward). */
function thirds(points: { x: number; y: number }[]): [number, number, number] {
  const xs = points.map((p) => p.x);
  const lo = Math.min(...xs), hi = Math.max(...xs);
  const bucket = (k: number) => {
    const sel = points.filter((p) => p.x >= lo + ((hi - lo) * k) / 3 && p.x <= lo + ((hi - lo) * (k + 1)) / 3);
    return sel.reduce((a, p) => a + p.y, 0) / sel.length;
  };
  return [bucket(0), bucket(1), bucket(2)];
}

describe('writeReport', () => {
  it('writes one self-contained page with every chart', () => {
    const html = renderReport(sampleHistory());
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    for (const caption of ['Loss', 'Learning rate', 'accuracy']) expect(html).toContain(`<figcaption>${caption}</figcaption>`);
    expect(html).toContain('overfitting: gap grew');
    // A diverged (NaN) epoch breaks the line instead of producing NaN coordinates.
    const h = sampleHistory();
    h.recordEpoch(12, { loss: NaN, valLoss: Infinity });
    const coordinates = [...renderReport(h).matchAll(/(?:points|cx|cy|x|y|x1|x2|y1|y2)="([^"]*)"/g)].map((m) => m[1]);
    expect(coordinates.length).toBeGreaterThan(10);
    for (const c of coordinates) expect(c).not.toMatch(/NaN|Infinity/);
  });

  it('renders curves in headless Chromium', async () => {
    const page = join(dir, 'report.html');
    writeReport(sampleHistory(), page);
    const png = PNG.sync.read(await screenshot(pathToFileURL(page).href, 1200, 900));
    expect(png.width).toBe(1200);

    const train = pixelsOf(png, REPORT_COLORS.train);
    const val = pixelsOf(png, REPORT_COLORS.validation);
    const acc = pixelsOf(png, REPORT_COLORS.metric);
    const valAcc = pixelsOf(png, REPORT_COLORS.valMetric);
    const lr = pixelsOf(png, REPORT_COLORS.lr);
    const marker = pixelsOf(png, REPORT_COLORS.event);
    for (const [name, px] of Object.entries({ train, val, acc, valAcc, lr, marker })) {
      expect(px.length, `${name} pixels`).toBeGreaterThan(50);
    }
    // Loss falls: its pixels sit higher on screen (smaller y) on the left than on the right.
    const [l0, , l2] = thirds(train);
    expect(l0).toBeLessThan(l2 - 30);
    // Validation loss is U-shaped: the middle third sits lowest on screen.
    const [v0, v1, v2] = thirds(val);
    expect(v1).toBeGreaterThan(v0 + 10);
    expect(v1).toBeGreaterThan(v2 + 10);
    // Accuracy rises: lower on screen at the left.
    const [a0, , a2] = thirds(acc);
    expect(a0).toBeGreaterThan(a2 + 30);
    // The learning rate steps down.
    const [r0, , r2] = thirds(lr);
    expect(r0).toBeLessThan(r2 - 30);
  });

  it('axis titles, the best epoch, and a table of settings and test metrics', () => {
    const h = sampleHistory();
    h.params = { optimizer: 'Adam', lr: 0.001, batchSize: 32, epochs: 12, model: 'Sequential(Linear(784, 128), ReLU, Linear(128, 10))' };
    const html = renderReport(h, { testMetrics: { accuracy: 0.8734 } });
    expect(html).toContain('class="axis">epoch</text>');
    expect(html).toMatch(/class="axis"[^>]*>loss<\/text>/);
    expect(html).toMatch(/class="axis"[^>]*>learning rate<\/text>/);
    expect(html).toMatch(/<g class="best"><title>best epoch 7<\/title>/); // valLoss is lowest at epoch index 6
    for (const cell of ['<th>optimizer</th><td>Adam</td>', '<th>lr</th><td>0.001</td>', '<th>batchSize</th><td>32</td>', '<th>epochs</th><td>12</td>',
      '<th>test accuracy</th><td>0.8734</td>', '<th>best epoch</th><td>7 (valLoss 0.9)</td>']) expect(html).toContain(cell);
    expect(html).toContain('<pre>Sequential(Linear(784, 128), ReLU, Linear(128, 10))</pre>');
    // Round tick labels only: at most 3 significant digits (no 0.4453, 0.3762).
    const ticks = [...html.matchAll(/class="tick">([-\d.e]+)<\/text>/g)].map((m) => m[1]);
    expect(ticks.length).toBeGreaterThan(20);
    for (const t of ticks) expect(t.replace(/^-?0\.0*|\.|e.*$/g, '').replace(/0+$/, '').length, t).toBeLessThanOrEqual(2);
  });

  it('overlays several runs on the same charts, and renders them in headless Chromium', async () => {
    const a = sampleHistory();
    const b = new History();
    for (let e = 0; e < 12; e++) b.recordEpoch(e, { loss: 1.2 + 0.5 * Math.exp(-0.2 * e), valLoss: 1.4, accuracy: 0.4, valAccuracy: 0.35, lr: 0.05 });
    const html = renderReport([a, b], { labels: ['adam', 'sgd'], testMetrics: [{ accuracy: 0.87 }, { accuracy: 0.8 }] });
    expect(html).toContain('>adam loss</text>');
    expect(html).toContain('>sgd loss</text>');
    expect(html).toMatch(/stroke="#1f77b4" stroke-width="2.5" stroke-dasharray="7 4"/); // the second run dashed
    expect(html).toContain('<th></th><th>adam</th><th>sgd</th>');
    expect(() => renderReport([])).toThrow('renderReport: expected a History or a non-empty list of Histories');

    const single = join(dir, 'single.html');
    const overlay = join(dir, 'overlay.html');
    writeReport(a, single);
    writeReport([a, b], overlay, { labels: ['adam', 'sgd'] });
    const one = PNG.sync.read(await screenshot(pathToFileURL(single).href, 1200, 900));
    const two = PNG.sync.read(await screenshot(pathToFileURL(overlay).href, 1200, 900));
    // Both runs' losses are drawn: clearly more train-coloured pixels with the second run.
    expect(pixelsOf(two, REPORT_COLORS.train).length).toBeGreaterThan(1.3 * pixelsOf(one, REPORT_COLORS.train).length);
  });
});

