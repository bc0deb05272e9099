// The study report: self-contained HTML, importances that find the parameter that matters, and
// a rendering in headless Chromium whose pixels show the history and the best-so-far line falling.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { tune } from '../../src/index.js';
import { screenshot } from '../helpers/chromium.js';

const dir = mkdtempSync(join(tmpdir(), 'steepest-study-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 100 random trials of f = 10 (x - 0.3)^2 + 0.1 y + 2 [act == 'tanh'], one of them failing. */
async function study() {
  const s = await tune.createStudy({ studyName: 'report-test', sampler: new tune.RandomSampler({ seed: 5 }) });
  await s.optimize((t) => {
    const x = t.suggestFloat('x', 0, 1);
    const y = t.suggestFloat('y', 1e-3, 1, { log: true });
    const act = t.suggestCategorical('act', ['relu', 'tanh'] as const);
    if (t.number === 7) throw new Error('boom');
    return 10 * (x - 0.3) ** 2 + 0.1 * y + (act === 'tanh' ? 2 : 0);
  }, { nTrials: 100 });
  return s;
}

describe('writeStudyReport', () => {
  it('is one self-contained page with every chart, the best trial and the counts', async () => {
    const s = await study();
    const html = tune.renderStudyReport(s);
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    for (const caption of ['Optimization history', 'Parameter importances', 'Parallel coordinates', 'Slice: x', 'Slice: y', 'Slice: act']) expect(html).toContain(caption);
    expect(html).toContain(`Best trial: #${s.bestTrial.number}`);
    expect(html).toMatch(/100 trials \(99 complete, 1 fail\)/);
    expect(html).toContain('y (log scale)');
    for (const c of [...html.matchAll(/(?:points|cx|cy|x|y|width)="([^"]*)"/g)].map((m) => m[1])) expect(c).not.toMatch(/NaN|Infinity/);
  });

  it('importances put the parameter with almost no effect last and sum to 1', async () => {
    const imp = tune.parameterImportances((await study()).trials);
    expect(imp.map((r) => r.name).slice(0, 2).sort()).toEqual(['act', 'x']);
    expect(imp[2]).toMatchObject({ name: 'y' });
    expect(imp[2].importance).toBeLessThan(0.1);
    expect(imp.reduce((a, r) => a + r.importance, 0)).toBeCloseTo(1, 12);
  });

  it('renders in headless Chromium: trial dots and a best-so-far line that only falls', async () => {
    const s = await study();
    const page = join(dir, 'study.html');
    tune.writeStudyReport(s, page);
    const png = PNG.sync.read(await screenshot(pathToFileURL(page).href, 1300, 1000));
    const near = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
      const out: { x: number; y: number }[] = [];
      // The history chart is the first figure: the top-left 620 x 420 pixels below the tables.
      for (let y = 0; y < Math.min(png.height, 700); y++) for (let x = 0; x < 620; x++) {
        const i = (y * png.width + x) * 4;
        if (Math.abs(png.data[i] - r) <= 12 && Math.abs(png.data[i + 1] - g) <= 12 && Math.abs(png.data[i + 2] - b) <= 12) out.push({ x, y });
      }
      return out;
    };
    const dots = near(tune.STUDY_REPORT_COLORS.trial);
    const best = near(tune.STUDY_REPORT_COLORS.best);
    expect(dots.length).toBeGreaterThan(100);
    expect(best.length).toBeGreaterThan(100);
    // Minimizing: the best value falls, so its line sits lower on screen (larger y) at the right.
    const xs = best.map((p) => p.x);
    const lo = Math.min(...xs), hi = Math.max(...xs);
    const meanY = (a: number, b: number) => { const sel = best.filter((p) => p.x >= a && p.x <= b); return sel.reduce((s, p) => s + p.y, 0) / sel.length; };
    expect(meanY(lo, lo + (hi - lo) / 4)).toBeLessThan(meanY(hi - (hi - lo) / 4, hi));
  });
});
