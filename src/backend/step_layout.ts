/**
 * The TypeScript declaration of the fused optimizer step's table (native/common/optim/table.h
 * holds the same lists for C++; native/napi/optim_napi.cc reads the table, the rules read their
 * fields from it by name). A table is a Float64Array: a header
 * of global options in and results out, then one row per parameter group, each field at the
 * position of its name here. The addon exports its own field names (`optimLayout`); the CPU
 * backend checks them against this list when it loads and refuses an addon that drifted, and
 * test/optim/step_layout.test.ts checks the C++ sources, so a field added on one side only fails
 * at once instead of shifting every field after it.
 *
 * Adding a hyperparameter: a name here and in native/common/optim/table.h (the X-macro list
 * there is checked against this one), its use in the rule that reads it.
 */

/** Header fields: clipValue, clipNorm, checkFinite in; gradNorm, nonFiniteIndex, applied out. */
export const HEADER_FIELDS = ['clipValue', 'clipNorm', 'checkFinite', 'gradNorm', 'nonFiniteIndex', 'applied'] as const;

/** Per-group row fields, each with its neutral value (the option off). */
export const ROW_FIELDS = {
  offset: 0, count: 0, lr: 0, weightDecay: 0, decayFactor: 1, l1: 0, l1Shrink: 0, proximal: false,
  maximize: false, momentum: 0, dampening: 0, nesterov: false, firstStep: false, alpha: 0, epsIn: 0,
  centered: false, eps: 0, beta1: 0, beta2: 0, stepSize: 0, bc2Sqrt: 1, amsgrad: false, clr: 0,
} as const;

export type HeaderField = (typeof HEADER_FIELDS)[number];
/** One group's row, as JS values (booleans become 0/1 in the table). */
export type StepRow = { -readonly [K in keyof typeof ROW_FIELDS]: (typeof ROW_FIELDS)[K] extends boolean ? boolean : number };

export interface StepLayout {
  header: Record<HeaderField, number>;
  row: Record<keyof StepRow, number>;
  headerSize: number;
  rowSize: number;
}

const positions = <K extends string>(names: readonly K[]): Record<K, number> =>
  Object.fromEntries(names.map((n, i) => [n, i])) as Record<K, number>;

const ROW_NAMES = Object.keys(ROW_FIELDS) as (keyof StepRow)[];

export const stepLayout: StepLayout = Object.freeze({
  header: positions(HEADER_FIELDS),
  row: positions(ROW_NAMES),
  headerSize: HEADER_FIELDS.length,
  rowSize: ROW_NAMES.length,
});

/** Differences between this declaration and another side's field names, for drift checks; [] when they agree. */
export function layoutDrift(header: Record<string, number>, row: Record<string, number>): string[] {
  const diff = (what: string, want: readonly string[], got: Record<string, number>) => {
    const names = Object.entries(got).sort((a, b) => a[1] - b[1]).map(([n]) => n);
    return want.join(',') === names.join(',') ? [] : [`${what}: declared [${want.join(', ')}], got [${names.join(', ')}]`];
  };
  return [...diff('header', HEADER_FIELDS, header), ...diff('row', ROW_NAMES, row)];
}
