/**
 * What the fuzz knows about each target: a valid call, from which the hostile cases are made by
 * replacing one argument (or one option, or one element of an array argument) at a time.
 */

/** A valid call of a function or constructor. */
export interface CallSpec {
  /** A valid argument list, made fresh for every case. */
  args: () => unknown[];
  /** Other names an error message may name (an op the function delegates to). */
  names?: string[];
  /** Argument positions left as they are (say why where they are listed). */
  fixed?: number[];
  /**
   * The clear error the valid call ends in where this machine lacks what the function needs
   * (CUDA where no GPU is present); bad arguments must still be refused before it.
   */
  unavailable?: RegExp;
}

/** A valid call of a method on a receiver. */
export interface MethodSpec {
  /** A valid argument list for `self`, made fresh for every case. */
  args?: (self: never) => unknown[];
  /** A receiver other than the class spec's (a model that has been trained, a fitted scaler). */
  make?: () => unknown;
  names?: string[];
  fixed?: number[];
}

/** A class: its constructor's valid call, the receiver for its methods, and the methods. */
export interface ClassSpec {
  /** Absent for abstract classes: their methods are fuzzed on each subclass's receiver. */
  ctor?: CallSpec;
  /** The receiver for the methods (default: `new C(...ctor.args())`). */
  make?: () => unknown;
  /** Methods by name; methods not listed are looked up on the base classes' specs. */
  methods?: Record<string, MethodSpec>;
  /** Methods that are not public API (TypeScript private/protected, or @internal). */
  internal?: readonly string[];
  /** Static methods by name. */
  statics?: Record<string, CallSpec>;
}

export interface SpecTable {
  functions: Record<string, CallSpec>;
  classes: Record<string, ClassSpec>;
}

/** Hands a spec's receiver to its args function (the `never` above keeps specs typed loosely). */
export const asMethodArgs = (m: MethodSpec) => (m.args ?? (() => [])) as (self: unknown) => unknown[];
