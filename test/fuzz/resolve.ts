/**
 * From a target key to something callable: the spec that describes its valid call, the names an
 * error message may use, and how to call it (a method on a fresh receiver from its class spec).
 * Specs of a base class's methods (nn.Module#train) serve every subclass.
 */
import * as steepest from '../../src/index.js';
import { asMethodArgs, type CallSpec, type ClassSpec, type MethodSpec, type SpecTable } from './spec.js';
import { enumerate, type Target } from './surface.js';

type AnyClass = abstract new (...args: never[]) => unknown;

export interface Runner {
  names: string[];
  fixed: readonly number[];
  /** A fresh receiver (methods) and a fresh valid argument list. */
  prepare(): { self: unknown; args: unknown[] };
  call(self: unknown, args: unknown[]): unknown;
}

export const targets: Target[] = enumerate(steepest as unknown as Record<string, unknown>);

/** Each exported class's path ('nn.Linear'), by class. */
const pathOf = new Map<unknown, string>(targets.filter((t) => t.kind === 'constructor').map((t) => [t.type, t.path]));

const chain = (type: AnyClass): AnyClass[] => {
  const out: AnyClass[] = [];
  for (let c: unknown = type; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) out.push(c as AnyClass);
  return out;
};

const classSpec = (table: SpecTable, type: AnyClass): ClassSpec | undefined => {
  const path = pathOf.get(type);
  return path === undefined ? undefined : table.classes[path];
};

/** Whether a method is declared internal by its class or a base class (a static one: by its class). */
export function isInternal(table: SpecTable, t: Target): boolean {
  if (t.kind === 'static') return classSpec(table, t.type!)?.internal?.includes(t.method!) ?? false;
  return t.kind === 'method' && chain(t.type!).some((c) => classSpec(table, c)?.internal?.includes(t.method!));
}

function methodSpec(table: SpecTable, type: AnyClass, method: string): MethodSpec | undefined {
  for (const c of chain(type)) {
    const m = classSpec(table, c)?.methods?.[method];
    if (m) return m;
  }
  return undefined;
}

function resolvePath(path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], steepest);
}

const lastName = (path: string) => path.slice(path.lastIndexOf('.') + 1);

/** The runner for `t`, or a reason why there is none (no spec). */
export function runnerFor(table: SpecTable, t: Target): Runner | string {
  const base = lastName(t.path);
  if (t.kind === 'function') {
    const spec: CallSpec | undefined = table.functions[t.key];
    if (!spec) return 'no function spec';
    const f = resolvePath(t.path) as (...a: unknown[]) => unknown;
    return { names: [base, ...(spec.names ?? [])], fixed: spec.fixed ?? [], prepare: () => ({ self: undefined, args: spec.args() }), call: (_s, a) => f(...a) };
  }
  const cls = classSpec(table, t.type!);
  const C = t.type as unknown as new (...a: unknown[]) => unknown;
  if (t.kind === 'constructor') {
    const spec = cls?.ctor;
    if (!spec) return cls ? 'abstract (no ctor spec)' : 'no class spec';
    return { names: [base, ...(spec.names ?? [])], fixed: spec.fixed ?? [], prepare: () => ({ self: undefined, args: spec.args() }), call: (_s, a) => new C(...a) };
  }
  if (t.kind === 'static') {
    const spec = cls?.statics?.[t.method!];
    if (!spec) return 'no static spec';
    const f = (C as unknown as Record<string, (...a: unknown[]) => unknown>)[t.method!];
    return { names: [t.method!, base, ...(spec.names ?? [])], fixed: spec.fixed ?? [], prepare: () => ({ self: undefined, args: spec.args() }), call: (_s, a) => f.apply(C, a) };
  }
  const m = methodSpec(table, t.type!, t.method!);
  if (!m) return 'no method spec';
  const make = m.make ?? cls?.make ?? (cls?.ctor ? () => new C(...cls.ctor!.args()) : null);
  if (!make) return cls ? 'abstract (no ctor spec)' : 'no receiver (no class spec)';
  const args = asMethodArgs(m);
  return {
    names: [t.method!, base, `${base}.${t.method}`, ...(m.names ?? [])],
    fixed: m.fixed ?? [],
    prepare: () => {
      const self = make();
      return { self, args: args(self) };
    },
    call: (self, a) => (self as Record<string, (...x: unknown[]) => unknown>)[t.method!](...a),
  };
}
