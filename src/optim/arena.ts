/**
 * ParameterArena: every parameter of an optimizer in ONE contiguous native storage, and every
 * gradient in another, so a fused step is one pass over memory (PyTorch's multi-tensor
 * "foreach"/"fused" idea, taken to its end). Parameters are moved in with `Tensor._rebind`,
 * which keeps their identity, so modules holding them see the arena; each `param.grad` becomes
 * a view into the gradient arena, which backward() accumulates into in place.
 *
 * Layout: groups one after another, each group's parameters packed back to back, and every
 * group slice starting at a multiple of 16 floats (64 bytes: a cache line, an AVX-512 vector).
 * Padding stays zero in both arenas.
 *
 * A parameter belongs to one arena at a time. A new optimizer over parameters another one owns
 * takes them over (PyTorch's habit: a fresh optimizer for fine-tuning, or a retry after a failed
 * fit): the parameters move to the new arena with their current values, and the old optimizer
 * is retired — its step and zeroGrad throw, naming the optimizer that took over, since it would
 * otherwise update parameters it no longer holds. `optimizer.dispose()` releases parameters
 * without a successor.
 */
import type { Backend } from '../backend/backend.js';
import { defaultBackend } from '../backend/registry.js';
import { Storage } from '../storage.js';
import { formatShape, Tensor } from '../tensor.js';
import { copyKernel } from '../ops/kernels.js';
import { checkArray, checkInteger, checkString, checkTensor } from '../validate/index.js';

/** Alignment of group slices, in floats. */
export const GROUP_ALIGN = 16;

/** Where one group lives in the arenas. */
export interface GroupSlice {
  offset: number;
  count: number;
}

const owners = new WeakMap<Tensor, ParameterArena>();

const alignUp = (n: number) => Math.ceil(n / GROUP_ALIGN) * GROUP_ALIGN;

/** The optimizer's two arenas (parameters and gradients) and its state arenas; see the file comment for the layout and the hand-over between optimizers. */
export class ParameterArena {
  /** Total floats in each arena, padding included. */
  readonly length: number;
  readonly slices: readonly GroupSlice[];
  /** Every parameter, in group order. */
  readonly params: readonly Tensor[];
  /** Offset of each parameter in the arenas (parallel to `params`). */
  readonly offsets: readonly number[];
  /** The backend of the parameters' device, which every arena lives on and every step runs on. */
  readonly backend: Backend;
  /** @internal */ paramStorage: Storage;
  /** @internal */ gradStorage: Storage;
  private readonly gradViews: Tensor[];
  private released = false;
  /** The optimizer that took this arena's parameters over, when one did. */
  private successor: string | null = null;

  /** @param op the optimizer's name, for error messages */
  constructor(groups: readonly (readonly Tensor[])[], private readonly op: string) {
    checkString('ParameterArena', 'op', op, true);
    checkArray(op, 'groups', groups, 'an array of groups (arrays of tensors)');
    groups.forEach((group, g) => checkArray(op, `group ${g}`, group, 'an array of tensors'));
    const seen = new Set<Tensor>();
    const previous = new Set<ParameterArena>();
    const slices: GroupSlice[] = [];
    const params: Tensor[] = [];
    const offsets: number[] = [];
    let cursor = 0;
    groups.forEach((group, g) => {
      const start = alignUp(cursor);
      cursor = start;
      group.forEach((p, i) => {
        const where = `parameter ${i} of group ${g}`;
        checkTensor(op, where, p, 'float32');
        if (!p.requiresGrad) throw new Error(`${op}: ${where} ${formatShape(p.shape)} does not require grad; call requiresGrad_() on it`);
        if (p.gradFn) throw new Error(`${op}: ${where} is not a leaf tensor (it is the output of '${p.gradFn.name}')`);
        if (params.length > 0 && p.backend !== params[0].backend) {
          throw new Error(`${op}: ${where} is on '${p.device}', parameter 0 on '${params[0].device}'; an optimizer's parameters share one device`);
        }
        if (seen.has(p)) throw new Error(`${op}: ${where} appears more than once in the parameter groups`);
        const owner = owners.get(p);
        if (owner && !owner.released) previous.add(owner);
        seen.add(p);
        params.push(p);
        offsets.push(cursor);
        cursor += p.size;
      });
      slices.push({ offset: start, count: cursor - start });
    });
    this.length = alignUp(cursor);
    this.slices = slices;
    this.params = params;
    this.offsets = offsets;
    // An optimizer follows its parameters: the arenas (and the state) live on their device.
    this.backend = params[0]?.backend ?? defaultBackend();
    this.paramStorage = Storage.acquire('float32', this.length, true, this.backend);
    this.gradStorage = Storage.acquire('float32', this.length, true, this.backend);
    this.gradViews = params.map((p, i) => {
      const view = new Tensor(this.gradStorage.retain(), offsets[i], p.shape, 'float32');
      if (p.grad) copyKernel(view, p.grad);
      p._rebind(this.paramStorage, offsets[i]);
      p.grad?.dispose();
      p.grad = view;
      owners.set(p, this);
      return view;
    });
    // Only once the parameters are in: a constructor that throws above leaves the old one working.
    for (const old of previous) old.retire(op);
  }

  /** Gives up the parameters to `successor` (see the file comment). */
  private retire(successor: string): void {
    this.successor = successor;
    this.dispose();
  }

  /** Sets every gradient to zero: one native fill over the gradient arena. */
  zeroGrad(): void {
    this.sync();
    this.backend.fill(this.gradStorage.buffer, 0, this.length, 0);
  }

  /**
   * Makes sure every `param.grad` is still its arena view. If user code replaced or cleared a
   * gradient, its values are copied back into the arena (a cleared one counts as zero), so
   * the step sees them. O(parameters) JS work, no per-element work when nothing changed.
   */
  sync(): void {
    this.checkAlive();
    const params = this.params;
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      const view = this.gradViews[i];
      if (p.storage !== this.paramStorage) {
        throw new Error(`${this.op}: parameter ${i} ${formatShape(p.shape)} left the optimizer's arena (moved to '${p.device}'?); create the optimizer after module.to(device)`);
      }
      if (p.grad === view) continue;
      if (p.grad) {
        // The assigned tensor stays its owner's (it may be reused); only its values are taken.
        const g = p.grad;
        if (!(g instanceof Tensor) || g.dtype !== 'float32' || g.size !== p.size) {
          throw new TypeError(`${this.op}: the gradient assigned to parameter ${i} ${formatShape(p.shape)} must be a float32 tensor of ${p.size} elements, got ${g instanceof Tensor ? `${g.dtype} ${formatShape(g.shape)}` : typeof g}`);
        }
        copyKernel(view, g);
      } else {
        this.backend.fill(view.buffer, view.offset, view.size, 0);
      }
      p.grad = view;
    }
  }

  /** Index of the parameter holding arena element `element`. */
  paramAt(element: number): number {
    checkInteger('ParameterArena.paramAt', 'element', element, { min: 0, maxOpen: this.length });
    let lo = 0;
    let hi = this.offsets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.offsets[mid] <= element) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** A zero-filled arena of the same length, for optimizer state. */
  allocateState(): Storage {
    return Storage.acquire('float32', this.length, true, this.backend);
  }

  get disposed(): boolean {
    return this.released;
  }

  /**
   * Releases ownership: the parameters keep their storage (and current values) but may join
   * another optimizer; gradients stay views of the old gradient arena until then.
   */
  dispose(): void {
    if (this.released) return;
    this.released = true;
    this.paramStorage.release();
    this.gradStorage.release();
  }

  private checkAlive(): void {
    if (this.successor) {
      throw new Error(`${this.op}: this optimizer's parameters were taken over by a newer optimizer (${this.successor}); step that one, or create a new ${this.op}`);
    }
    if (this.released) throw new Error(`${this.op}: optimizer was disposed`);
  }
}
