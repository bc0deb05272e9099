/**
 * Creation scopes: while a module's forward runs (nn/forward_scope.ts opens one per call), every
 * tensor created is noted in the innermost scope, so that when the forward returns the scope can
 * tell the tensors it made from those that came from outside. Outside any forward nothing is
 * noted: plain op code keeps the ordinary rules (GC finalizer, dispose()).
 */
import type { Tensor } from '../tensor.js';

/** Numbers the tensors created inside scopes, in creation order. */
let serial = 0;

export class CreationScope {
  /**
   * The serial of the first tensor created after this scope opened: a tensor numbered at least
   * this was made during this call (here or in a nested call), one numbered lower came from outside.
   */
  readonly firstSerial = serial + 1;
  /** Tensors created while this scope was innermost, and those its nested scopes handed up. */
  readonly created: Tensor[] = [];
  /** The modules whose forward ran in this scope or a nested one (their properties may hold tensors). */
  readonly modules: object[] = [];
  /** Graph nodes recorded while this scope was innermost (their closures may hold its tensors). */
  recorded = 0;
  constructor(readonly parent: CreationScope | null) {}
}

let innermost: CreationScope | null = null;

/** The innermost open scope, or null outside every forward. */
export const currentScope = (): CreationScope | null => innermost;

/** Opens a scope inside the current one. */
export function openScope(): CreationScope {
  innermost = new CreationScope(innermost);
  return innermost;
}

/** Closes `scope` (the innermost): its parent becomes current again. */
export function closeScope(scope: CreationScope): void {
  innermost = scope.parent;
}

/** @internal Called by the Tensor constructor. */
export function noteCreated(t: Tensor): void {
  const s = innermost;
  if (s) {
    s.created.push(t);
    t._scope = s;
    t._serial = ++serial;
  }
}

/** @internal Called by graph.record() for every node it attaches. */
export function noteRecorded(): void {
  if (innermost) innermost.recorded++;
}
