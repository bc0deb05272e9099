/**
 * Command-line options through node:util's parseArgs (no dependency), with the same rule as the
 * library's options: an unknown flag is an error that names the closest known one.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { nearest } from '../../tune/options.js';

export class UsageError extends Error {
  override name = 'UsageError';
}

export type Flags = NonNullable<ParseArgsConfig['options']>;

export function parseFlags(command: string, args: string[], flags: Flags): Record<string, string | boolean | undefined> {
  return parseCommand(command, args, flags, false).values;
}

/** The flags and, where the command takes them, the positional arguments. */
export function parseCommand(command: string, args: string[], flags: Flags, allowPositionals = true):
  { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options: flags, strict: true, allowPositionals });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (err) {
    const msg = (err as Error).message;
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(msg);
    if (unknown) {
      const near = nearest(unknown[1].replace(/^-+/, ''), Object.keys(flags));
      throw new UsageError(`${command}: unknown option '${unknown[1]}'${near ? ` (did you mean '--${near}'?)` : ''}`);
    }
    throw new UsageError(`${command}: ${msg}`);
  }
}

export function required(command: string, values: Record<string, unknown>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`${command}: --${name} is required`);
  return v;
}

/** An integer flag >= min, or undefined when absent. */
export function intFlag(command: string, values: Record<string, unknown>, name: string, min: number): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`${command}: --${name} must be an integer >= ${min}, got '${String(v)}'`);
  }
  return n;
}
