/**
 * The public surface, enumerated from the package's own exports: every exported function,
 * every exported class (its constructor, its static methods and the methods on its prototype
 * chain), found by walking `src/index.ts` and its namespaces. A new export therefore joins the
 * fuzz by itself; without a spec it fails the coverage test until one is written.
 *
 * Target keys: 'add' (a function), 'new nn.Linear' (a constructor), 'nn.Linear#forward' (a
 * method), 'data.TensorDataset.fromTypedArrays' (a static method). A class exported under two
 * paths (train.Accuracy and train.metrics.Accuracy) is one class, under its first path.
 */
export type TargetKind = 'function' | 'constructor' | 'method' | 'static';

export interface Target {
  key: string;
  kind: TargetKind;
  /** The exported path of the function or class ('nn.Linear'). */
  path: string;
  /** The method's name, for methods and static methods. */
  method?: string;
  /** The class, for constructors, methods and static methods. */
  type?: abstract new (...args: never[]) => unknown;
}

/** Whether a function is a class (its source starts with `class`). */
export const isClass = (f: unknown): f is abstract new (...args: never[]) => unknown =>
  typeof f === 'function' && /^class\b/.test(Function.prototype.toString.call(f));

/** The names of the methods on a class's prototype chain (Object.prototype excluded). */
export function methodNames(type: abstract new (...args: never[]) => unknown): string[] {
  const names = new Set<string>();
  for (let p = type.prototype as object | null; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const name of Object.getOwnPropertyNames(p)) {
      const d = Object.getOwnPropertyDescriptor(p, name)!;
      if (name !== 'constructor' && typeof d.value === 'function') names.add(name);
    }
  }
  return [...names];
}

/** Static methods: own function-valued properties of the class other than the built-in ones. */
function staticNames(type: abstract new (...args: never[]) => unknown): string[] {
  return Object.getOwnPropertyNames(type).filter((n) => !['length', 'name', 'prototype'].includes(n)
    && typeof Object.getOwnPropertyDescriptor(type, n)!.value === 'function');
}

/** Every target reachable from `root` (the package's module namespace). */
export function enumerate(root: Record<string, unknown>): Target[] {
  const out: Target[] = [];
  const seen = new Set<unknown>();
  const walk = (ns: Record<string, unknown>, prefix: string) => {
    for (const name of Object.keys(ns).sort()) {
      const value = ns[name];
      const path = prefix + name;
      if (typeof value === 'function') {
        if (seen.has(value)) continue;
        seen.add(value);
        if (!isClass(value)) {
          out.push({ key: path, kind: 'function', path });
          continue;
        }
        out.push({ key: `new ${path}`, kind: 'constructor', path, type: value });
        for (const m of staticNames(value)) out.push({ key: `${path}.${m}`, kind: 'static', path, method: m, type: value });
        for (const m of methodNames(value)) out.push({ key: `${path}#${m}`, kind: 'method', path, method: m, type: value });
      } else if (isNamespace(value)) {
        walk(value as Record<string, unknown>, `${path}.`);
      }
    }
  };
  walk(root, '');
  return out;
}

/** A module namespace object (export * as nn): a null-prototype object tagged 'Module'. */
function isNamespace(v: unknown): boolean {
  return typeof v === 'object' && v !== null && (v as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === 'Module';
}
