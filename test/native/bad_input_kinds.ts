/**
 * Small builders shared by the bad-input spec files (bad_input_cases.ts and the per-area
 * bad_input_cases_*.ts): buffers, a binding caller and the common argument kinds. They live
 * apart from bad_input_cases.ts because that module imports the per-area specs, which would
 * otherwise import it back before its constants exist.
 */
import { addon as native } from '../../src/backend/addon.js';
import type { Kind } from './bad_input_cases.js';

/** A float32 / int32 buffer of n elements. */
export const F = (n: number) => new native.NativeBuffer('float32', n);
export const I = (n: number) => new native.NativeBuffer('int32', n);
/** A float32 buffer holding `values`. */
export const Fof = (...values: number[]) => {
  const b = F(values.length);
  b.write(Float32Array.from(values), 0);
  return b;
};
/** An int32 buffer holding `values`. */
export const Iof = (...values: number[]) => {
  const b = I(values.length);
  b.write(Int32Array.from(values), 0);
  return b;
};
/** Calls the exported function `name` with an argument list. */
export const fn = (name: string) => (args: unknown[]) => ((native as unknown as Record<string, unknown>)[name] as (...a: unknown[]) => unknown)(...args);

export const OP = (table: Record<string, number>): Kind => ({ k: 'op', count: Object.keys(table).length });
export const BF: Kind = { k: 'buf', dtype: 'float32' };
/** An optional float32 buffer (null or undefined accepted). */
export const BFN: Kind = { k: 'buf', dtype: 'float32', nullable: true };
export const BI: Kind = { k: 'buf', dtype: 'int32' };
export const OFF = (of: number): Kind => ({ k: 'off', of });
export const SIZE: Kind = { k: 'size', zero: 'ok' };
export const SIZE_NZ: Kind = { k: 'size', zero: 'throws' };
export const MAX_SAFE = 2 ** 53 - 1;
