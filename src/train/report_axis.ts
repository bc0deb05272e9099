/**
 * Axes of the report's charts: "nice" round ticks (steps of 1, 2 or 5 times a power of ten,
 * Heckbert's labelling), an axis from 0 for learning rates, and a log axis, chosen when the
 * values span more than two decades (a decaying or cosine lr), with ticks at powers of ten.
 */

/** A y axis: its range, where its ticks go, and how a value maps to [0, 1] (bottom to top). */
export interface Axis {
  lo: number;
  hi: number;
  ticks: number[];
  log: boolean;
  /** Position of `v` on the axis, 0 at the bottom, 1 at the top. */
  at(v: number): number;
  /** A tick label: as many decimals as the step needs, no float noise (0.30000000000000004). */
  label(v: number): string;
}

/** The nice step (1, 2 or 5 x 10^k) nearest above span / count. */
export function niceStep(span: number, count: number): number {
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
}

/** A linear axis with about `count` round ticks covering `values`; from 0 when `fromZero`. */
export function linearAxis(values: number[], count = 5, fromZero = false): Axis {
  let lo = values.length ? Math.min(...values) : 0;
  let hi = values.length ? Math.max(...values) : 1;
  if (fromZero) lo = Math.min(0, lo);
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.5;
    hi += pad;
    if (!fromZero || lo !== 0) lo -= lo === 0 ? 0 : pad;
    if (fromZero) lo = Math.min(0, lo);
  }
  const step = niceStep(hi - lo, count);
  const first = Math.floor(lo / step + 1e-9) * step;
  const last = Math.ceil(hi / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let k = 0; first + k * step <= last + step * 1e-9; k++) ticks.push(round(first + k * step, step));
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return {
    lo: first, hi: last, ticks, log: false,
    at: (v) => (v - first) / (last - first),
    label: (v) => (v !== 0 && (Math.abs(v) >= 1e5 || decimals > 4) ? Number(v.toPrecision(3)).toExponential() : v.toFixed(decimals)),
  };
}

/** A log10 axis over positive `values`, ticks at the powers of ten around them. */
export function logAxis(values: number[]): Axis {
  const positive = values.filter((v) => v > 0);
  const lo = Math.floor(Math.log10(Math.min(...positive)));
  const hi = Math.ceil(Math.log10(Math.max(...positive)));
  const ticks: number[] = [];
  for (let k = lo; k <= hi; k++) ticks.push(10 ** k);
  return {
    lo: 10 ** lo, hi: 10 ** hi, ticks, log: true,
    at: (v) => (v > 0 ? (Math.log10(v) - lo) / (hi - lo || 1) : 0),
    label: (v) => `1e${Math.round(Math.log10(v))}`,
  };
}

/** The learning-rate axis: log when the positive values span more than two decades, else linear from 0. */
export function lrAxis(values: number[]): Axis {
  const positive = values.filter((v) => v > 0);
  if (positive.length > 0 && Math.max(...positive) / Math.min(...positive) > 100) return logAxis(positive);
  return linearAxis(values, 5, true);
}

function round(v: number, step: number): number {
  // Snap k * step to the step's own precision: 0.1 * 3 = 0.30000000000000004 -> 0.3.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(v.toFixed(Math.min(decimals, 20)));
}
