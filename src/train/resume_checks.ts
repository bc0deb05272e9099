/**
 * Checks of a checkpoint's state before `fit({ resumeFrom })` puts any of it into the run, so
 * that a corrupt or foreign checkpoint is a clear error naming the file and the field, never
 * NaN parameters, a schedule with a string where a number belongs, or a run half restored:
 *   weights    the model's names, shapes and dtypes;
 *   optimizer  as many groups and parameters as this optimizer; each state buffer a float32
 *              tensor with one value per element of its parameter, all finite; step counts
 *              non-negative integers; hyperparameters of the types this optimizer holds, finite;
 *   schedules  one saved state per schedule, each with exactly the fields, types and array
 *              lengths of this run's schedule (a StepLR's state does not load into a
 *              CosineAnnealingLR), numbers finite where this run's are;
 *   rng        seed and offset non-negative integers; epoch, step and batch counters the same.
 */
import type { Tensor } from '../tensor.js';
import type { CheckpointMetadata } from './checkpoint/checkpoint.js';
import type { TrainableModel } from './contracts.js';

/** What the checks read of an optimizer: its groups' parameters (sizes) and names. */
interface InspectableOptimizer {
  paramGroups?: { params?: { size: number }[]; names?: string[]; [hyper: string]: unknown }[];
  stateDict?(): { paramGroups: Record<string, unknown>[] };
  loadStateDict?(dict: never): void;
}

/** A schedule whose state can be saved and restored. */
interface InspectableSchedule {
  stateDict?(): Record<string, unknown>;
}

type Fail = (why: string) => never;

/**
 * Throws for the first part of `metadata` / `weights` that does not fit this run; changes
 * nothing. `path` is the checkpoint path the user passed.
 */
export function checkResumeState(
  path: string, metadata: CheckpointMetadata, weights: Record<string, Tensor>,
  model: TrainableModel, optimizer: unknown, schedules: readonly InspectableSchedule[],
): void {
  const fail: Fail = (why) => {
    throw new Error(`fit: checkpoint '${path}' does not fit this run: ${why}`);
  };
  if (metadata.epoch === undefined) fail('it has no epoch; it was not written during fit');
  checkCount(metadata.epoch, 'epoch', fail);
  checkWeights(weights, model, fail);
  if (metadata.optimizer !== undefined && metadata.optimizer !== null) checkOptimizer(metadata.optimizer, optimizer as InspectableOptimizer, fail);
  checkSchedules(metadata.scheduler, schedules, fail);
  if (metadata.rng !== undefined && metadata.rng !== null) {
    const rng = metadata.rng as Record<string, unknown>;
    if (typeof rng !== 'object') fail(`rng must be { seed, offset }, got ${describe(rng)}`);
    checkCount(rng.seed, 'rng.seed', fail);
    checkCount(rng.offset, 'rng.offset', fail);
  }
  const extra = (metadata.extra ?? {}) as Record<string, unknown>;
  if (typeof extra !== 'object') fail(`extra must be an object, got ${describe(extra)}`);
  if (extra.globalStep !== undefined) checkCount(extra.globalStep, 'extra.globalStep', fail);
  if (extra.batch !== undefined) checkCount(extra.batch, 'extra.batch', fail);
  if (extra.complete !== undefined && typeof extra.complete !== 'boolean') fail(`extra.complete must be a boolean, got ${describe(extra.complete)}`);
}

function checkCount(value: unknown, name: string, fail: Fail): void {
  if (!Number.isSafeInteger(value) || (value as number) < 0) fail(`${name} must be a non-negative integer, got ${describe(value)}`);
}

function checkWeights(weights: Record<string, Tensor>, model: TrainableModel, fail: Fail): void {
  const own = model.stateDict();
  const missing = Object.keys(own).filter((k) => !(k in weights));
  const unexpected = Object.keys(weights).filter((k) => !(k in own));
  if (missing.length || unexpected.length) fail(`weights: missing [${missing.join(', ')}], unexpected [${unexpected.join(', ')}]`);
  for (const [name, t] of Object.entries(own)) {
    const saved = weights[name];
    if (saved.dtype !== t.dtype || saved.shape.length !== t.shape.length || saved.shape.some((d, i) => d !== t.shape[i])) {
      fail(`weight '${name}' is ${saved.dtype} [${saved.shape.join(', ')}], the model's is ${t.dtype} [${t.shape.join(', ')}]`);
    }
  }
}

function checkOptimizer(saved: unknown, optimizer: InspectableOptimizer, fail: Fail): void {
  if (typeof optimizer.loadStateDict !== 'function' || !Array.isArray(optimizer.paramGroups)) {
    fail('it holds optimizer state but the optimizer has no loadStateDict');
  }
  const dict = saved as { state?: unknown; paramGroups?: unknown };
  if (typeof dict !== 'object' || !dict.state || typeof dict.state !== 'object' || !Array.isArray(dict.paramGroups)) {
    fail(`optimizer state must be { state, paramGroups }, got ${describe(saved)}`);
  }
  const state = dict.state as Record<string, unknown>;
  const groups = dict.paramGroups as unknown[];
  const live = optimizer.paramGroups!;
  if (groups.length !== live.length) fail(`the optimizer state has ${groups.length} parameter groups, this optimizer has ${live.length}`);
  const liveHyper = optimizer.stateDict?.().paramGroups ?? [];
  live.forEach((group, g) => {
    const savedGroup = groups[g] as Record<string, unknown>;
    if (!savedGroup || typeof savedGroup !== 'object') fail(`optimizer paramGroups[${g}] must be an object, got ${describe(savedGroup)}`);
    const params = group.params ?? [];
    const indices = savedGroup.params;
    if (!Array.isArray(indices) || indices.length !== params.length || indices.some((i) => !Number.isSafeInteger(i) || i < 0)) {
      fail(`optimizer paramGroups[${g}].params must list ${params.length} parameter indices, got ${describe(indices)}`);
    }
    // Hyperparameters: the types this optimizer holds (the optimizer checks their ranges).
    for (const [key, value] of Object.entries(liveHyper[g] ?? {})) {
      if (key === 'params' || key === 'names' || !(key in savedGroup)) continue;
      checkLike(savedGroup[key], value, `optimizer paramGroups[${g}].${key}`, fail);
    }
    params.forEach((p, i) => {
      const index = (indices as number[])[i];
      const entry = state[index] as Record<string, unknown> | undefined;
      if (entry === undefined) return; // no state yet: the optimizer starts it at step 0
      const name = group.names?.[i];
      const who = `parameter ${index}${name && name !== String(index) ? ` ('${name}')` : ''}`;
      if (!entry || typeof entry !== 'object') fail(`optimizer state of ${who} must be an object, got ${describe(entry)}`);
      checkCount(entry.step, `optimizer step of ${who}`, fail);
      for (const [slot, data] of Object.entries(entry)) {
        if (slot === 'step') continue;
        if (!(data instanceof Float32Array)) fail(`optimizer state '${slot}' of ${who} must be a float32 tensor of ${p.size} values, got ${describe(data)}`);
        if (data.length !== p.size) fail(`optimizer state '${slot}' of ${who} holds ${data.length} values, the parameter has ${p.size}`);
        const bad = data.findIndex((v) => !Number.isFinite(v));
        if (bad >= 0) fail(`optimizer state '${slot}' of ${who} holds ${data[bad]} at element ${bad}`);
      }
    });
  });
}

function checkSchedules(saved: unknown, schedules: readonly InspectableSchedule[], fail: Fail): void {
  const list = saved === undefined || saved === null ? [] : saved;
  if (!Array.isArray(list)) fail(`scheduler must be a list of schedule states, got ${describe(saved)}`);
  if (list.length !== schedules.length) fail(`the checkpoint holds ${list.length} schedules, this run has ${schedules.length}`);
  schedules.forEach((s, i) => {
    const state = (list as unknown[])[i];
    if (state === null || typeof s.stateDict !== 'function') return;
    const live = s.stateDict();
    const name = typeof live.name === 'string' ? ` (${live.name})` : '';
    if (!state || typeof state !== 'object' || Array.isArray(state)) fail(`schedule ${i}${name}: its state must be an object, got ${describe(state)}`);
    const savedName = (state as Record<string, unknown>).name;
    if (name && savedName !== live.name) fail(`schedule ${i} is a ${live.name}, the checkpoint holds the state of ${describe(savedName)}`);
    checkLike(state, live, `schedule ${i}${name} state`, fail);
  });
}

/**
 * `saved` must have the structure of `live` (this run's value of the same field): the same
 * type, the same keys and array lengths; numbers not NaN, and finite where `live` is. A live
 * null (a setting left unset) takes any number, string, boolean or null.
 */
function checkLike(saved: unknown, live: unknown, where: string, fail: Fail): void {
  if (live === null) {
    if (saved !== null && !['number', 'string', 'boolean'].includes(typeof saved)) fail(`${where} must be a number, string, boolean or null, got ${describe(saved)}`);
    if (Number.isNaN(saved)) fail(`${where} is NaN`);
    return;
  }
  if (typeof live === 'number') {
    if (typeof saved !== 'number') fail(`${where} must be a number, got ${describe(saved)}`);
    if (Number.isNaN(saved) || (!Number.isFinite(saved) && Number.isFinite(live))) fail(`${where} must be a finite number, got ${saved}`);
    return;
  }
  if (typeof live !== 'object') {
    if (typeof saved !== typeof live) fail(`${where} must be a ${typeof live}, got ${describe(saved)}`);
    return;
  }
  if (Array.isArray(live)) {
    if (!Array.isArray(saved)) fail(`${where} must be a list, got ${describe(saved)}`);
    if (saved.length !== live.length) fail(`${where} holds ${saved.length} values, this run's holds ${live.length}`);
    live.forEach((v, i) => checkLike(saved[i], v, `${where}[${i}]`, fail));
    return;
  }
  if (!saved || typeof saved !== 'object' || Array.isArray(saved)) fail(`${where} must be an object, got ${describe(saved)}`);
  const record = saved as Record<string, unknown>;
  const liveRecord = live as Record<string, unknown>;
  for (const key of Object.keys(record)) if (!(key in liveRecord)) fail(`${where} has the unknown field '${key}'`);
  for (const [key, v] of Object.entries(liveRecord)) {
    if (!(key in record)) fail(`${where} lacks the field '${key}'`);
    checkLike(record[key], v, `${where}.${key}`, fail);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `a list of ${value.length} ${value.length > 0 ? `${typeof value[0]}s` : 'values'}`;
  if (ArrayBuffer.isView(value)) return `${/^[AEIOU]/.test(value.constructor.name) ? 'an' : 'a'} ${value.constructor.name}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
