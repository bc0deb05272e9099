/**
 * How one hostile call ended, and whether that is acceptable. A call may return, or throw an
 * Error whose message names the function; anything else is a finding:
 * - unclear: a non-Error was thrown, the message is an engine TypeError/RangeError from deep
 *   inside ("Cannot read properties of undefined", "x is not a function", "is not iterable",
 *   "Invalid typed array length"), or the message does not name the function;
 * - corrupt: the call threw but changed state (its receiver, its arguments, the default
 *   generator) on the way;
 * - hang / crash: decided by the parent from the child process's fate.
 */
export type Outcome = 'returned' | 'clear' | 'unclear' | 'corrupt' | 'hang' | 'crash';

/** Texts of V8's own errors: a message of this shape came from an unchecked argument. */
const ENGINE = [
  /Cannot read propert/, /Cannot set propert/, /Cannot destructure/, /Cannot create property/,
  /is not a function/, /is not iterable/, /is not a constructor/, /is not defined/,
  /Invalid typed array length/, /Invalid array length/, /Invalid string length/,
  /Cannot convert .* to/, /Cannot mix BigInt/, /BigInt value/, /Do not know how to serialize/,
  /Maximum call stack/, /Reduce of empty array/, /circular structure/, /Array buffer allocation failed/,
  /^(undefined|null) is not/, /of undefined$/, /of null$/, /object null is not/, /Symbol\(/,
  /offset is out of bounds/, /Start offset .* is outside/, /Invalid time value/,
];

export const isEngineMessage = (message: string): boolean => ENGINE.some((r) => r.test(message));

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether `message` names one of `names` as a word (case-insensitive). */
export function namesOne(message: string, names: readonly string[]): boolean {
  return names.some((n) => new RegExp(`(^|[^\\w$])${escape(n)}([^\\w$]|$)`, 'i').test(message));
}

/**
 * An operating-system error from fs (ENOENT, EISDIR, EACCES...): its message names the
 * operation and the path the caller gave ("ENOENT: no such file or directory, open 'x'"), so
 * it is clear about what went wrong although it does not name the library function.
 */
const isSystemError = (e: Error): boolean => typeof (e as { syscall?: unknown }).syscall === 'string' && typeof (e as { code?: unknown }).code === 'string';

/** The outcome of a call that threw `error` (state checked separately). */
export function classifyThrow(error: unknown, names: readonly string[]): { outcome: Outcome; message: string } {
  if (!(error instanceof Error)) return { outcome: 'unclear', message: `threw a non-Error: ${safeString(error)}` };
  const message = String(error.message);
  if (isSystemError(error)) return { outcome: 'clear', message };
  if (isEngineMessage(message) || !namesOne(message, names)) return { outcome: 'unclear', message };
  return { outcome: 'clear', message };
}

export function safeString(v: unknown): string {
  try {
    return String(v);
  } catch {
    return typeof v;
  }
}
