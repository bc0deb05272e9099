/**
 * Module: the base of every layer and model, as torch.nn.Module. A module owns parameters
 * (tensors with requiresGrad), buffers (state such as BatchNorm's running statistics) and child
 * modules, each under a name; names compose with dots into PyTorch's state-dict keys
 * (`0.weight`, `encoder.1.running_mean`), so state dicts line up with PyTorch's.
 */
import { backendFor } from '../backend/registry.js';
import { copyAcrossDevices, fillKernel } from '../ops/kernels.js';
import { formatShape, Tensor, type Device } from '../tensor.js';
import { checkBoolean, checkString, checkTensor, errorText, isInstance, typeError } from '../validate/index.js';
import { scopeForward } from './forward_scope.js';

/** A state dict: tensors by dotted name, in registration order. */
export type StateDict = Record<string, Tensor>;

/**
 * The base of every layer and model, as torch.nn.Module: parameters, buffers and child modules under names that compose into PyTorch's state-dict keys (`0.weight`, `encoder.1.running_mean`).
 * `In` and `Out` type forward's arguments and result: tensors to a Tensor by default (some
 * layers take an options object after their tensors, as attention's masks), other shapes for
 * layers that take or return state, as torch.nn.LSTM's (output, (hN, cN)).
 *
 * ```ts
 * class TwoLayer extends nn.Module {
 *   fc1 = this.registerModule('fc1', nn.linear(784, 128));
 *   fc2 = this.registerModule('fc2', nn.linear(128, 10));
 *   forward(x: Tensor) { return this.fc2.forward(this.fc1.forward(x).relu()); }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export abstract class Module<In extends any[] = any[], Out = Tensor> {
  /** Training mode (true) or evaluation mode (false); see train() / eval(). */
  training = true;
  private readonly params = new Map<string, Tensor | null>();
  private readonly buffers = new Map<string, Tensor>();
  private readonly children = new Map<string, AnyModule>();

  constructor() {
    // Every call of the subclass's forward runs in a creation scope, which frees what the call
    // made and did not return or store (forward_scope.ts): memory reuse without tidy().
    scopeForward(this);
  }

  /**
   * The computation. Subclasses define it as a method; call it directly: `model.forward(x)`.
   * Tensors it creates and neither returns nor stores on the module are freed when it returns
   * (or, when backward needs them, as soon as backward is done with them): keep a tensor by
   * returning it or assigning it to a property (`this.hidden = h`).
   */
  abstract forward(...inputs: In): Out;

  /** Registers a parameter (marked requiresGrad) under `name`; null registers an absent one. */
  protected registerParameter(name: string, t: Tensor | null): Tensor | null {
    this.checkName(name);
    if (t) t.requiresGrad = true;
    this.params.set(name, t);
    return t;
  }

  /** Registers persistent state that is saved in the state dict but not trained. */
  protected registerBuffer(name: string, t: Tensor): Tensor {
    this.checkName(name);
    this.buffers.set(name, t);
    return t;
  }

  /** Registers a child module under `name`. */
  protected registerModule<M extends AnyModule>(name: string, m: M): M {
    this.checkName(name);
    if (!isInstance(m, Module)) typeError('registerModule', `module '${name}'`, 'a Module', m);
    this.children.set(name, m);
    return m;
  }

  private checkName(name: string): void {
    if (!name || name.includes('.')) throw new RangeError(`Module: name '${name}' must be non-empty and contain no '.'`);
    if (this.params.has(name) || this.buffers.has(name) || this.children.has(name)) {
      throw new Error(`Module: '${name}' is already registered`);
    }
  }

  /** [name, child] pairs of the direct children. */
  namedChildren(): [string, AnyModule][] {
    return [...this.children];
  }

  /** Every module in the tree, this one first, with dotted names ('' for this one). */
  namedModules(prefix = ''): [string, AnyModule][] {
    checkString('namedModules', 'prefix', prefix);
    const out: [string, AnyModule][] = [[prefix, this]];
    for (const [name, child] of this.children) out.push(...child.namedModules(prefix ? `${prefix}.${name}` : name));
    return out;
  }

  /** Every module in the tree, this one first. */
  modules(): AnyModule[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** [dotted name, parameter] for every parameter in the tree, each tensor once. */
  namedParameters(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, p] of m.params) {
        if (p && !seen.has(p)) {
          seen.add(p);
          out.push([prefix ? `${prefix}.${name}` : name, p]);
        }
      }
    }
    return out;
  }

  /** Every parameter in the tree (what an optimizer takes). */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** [dotted name, buffer] for every buffer in the tree. */
  namedBuffers(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, b] of m.buffers) out.push([prefix ? `${prefix}.${name}` : name, b]);
    }
    return out;
  }

  /** Sets training mode on this module and every descendant. Returns this. */
  train(mode = true): this {
    checkBoolean('train', 'mode', mode);
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode: Dropout is the identity, BatchNorm uses running statistics. Returns this. */
  eval(): this {
    return this.train(false);
  }

  /** Zero-fills every parameter's existing gradient (keeping it, so arenas stay in place). */
  zeroGrad(): void {
    for (const p of this.parameters()) if (p.grad) fillKernel(p.grad, 0);
  }

  /**
   * Parameters and buffers by PyTorch state-dict name (`0.weight`, `1.running_mean`). The
   * tensors are detached views of the live state: copy them (or save) before training on.
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [name, p] of this.namedParameters()) out[name] = p.detach();
    for (const [name, b] of this.namedBuffers()) out[name] = b.detach();
    return out;
  }

  /**
   * Copies a state dict's values into this module's parameters and buffers (in place, so
   * optimizers holding the parameters see them). `strict` (default) requires exactly the same
   * keys; shapes must always match.
   */
  loadStateDict(state: StateDict, strict = true): void {
    const entries = stateEntries(state);
    checkBoolean('loadStateDict', 'strict', strict);
    const own = new Map<string, Tensor>([...this.namedParameters(), ...this.namedBuffers()]);
    if (strict) {
      const given = new Set(entries.map(([k]) => k));
      const missing = [...own.keys()].filter((k) => !given.has(k));
      const unexpected = [...given].filter((k) => !own.has(k));
      if (missing.length || unexpected.length) {
        throw new Error(`loadStateDict: missing keys [${missing.join(', ')}], unexpected keys [${unexpected.join(', ')}]`);
      }
    }
    // Every entry is checked before the first is copied: a bad one leaves the module as it was.
    const copies: [Tensor, Tensor][] = [];
    for (const [name, value] of entries) {
      const dst = own.get(name);
      if (!dst) continue;
      const src = checkTensor('loadStateDict', `entry '${name}'`, value);
      if (src.size !== dst.size || src.ndim !== dst.ndim || src.shape.some((d, i) => d !== dst.shape[i])) {
        throw new RangeError(`loadStateDict: '${name}' has shape ${formatShape(src.shape)}, the module expects ${formatShape(dst.shape)}`);
      }
      if (src.dtype !== dst.dtype) throw new TypeError(`loadStateDict: '${name}' is ${src.dtype}, the module expects ${dst.dtype}`);
      copies.push([dst, src]);
    }
    // A state dict from another device (a checkpoint read on the CPU) copies across.
    for (const [dst, src] of copies) copyAcrossDevices(dst, src);
    for (const m of this.modules()) m.stateLoaded();
  }

  /**
   * Called on every module of the tree after loadStateDict wrote its tensors: a module that
   * mirrors a buffer's value on the host (BatchNorm's batch count) re-reads it here.
   */
  protected stateLoaded(): void {}

  /**
   * Moves every parameter and buffer to `device` in place, as torch.nn.Module.to: the tensors
   * keep their identity (a module holding them sees the move) and gradients move with them.
   * Create optimizers after the move: an optimizer's arenas live on its parameters' device.
   */
  to(device: Device): this {
    checkString('to', 'device', device);
    const backend = backendFor(device, 'to');
    const tensors = [...this.parameters(), ...this.namedBuffers().map(([, b]) => b)];
    // Every tensor checked before any moves, so a failing call moves nothing.
    tensors.forEach((t) => {
      if (t.disposed) throw new Error(`to: a parameter or buffer of ${formatShape(t.shape)} was disposed`);
    });
    for (const t of tensors) {
      t._moveTo(backend);
      t.grad?._moveTo(backend);
    }
    return this;
  }

  /** One-line description, as PyTorch's extra_repr. */
  protected describe(): string {
    return '';
  }

  /** The module tree as PyTorch prints it: the class, its settings and its children, indented. */
  toString(): string {
    const head = `${this.constructor.name}(${this.describe()}`;
    if (!this.children.size) return `${head})`;
    const lines = [...this.children].map(([n, c]) => `  (${n}): ${String(c).replace(/\n/g, '\n  ')}`);
    return `${head}\n${lines.join('\n')}\n)`;
  }
}

/** A module of any forward signature (what a parent holds). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModule = Module<any[], unknown>;

/** A state dict's [name, value] pairs, read once (a getter that throws fails here, named). */
function stateEntries(state: unknown): [string, unknown][] {
  if (typeof state !== 'object' || state === null || Array.isArray(state) || isInstance(state, Tensor)) {
    typeError('loadStateDict', 'state', 'an object of tensors by name', state);
  }
  try {
    return Object.entries(state);
  } catch (e) {
    throw new TypeError(`loadStateDict: reading the state dict threw: ${errorText(e)}`, { cause: e });
  }
}
