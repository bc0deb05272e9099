/**
 * Which direction is better for a monitored log key, Keras's mode='auto': losses and errors
 * are minimized, scores maximized; anything else must be given explicitly.
 */
import { checkChoice, checkString, option } from '../../validate/index.js';
/** Which direction of a monitored value is better: 'min', 'max', or 'auto' (losses and errors minimized, scores maximized). */
export type Mode = 'min' | 'max' | 'auto';

const MINIMIZED = /(loss|error|mse|mae)$/i;
const MAXIMIZED = /(accuracy|precision|recall|f1|r2|auc)(Macro|Micro|Weighted)?$/i;

/** 'min' or 'max' for `monitor` under `mode`; throws naming the op when 'auto' cannot tell. */
export function resolveMode(op: string, monitor: string, mode: Mode): 'min' | 'max' {
  checkString(op, option('monitor'), monitor, true);
  checkChoice(op, option('mode'), mode, ['min', 'max', 'auto'] as const);
  if (mode === 'min' || mode === 'max') return mode;
  if (MINIMIZED.test(monitor)) return 'min';
  if (MAXIMIZED.test(monitor)) return 'max';
  throw new RangeError(`${op}: cannot tell whether '${monitor}' should be minimized or maximized; pass mode 'min' or 'max'`);
}
