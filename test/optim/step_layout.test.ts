/**
 * The optimizer step table is declared once per language and the two declarations agree:
 * src/backend/step_layout.ts (TypeScript) and the X-macro lists of native/common/optim/table.h
 * (C++, from which the N-API field positions and names are expanded). A field added on one
 * side only fails here, instead of silently shifting every field after it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addon } from '../../src/backend/addon.js';
import { HEADER_FIELDS, layoutDrift, ROW_FIELDS, stepLayout } from '../../src/backend/step_layout.js';
import { neutralRow } from '../../src/optim/step_table.js';

const plan = readFileSync(new URL('../../native/common/optim/table.h', import.meta.url), 'utf8');

/** The names X(...) of one `#define NAME(X) ...` list, continuation lines included. */
function xList(macro: string): string[] {
  const match = new RegExp(`#define ${macro}\\(X\\)((?:[^\\n]*\\\\\\n)*[^\\n]*)`).exec(plan);
  if (!match) throw new Error(`${macro} not found in optim/table.h`);
  return [...match[1].matchAll(/X\((\w+)\)/g)].map((m) => m[1]);
}

describe('optimizer step table: one declaration', () => {
  it('the C++ lists equal the TypeScript declaration, in order', () => {
    expect(xList('SP_OPTIM_HEADER_FIELDS')).toEqual([...HEADER_FIELDS]);
    expect(xList('SP_OPTIM_ROW_FIELDS')).toEqual(Object.keys(ROW_FIELDS));
  });

  it('the loaded addon exports the declared layout', () => {
    expect(layoutDrift(addon.optimLayout.header, addon.optimLayout.row)).toEqual([]);
    expect(addon.optimLayout.headerSize).toBe(stepLayout.headerSize);
    expect(addon.optimLayout.rowSize).toBe(stepLayout.rowSize);
  });

  it('reports a drift by naming both lists', () => {
    const row = { ...addon.optimLayout.row, extra: stepLayout.rowSize };
    expect(layoutDrift(addon.optimLayout.header, row)[0]).toMatch(/^row: declared \[offset, .*clr\], got \[offset, .*clr, extra\]$/);
  });

  it('a neutral row has every declared field at its neutral value', () => {
    expect(Object.keys(neutralRow())).toEqual(Object.keys(ROW_FIELDS));
    expect(neutralRow()).toEqual(ROW_FIELDS);
  });
});
