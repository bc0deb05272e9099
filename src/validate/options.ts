/**
 * Options objects. Each options type declares its keys once, as a record the compiler checks
 * against the interface (`optionKeys<AdamOptions>({ lr: true, ... })`: a missing or an extra
 * key is a type error), and `readOptions` checks a caller's object against that list:
 *
 *   adam: unknown option 'weight_decay' (did you mean 'weightDecay'?)
 *
 * It returns a copy of the known keys' values, each read exactly once, so a getter that throws
 * fails here, before anything has changed, and later code reads plain data.
 */
import { describeValue, errorText } from './describe.js';
import { isPlainObject, label } from './arguments.js';
import { nearestName } from './edit_distance.js';

/** The keys of options type T, from a record listing each one (checked by the compiler). */
export function optionKeys<T>(keys: { [K in keyof Required<T>]: true }): readonly (keyof T & string)[] {
  return Object.freeze(Object.keys(keys)) as readonly (keyof T & string)[];
}

/** "option 'lr'", the label a check of an option's value uses. */
export const option = (key: string): string => `option '${key}'`;

/**
 * Checks that `options` is undefined or a plain object with only `keys`, and returns a copy of
 * the values it sets (undefined values are left out, so defaults apply). `name` is the
 * argument's name in messages.
 */
export function readOptions<T>(op: string, options: unknown, keys: readonly (keyof T & string)[], name = 'options'): Partial<T> {
  if (options === undefined) return {};
  if (!isPlainObject(options)) {
    throw new TypeError(`${op}: ${label(name)} must be an options object, got ${describeValue(options)}`);
  }
  let own: string[];
  try {
    own = Object.keys(options);
  } catch (e) {
    throw new TypeError(`${op}: the keys of ${label(name)} cannot be listed: ${errorText(e)}`, { cause: e });
  }
  for (const key of own) {
    if (!(keys as readonly string[]).includes(key)) throw new RangeError(unknownOption(op, key, keys));
  }
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    let value: unknown;
    try {
      value = options[key];
    } catch (e) {
      throw new TypeError(`${op}: reading ${option(key)} threw: ${errorText(e)}`, { cause: e });
    }
    if (value !== undefined) copy[key] = value;
  }
  return copy as Partial<T>;
}

/** The message for an unknown key, with the nearest known one or the list of known ones. */
export function unknownOption(op: string, key: string, keys: readonly string[]): string {
  const near = nearestName(key, keys);
  const hint = near ? `did you mean '${near}'?` : keys.length ? `known options: ${keys.join(', ')}` : 'it takes no options';
  return `${op}: unknown option '${key}' (${hint})`;
}

/**
 * Runs `read`, which inspects a caller's object (duck typing, iteration); an error that is not
 * already one of `op`'s own (a getter or Proxy trap of the caller's that threw) comes out as
 * `${op}: reading ${what} threw: ...`, so it still names the function.
 */
export function readSafely<T>(op: string, what: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof Error && e.message.startsWith(`${op}:`)) throw e;
    throw new TypeError(`${op}: reading ${what} threw: ${errorText(e)}`, { cause: e });
  }
}

/**
 * Runs `step`, a stage of `op` built from other public functions (fit makes a DataLoader, a
 * TensorDataset, the loss): an error they raise in their own name comes out prefixed with
 * `${op}: `, so the caller sees which call it made failed and why.
 */
export function prefixed<T>(op: string, step: () => T): T {
  try {
    return step();
  } catch (e) {
    if (e instanceof Error && !e.message.startsWith(`${op}:`)) e.message = `${op}: ${e.message}`;
    throw e;
  }
}

/**
 * A saved state (a callback's stateDict() output, from a checkpoint): a plain object whose
 * `keys` are read once each, a getter that throws named; other keys are ignored (a state saved
 * by a later version may carry more).
 */
export function readState(op: string, state: unknown, keys: readonly string[], name = 'state'): Record<string, unknown> {
  if (!isPlainObject(state)) throw new TypeError(`${op}: ${label(name)} must be a plain object (a stateDict() result), got ${describeValue(state)}`);
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    try {
      copy[key] = state[key];
    } catch (e) {
      throw new TypeError(`${op}: reading ${label(name)} '${key}' threw: ${errorText(e)}`, { cause: e });
    }
  }
  return copy;
}

/** A copy of a saved list, read once (a Proxy's traps that throw named). */
export function readList(op: string, name: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new TypeError(`${op}: ${name} must be a list, got ${describeValue(value)}`);
  try {
    return Array.from(value as unknown[]);
  } catch (e) {
    throw new TypeError(`${op}: reading ${name} threw: ${errorText(e)}`, { cause: e });
  }
}
