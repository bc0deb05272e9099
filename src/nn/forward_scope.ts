/**
 * Memory reuse for every module: each call of a module's forward runs in a creation scope
 * (autograd/creation_scope.ts), and when it returns the tensors it created are sorted:
 *
 * - kept: reachable by the caller — in the returned value (a tensor, or arrays, plain objects
 *   and Maps of them) or stored on a module that ran in this call (a property, or inside an
 *   array, object or Map property: `this.hidden = h`). They pass to the enclosing scope, and at
 *   the outermost forward become results (markResult: backward moves their values into JS and
 *   returns their storage to the pool, so a caller may still read them);
 * - intermediate: reached from a kept tensor through the graph (inputs of recorded nodes). They
 *   are handed to the autograd (markIntermediate): backward frees each once the last closure
 *   reading it has run, so the next step's forward takes its memory from the pool;
 * - dead: neither. Freed now when nothing can still read them: outputs of recorded ops (their
 *   closures are unreachable), deferred outputs never read (ops/deferred.ts), and everything
 *   when no node was recorded (no-grad evaluation). A dead tensor with no node while nodes were
 *   recorded may be one an op's closure saved (pooling indices, batch-norm statistics) and is
 *   left alone; the closure frees it.
 *
 * So a residual block `relu(add(conv2(relu(conv1(x))), x))` or an attention block written as a
 * user module allocates nothing per step once warm, without tidy(). Nested modules and a module
 * called twice (weight sharing) compose: each call sorts its own tensors, the enclosing one
 * sorts what they returned. What the scope cannot see is a tensor smuggled out another way (a
 * closure, a global array): use the forward's return value or a module property, or `persist`.
 *
 * Why a scope per module call, not tidy() or a per-step arena: it needs nothing from the user,
 * and "returned or stored on the module" is the rule PyTorch users already follow.
 */
import { closeScope, openScope, type CreationScope } from '../autograd/creation_scope.js';
import { markIntermediate, markResult } from '../autograd/graph.js';
import { Tensor } from '../tensor.js';

/**
 * Replaces `module[method]` (the subclass's method; `forward` unless named) by itself run in a
 * creation scope. A module whose other public methods compute as forward does (attention's
 * forwardWithWeights) scopes them too, so they free their temporaries whoever calls them.
 */
export function scopeForward(module: object, method = 'forward'): void {
  const forward = (module as Record<string, unknown>)[method];
  if (typeof forward !== 'function') return;
  Object.defineProperty(module, method, {
    value: function scopedForward(...args: unknown[]): unknown {
      const scope = openScope();
      scope.modules.push(module);
      let result: unknown;
      try {
        result = (forward as (...a: unknown[]) => unknown).apply(module, args);
      } catch (e) {
        closeScope(scope);
        abandon(scope);
        throw e;
      }
      closeScope(scope);
      settle(scope, result);
      return result;
    },
    writable: true,
    configurable: true,
    enumerable: false,
  });
}

/**
 * Takes `t` out of the forward scope it was created in, so the scope never frees it (a cache a
 * layer keeps outside its properties, such as a module-level Map of masks). Returns t.
 */
export function persist(t: Tensor): Tensor {
  t._scope = null;
  return t;
}

/** Adds the tensors of `scope` found in `value` (arrays, plain objects and Maps, 3 levels deep) to `into`. */
function collect(value: unknown, scope: CreationScope, into: Set<Tensor>, depth: number): void {
  if (value instanceof Tensor) {
    if (value._scope === scope) into.add(value);
    return;
  }
  if (depth >= 3 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) collect(v, scope, into, depth + 1);
  } else if (value instanceof Map) {
    for (const v of value.values()) collect(v, scope, into, depth + 1);
  } else if (Object.getPrototypeOf(value) === Object.prototype || depth === 0) {
    // depth 0 is a module: its own properties (a plain object nested in one is read the same way).
    for (const k of Object.keys(value)) collect((value as Record<string, unknown>)[k], scope, into, depth + 1);
  }
}

/** Sorts the scope's tensors when its forward returned `result` (see the file comment). */
function settle(scope: CreationScope, result: unknown): void {
  const kept = new Set<Tensor>();
  collect(result, scope, kept, 1);
  for (const m of scope.modules) collect(m, scope, kept, 0);
  // The graph behind the kept tensors, as far back as tensors made during this call (nested
  // calls' hidden activations lie between this call's tensors).
  const reached = new Set<Tensor>();
  const stack = [...kept];
  while (stack.length) {
    const t = stack.pop() as Tensor;
    for (const input of t.gradFn?.inputs ?? []) {
      if (input._serial >= scope.firstSerial && !kept.has(input) && !reached.has(input)) {
        reached.add(input);
        stack.push(input);
      }
    }
  }
  const parent = scope.parent;
  for (const t of scope.created) {
    if (t._scope !== scope) continue; // handed up twice, or taken out by persist()
    if (kept.has(t)) {
      // Deferred values leave the outermost forward computed: its inputs may change after it.
      if (!parent) t._settle();
      if (t.gradFn) markResult(t);
      t._scope = parent;
      parent?.created.push(t);
      continue;
    }
    t._scope = null;
    if (reached.has(t)) {
      if (!parent) t._settle();
      markIntermediate(t);
    } else if (t.gradFn || t._deferred || scope.recorded === 0) t.dispose();
  }
  if (parent) parent.modules.push(...scope.modules);
}

/** A forward that threw: nothing is freed (the error path may hold anything), deferred values are computed. */
function abandon(scope: CreationScope): void {
  for (const t of scope.created) {
    if (t._scope !== scope) continue;
    t._scope = null;
    if (!t.disposed) t._settle();
  }
}
