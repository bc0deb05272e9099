/**
 * Parameter distributions, Optuna's three (optuna.distributions): FloatDistribution,
 * IntDistribution and CategoricalDistribution. A distribution maps a parameter's external value
 * (what suggest* returns) to an internal number (what storages keep and samplers model):
 *   float and int: the value itself;  categorical: the index of the choice.
 * `step` discretizes a range to low, low + step, ...; a range not divisible by `step` has its
 * high end lowered to the last reachable value (with a warning), as Optuna does. `log` samples
 * uniformly in log space (low must be > 0; for ints, >= 1; not combinable with a step other than
 * an int's 1).
 */
import type { JsonValue } from './json.js';
import { checkString, describeValue, isInstance, isPlainObject, prefixed, readSafely, typeError } from '../validate/index.js';

/** A value a categorical parameter may take: what storages can keep as JSON. */
export type CategoricalChoice = string | number | boolean | null;
/** A parameter's value as suggest* returns it (its external representation). */
export type ParamValue = number | CategoricalChoice;

/** Options of a numeric range: sample in log space, or on a grid of `step`. */
export interface RangeOptions {
  log?: boolean;
  step?: number;
}

/** The JSON form, Optuna's distribution_to_json layout. */
export interface DistributionJSON {
  name: 'FloatDistribution' | 'IntDistribution' | 'CategoricalDistribution';
  attributes: Record<string, JsonValue>;
}

/** Continuous or stepped floats in [low, high]. */
export class FloatDistribution {
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  readonly step: number | null;

  constructor(low: number, high: number, options: RangeOptions = {}, fn = 'FloatDistribution') {
    options = rangeOptions(fn, options);
    const log = options.log ?? false;
    const step = options.step ?? null;
    checkBounds(fn, low, high);
    if (log && step !== null) throw new RangeError(`${fn}: step is not supported when log is true, got step ${step}`);
    if (log && low <= 0) throw new RangeError(`${fn}: low must be > 0 when log is true, got low ${low}`);
    if (step !== null && !(Number.isFinite(step) && step > 0)) throw new RangeError(`${fn}: step must be > 0, got ${describeValue(step)}`);
    this.low = low;
    this.high = step === null ? high : adjustHigh(fn, low, high, step);
    this.log = log;
    this.step = step;
  }

  /** Whether the range holds one value only (then every trial gets it without sampling). */
  single(): boolean {
    if (this.low === this.high) return true;
    return this.step !== null && this.high - this.low < this.step * (1 - 1e-12);
  }

  /** Whether an internal value lies in the range (and on its step grid). */
  contains(internal: number): boolean {
    checkArg('contains', 'internal', internal);
    if (!(internal >= this.low && internal <= this.high)) return false;
    if (this.step === null) return true;
    const k = (internal - this.low) / this.step;
    return Math.abs(k - Math.round(k)) < 1e-8;
  }

  /** The internal number of an external value (floats: the value itself). */
  toInternalRepr(value: ParamValue): number {
    checkChoiceValue('toInternalRepr', value);
    return numericInternal(value, this.log);
  }

  /** The external value of an internal number (floats: the number itself). */
  toExternalRepr(internal: number): number {
    checkArg('toExternalRepr', 'internal', internal);
    return internal;
  }

  /** Whether `other` is the same distribution (kind, bounds, log, step). */
  equals(other: Distribution): boolean {
    if (!isDistribution(other)) return false;
    return other instanceof FloatDistribution && other.low === this.low && other.high === this.high &&
      other.log === this.log && other.step === this.step;
  }

  /** Optuna's distribution_to_json form: { name, attributes }. */
  toJSON(): DistributionJSON {
    return { name: 'FloatDistribution', attributes: { low: this.low, high: this.high, log: this.log, step: this.step } };
  }

  /** Optuna's repr: `FloatDistribution(low=..., high=..., log=..., step=...)`. */
  toString(): string {
    return `FloatDistribution(low=${this.low}, high=${this.high}, log=${this.log}, step=${this.step})`;
  }
}

/** Integers low, low + step, ..., high. */
export class IntDistribution {
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  readonly step: number;

  constructor(low: number, high: number, options: RangeOptions = {}, fn = 'IntDistribution') {
    options = rangeOptions(fn, options);
    const log = options.log ?? false;
    const step = options.step ?? 1;
    if (!Number.isSafeInteger(low)) throw new RangeError(`${fn}: low must be an integer, got ${describeValue(low)}`);
    if (!Number.isSafeInteger(high)) throw new RangeError(`${fn}: high must be an integer, got ${describeValue(high)}`);
    checkBounds(fn, low, high);
    if (!Number.isSafeInteger(step) || step < 1) throw new RangeError(`${fn}: step must be an integer >= 1, got ${describeValue(step)}`);
    if (log && step !== 1) throw new RangeError(`${fn}: step must be 1 when log is true, got step ${step}`);
    if (log && low < 1) throw new RangeError(`${fn}: low must be >= 1 when log is true, got low ${low}`);
    this.low = low;
    this.high = adjustHigh(fn, low, high, step);
    this.log = log;
    this.step = step;
  }

  /** Whether the range holds one integer only. */
  single(): boolean {
    return this.low === this.high || (!this.log && this.high - this.low < this.step);
  }

  /** Whether an internal value is an integer of the range on its step grid. */
  contains(internal: number): boolean {
    checkArg('contains', 'internal', internal);
    return internal >= this.low && internal <= this.high && (internal - this.low) % this.step === 0;
  }

  /** The internal number of an external value (ints: the value itself). */
  toInternalRepr(value: ParamValue): number {
    checkChoiceValue('toInternalRepr', value);
    return numericInternal(value, this.log);
  }

  /** The external value of an internal number (ints: the number itself). */
  toExternalRepr(internal: number): number {
    checkArg('toExternalRepr', 'internal', internal);
    return Math.round(internal);
  }

  /** Whether `other` is the same distribution (kind, bounds, log, step). */
  equals(other: Distribution): boolean {
    if (!isDistribution(other)) return false;
    return other instanceof IntDistribution && other.low === this.low && other.high === this.high &&
      other.log === this.log && other.step === this.step;
  }

  /** Optuna's distribution_to_json form: { name, attributes }. */
  toJSON(): DistributionJSON {
    return { name: 'IntDistribution', attributes: { low: this.low, high: this.high, log: this.log, step: this.step } };
  }

  /** Optuna's repr: `IntDistribution(low=..., high=..., log=..., step=...)`. */
  toString(): string {
    return `IntDistribution(low=${this.low}, high=${this.high}, log=${this.log}, step=${this.step})`;
  }
}

/** One of a fixed tuple of choices; the internal value is the choice's index. */
export class CategoricalDistribution<T extends CategoricalChoice = CategoricalChoice> {
  readonly choices: readonly T[];

  constructor(choices: readonly T[], fn = 'CategoricalDistribution') {
    if (!Array.isArray(choices) || choices.length === 0) {
      throw new RangeError(`${fn}: choices must be a non-empty array, got ${describeValue(choices)}`);
    }
    for (const c of choices) {
      const t = typeof c;
      if (c !== null && t !== 'string' && t !== 'number' && t !== 'boolean') {
        throw new TypeError(`${fn}: choices must be strings, numbers, booleans or null (so storages can keep them), got ${t}`);
      }
    }
    this.choices = Object.freeze([...choices]);
  }

  /** Whether there is one choice only. */
  single(): boolean {
    return this.choices.length === 1;
  }

  /** Whether an internal value is the index of a choice. */
  contains(internal: number): boolean {
    checkArg('contains', 'internal', internal);
    return Number.isInteger(internal) && internal >= 0 && internal < this.choices.length;
  }

  /** The index of a choice; throws when the value is not one of the choices. */
  toInternalRepr(value: ParamValue): number {
    checkChoiceValue('toInternalRepr', value);
    const i = this.choices.findIndex((c) => sameChoice(c, value));
    if (i < 0) throw new RangeError(`CategoricalDistribution: ${JSON.stringify(value)} is not one of ${JSON.stringify(this.choices)}`);
    return i;
  }

  /** The choice at an index. */
  toExternalRepr(internal: number): T {
    checkArg('toExternalRepr', 'internal', internal);
    return this.choices[Math.round(internal)];
  }

  /** Whether `other` is a categorical distribution with the same choices in the same order. */
  equals(other: Distribution): boolean {
    if (!isDistribution(other)) return false;
    return other instanceof CategoricalDistribution && other.choices.length === this.choices.length &&
      other.choices.every((c, i) => sameChoice(c, this.choices[i]));
  }

  /** Optuna's distribution_to_json form: { name, attributes: { choices } }. */
  toJSON(): DistributionJSON {
    return { name: 'CategoricalDistribution', attributes: { choices: [...this.choices] } };
  }

  /** Optuna's repr: `CategoricalDistribution(choices=[...])`. */
  toString(): string {
    return `CategoricalDistribution(choices=${JSON.stringify(this.choices)})`;
  }
}

/** Any of Optuna's three distributions. */
export type Distribution = FloatDistribution | IntDistribution | CategoricalDistribution;
export type NumericalDistribution = FloatDistribution | IntDistribution;

/** Name to distribution: what a sampler models. */
export type SearchSpace = Record<string, Distribution>;

/**
 * Optuna's check_distribution_compatibility: one parameter name keeps its kind and log flag in a
 * study, and a categorical keeps its choices; bounds and steps may change between trials.
 */
export function checkDistributionCompatibility(fn: string, name: string, previous: Distribution, next: Distribution): void {
  const op = 'checkDistributionCompatibility';
  checkString(op, 'fn', fn, true);
  checkString(op, 'name', name);
  // Each distribution read once, up front: a Proxy whose traps throw is named here.
  const [p, n] = ([['previous', previous], ['next', next]] as const).map(([arg, d]) => {
    if (!isInstance(d, FloatDistribution) && !isInstance(d, IntDistribution) && !isInstance(d, CategoricalDistribution)) {
      typeError(op, arg, 'a FloatDistribution, IntDistribution or CategoricalDistribution', d);
    }
    return readSafely(op, arg, () => {
      const kind = isInstance(d, CategoricalDistribution) ? CategoricalDistribution : isInstance(d, IntDistribution) ? IntDistribution : FloatDistribution;
      const categorical = kind === CategoricalDistribution;
      return {
        kind,
        text: kindOf(d),
        log: categorical ? false : (d as FloatDistribution | IntDistribution).log,
        choices: categorical ? [...(d as CategoricalDistribution).choices] : [],
        json: categorical ? JSON.stringify((d as CategoricalDistribution).choices) : '',
      };
    });
  });
  if (p.kind !== n.kind) {
    throw new TypeError(`${fn}: parameter '${name}' was suggested as ${p.text} before, got ${n.text}; a name keeps one kind in a study`);
  }
  if (p.kind !== CategoricalDistribution && p.log !== n.log) {
    throw new RangeError(`${fn}: parameter '${name}' was suggested with log ${p.log} before, got log ${n.log}`);
  }
  if (p.kind === CategoricalDistribution && (p.choices.length !== n.choices.length || p.choices.some((c, i) => !sameChoice(c as CategoricalChoice, n.choices[i] as CategoricalChoice)))) {
    throw new RangeError(`${fn}: parameter '${name}' was suggested with choices ${p.json} before, got ` +
      `${n.json}; categorical choices cannot change within a study`);
  }
}

/** A distribution from its JSON form (distributionToJSON's inverse, Optuna's json_to_distribution). */
export function distributionFromJSON(json: DistributionJSON): Distribution {
  const op = 'distributionFromJSON';
  if (!isPlainObject(json)) typeError(op, 'json', "a distribution's JSON ({ name, attributes })", json);
  const { name, attributes } = readSafely(op, 'json', () => ({ name: json.name as unknown, attributes: json.attributes as unknown }));
  if (!isPlainObject(attributes)) typeError(op, "json's attributes", 'an object', attributes);
  const a = readSafely(op, "json's attributes", () => ({ ...attributes })) as Record<string, never>;
  if (name !== 'FloatDistribution' && name !== 'IntDistribution' && name !== 'CategoricalDistribution') {
    typeError(op, "json's name", "'FloatDistribution', 'IntDistribution' or 'CategoricalDistribution'", name);
  }
  // The constructors check the attributes; their messages come out as distributionFromJSON's.
  return prefixed(op, (): Distribution => {
    switch (name) {
      case 'FloatDistribution': return new FloatDistribution(a.low, a.high, { log: a.log, step: a.step ?? undefined });
      case 'IntDistribution': return new IntDistribution(a.low, a.high, { log: a.log, step: a.step });
      default: return new CategoricalDistribution(a.choices as CategoricalChoice[]);
    }
  });
}

/** The one value of a single() distribution. */
export function singleValue(d: Distribution): ParamValue {
  return d instanceof CategoricalDistribution ? d.choices[0] : d.low;
}

export function isCategorical(d: Distribution): d is CategoricalDistribution {
  return d instanceof CategoricalDistribution;
}

/** Categorical equality as Optuna's: NaN equals NaN, otherwise strict. */
function sameChoice(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b));
}

function kindOf(d: Distribution): string {
  return d instanceof FloatDistribution ? 'a float' : d instanceof IntDistribution ? 'an int' : 'a categorical';
}

function checkBounds(fn: string, low: number, high: number): void {
  if (typeof low !== 'number' || !Number.isFinite(low)) throw new RangeError(`${fn}: low must be a finite number, got ${describeValue(low)}`);
  if (typeof high !== 'number' || !Number.isFinite(high)) throw new RangeError(`${fn}: high must be a finite number, got ${describeValue(high)}`);
  if (low > high) throw new RangeError(`${fn}: low must be <= high, got low ${low}, high ${high}`);
}

function numericInternal(value: ParamValue, log: boolean): number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw new TypeError(`toInternalRepr: expected a number, got ${describeValue(value)}`);
  if (log && value <= 0) throw new RangeError(`toInternalRepr: ${value} is not valid on a log scale`);
  return value;
}

/**
 * The largest low + k·step that is <= high (Optuna's _adjust_discrete_uniform_high), computed
 * with a tolerance so that 0.1-style steps are not lost to binary rounding.
 */
function adjustHigh(fn: string, low: number, high: number, step: number): number {
  const r = (high - low) / step;
  const k = Math.round(r);
  if (Math.abs(r - k) <= 1e-9 * Math.max(1, Math.abs(r))) return high;
  const adjusted = Number((low + Math.floor(r) * step).toPrecision(15));
  process.emitWarning(`${fn}: the range [${low}, ${high}] is not divisible by step ${step}; using [${low}, ${adjusted}]`, 'TuneWarning');
  return adjusted;
}

/** A range's options ({ log, step }), read once. */
function rangeOptions(fn: string, options: unknown): RangeOptions {
  if (options === undefined) return {};
  if (!isPlainObject(options)) typeError(fn, 'options', 'an options object ({ log, step })', options);
  return readSafely(fn, 'options', () => ({ ...options }) as RangeOptions);
}

const checkArg = (fn: string, name: string, v: unknown): void => {
  if (typeof v !== 'number') typeError(fn, name, 'a number', v);
};
const checkChoiceValue = (fn: string, v: unknown): void => {
  if (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
    typeError(fn, 'value', 'a parameter value (a number, string, boolean or null)', v);
  }
};
const isDistribution = (v: unknown): boolean =>
  isInstance(v, FloatDistribution) || isInstance(v, IntDistribution) || isInstance(v, CategoricalDistribution);
