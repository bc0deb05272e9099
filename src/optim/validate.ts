/**
 * Hyperparameter checks shared by the optimizers and schedules. Each throws a RangeError (or
 * TypeError) naming the op, the argument, what was expected and what came:
 * `adam: lr must be >= 0, got -1`.
 */

/** Bounds of a numeric hyperparameter; `Open` bounds exclude the value itself. */
export interface Bounds {
  min?: number;
  minOpen?: number;
  max?: number;
  maxOpen?: number;
  integer?: boolean;
}

function describe(b: Bounds): string {
  const parts: string[] = [];
  if (b.min !== undefined) parts.push(`>= ${b.min}`);
  if (b.minOpen !== undefined) parts.push(`> ${b.minOpen}`);
  if (b.max !== undefined) parts.push(`<= ${b.max}`);
  if (b.maxOpen !== undefined) parts.push(`< ${b.maxOpen}`);
  const range = parts.join(' and ');
  return b.integer ? `an integer${range ? ` ${range}` : ''}` : range || 'finite';
}

/** Returns `value` when it is a finite number within `bounds`; throws otherwise. */
export function checkNumber(op: string, name: string, value: unknown, bounds: Bounds = {}): number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`${op}: ${name} must be a number, got ${String(value)}`);
  }
  const ok = Number.isFinite(value)
    && (bounds.min === undefined || value >= bounds.min)
    && (bounds.minOpen === undefined || value > bounds.minOpen)
    && (bounds.max === undefined || value <= bounds.max)
    && (bounds.maxOpen === undefined || value < bounds.maxOpen)
    && (!bounds.integer || Number.isInteger(value));
  if (!ok) throw new RangeError(`${op}: ${name} must be ${describe(bounds)}, got ${value}`);
  return value;
}

/** Returns `value` when it is a boolean; throws otherwise. */
export function checkBoolean(op: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${op}: ${name} must be a boolean, got ${String(value)}`);
  return value;
}

/** Returns `value` when it is one of `choices`; throws otherwise. */
export function checkChoice<T extends string>(op: string, name: string, value: unknown, choices: readonly T[]): T {
  if (!choices.includes(value as T)) {
    throw new RangeError(`${op}: ${name} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${String(value)}`);
  }
  return value as T;
}

/** A pair of betas, each in [0, 1). */
export function checkBetas(op: string, value: unknown): [number, number] {
  if (!Array.isArray(value) || value.length !== 2) {
    throw new TypeError(`${op}: betas must be a pair [beta1, beta2], got ${String(value)}`);
  }
  return [
    checkNumber(op, 'betas[0]', value[0], { min: 0, maxOpen: 1 }),
    checkNumber(op, 'betas[1]', value[1], { min: 0, maxOpen: 1 }),
  ];
}
