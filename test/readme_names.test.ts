// The README's table of PyTorch names -> steepest names: every steepest name it lists exists
// in the sources, so the table cannot drift into names the library does not have.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string {
  return readdirSync(dir).map((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? readFileSync(path, 'utf8') : '';
  }).join('\n');
}

describe('README: PyTorch names -> steepest names', () => {
  it('lists the options that differ, and every steepest name in it is in src/', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('### PyTorch names → steepest names'), readme.indexOf('## What works today'));
    const rows = section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| where') && !l.startsWith('|---'));
    expect(rows.length).toBeGreaterThan(20);
    const src = sources('src');
    const missing: string[] = [];
    for (const row of rows) {
      const steepest = row.split(' | ').at(-1)!;
      for (const [, code] of steepest.matchAll(/`([^`]+)`/g)) {
        // `noGrad(fn)`, `.float()`, `mode: 'fanIn'`: the identifier at the start is what must exist.
        const name = /^\.?([A-Za-z_][A-Za-z0-9_]*)/.exec(code)?.[1];
        if (name && !new RegExp(`\\b${name}\\b`).test(src)) missing.push(name);
      }
    }
    expect(missing).toEqual([]);
    for (const torchName of ['weight_decay', 'T_max', 'pos_weight', 'batch_size', 'step_size', 'label_smoothing']) expect(section).toContain(`\`${torchName}\``);
  });
});
