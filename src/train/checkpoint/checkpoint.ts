/**
 * Checkpoints: ONE safetensors file holding everything a resume needs, so that a checkpoint
 * has one commit point, the rename of that file into place (atomic_file.ts): at every instant
 * the path names a complete checkpoint, the previous one until the new one is complete, also
 * when the process is SIGKILLed mid-save.
 *
 *   tensors       the model weights under their own names (any safetensors reader loads them),
 *                 and the state's typed arrays (optimizer moment buffers) under 'state/...'
 *                 (state_codec.ts)
 *   __metadata__  format 'steepest.checkpoint', version '2', checkpointId, savedAt, and
 *                 `state`: the small rest as JSON (epoch, architecture, optimizer step counts
 *                 and hyperparameters, schedules, RNG, loader position, History)
 *
 * Saving is in two steps: `encodeCheckpoint` copies the weights and state out and serializes
 * them, synchronously, so the checkpoint is the state of the moment of the call; the write then
 * runs on the thread pool (`writeFileAtomicAsync`) and does not block the event loop.
 *
 * Pre-1.0: version 1's two files (weights plus a JSON sidecar, renamed one after the other) are
 * not migrated; `loadCheckpoint` recognizes such a weights file and says so.
 */
import { checkTensorRecord } from '../file_arguments.js';
import { describeValue, readSafely } from '../../validate/index.js';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tensor } from '../../ops/creation.js';
import { Tensor } from '../../tensor.js';
import { writeFileAtomicAsync } from '../atomic_file.js';
import { decodeSafetensors, encodeSafetensors, type TensorData } from './safetensors.js';
import { decodeState, encodeState, STATE_PREFIX } from './state_codec.js';

/** The resumable state next to the weights; every field is optional and opaque. */
export interface CheckpointState {
  epoch?: number;
  architecture?: unknown;
  optimizer?: unknown;
  scheduler?: unknown;
  transforms?: unknown;
  rng?: unknown;
  /** Anything else (user data, the History...). */
  extra?: unknown;
  [key: string]: unknown;
}

/** The file's own fields, which a state cannot set. */
export const RESERVED_FIELDS = ['format', 'version', 'checkpointId', 'savedAt'] as const;

/** What a checkpoint holds besides the weights: its own fields and the saved state. */
export interface CheckpointMetadata extends CheckpointState {
  format: 'steepest.checkpoint';
  version: 2;
  /** Random, per save: tells two saves apart (logs, caches). */
  checkpointId: string;
  savedAt: string;
}

/** A loaded checkpoint. */
export interface Checkpoint {
  weights: Record<string, Tensor>;
  metadata: CheckpointMetadata;
}

/** A checkpoint serialized in memory, ready to write (see `encodeCheckpoint`). */
export interface EncodedCheckpoint {
  checkpointId: string;
  /** The file's bytes, in order. */
  chunks: Uint8Array[];
  /** Size of the JSON in the header (for the record: it should stay small). */
  metadataBytes: number;
}

/** What a save wrote. */
export interface SavedCheckpoint {
  path: string;
  checkpointId: string;
  bytes: number;
}

const FORMAT = 'steepest.checkpoint';
const VERSION = '2';

/**
 * Copies `weights` and `state` out and serializes them (synchronous; nothing is written).
 * `op` names the caller in errors.
 */
export function encodeCheckpoint(weights: Record<string, Tensor>, state: CheckpointState = {}, op = 'saveCheckpoint'): EncodedCheckpoint {
  if (!weights || typeof weights !== 'object' || readSafely(op, 'weights', () => Array.isArray(weights))) {
    throw new TypeError(`${op}: argument 'weights' must be an object of named Tensors, got ${describe(weights)}`);
  }
  if (!state || typeof state !== 'object' || readSafely(op, 'state', () => Array.isArray(state))) {
    throw new TypeError(`${op}: argument 'state' must be an object, got ${describe(state)}`);
  }
  for (const key of RESERVED_FIELDS) {
    if (readSafely(op, 'state', () => key in state)) {
      throw new Error(`${op}: state key '${key}' is reserved: ${RESERVED_FIELDS.join(', ')} are the checkpoint file's own fields; nothing was written`);
    }
  }
  checkTensorRecord(op, 'weights', weights);
  const tensors: Record<string, TensorData> = {};
  for (const [name, t] of Object.entries(weights)) {
    if (!(t instanceof Tensor)) throw new TypeError(`${op}: weights['${name}'] must be a Tensor, got ${describe(t)}`);
    if (name.startsWith(STATE_PREFIX)) {
      throw new RangeError(`${op}: weight name '${name}' is reserved: names starting with '${STATE_PREFIX}' hold the checkpoint state`);
    }
    tensors[name] = { dtype: t.dtype, shape: t.shape, values: t.toArray() };
  }
  const { json, tensors: stateTensors } = readSafely(op, 'state', () => encodeState(state, op));
  const checkpointId = randomUUID();
  const metadata = { format: FORMAT, version: VERSION, checkpointId, savedAt: new Date().toISOString(), state: json };
  const chunks = encodeSafetensors({ ...tensors, ...stateTensors }, metadata);
  return { checkpointId, chunks, metadataBytes: Buffer.byteLength(json) };
}

/** Writes an encoded checkpoint to `path`, atomically and off the event loop. */
export async function writeCheckpoint(path: string, encoded: EncodedCheckpoint, op = 'saveCheckpoint'): Promise<SavedCheckpoint> {
  checkPath(op, path);
  try {
    await writeFileAtomicAsync(path, encoded.chunks);
  } catch (e) {
    throw new Error(`${op}: cannot write checkpoint '${path}': ${(e as Error).message}; the previous checkpoint there, if any, is unchanged`, { cause: e });
  }
  return { path, checkpointId: encoded.checkpointId, bytes: encoded.chunks.reduce((n, c) => n + c.length, 0) };
}

/**
 * Saves weights and state to `path` (its folder must exist). The checkpoint is taken when
 * called; the promise resolves once it is committed (renamed into place and synced).
 */
export async function saveCheckpoint(path: string, weights: Record<string, Tensor>, state: CheckpointState = {}): Promise<SavedCheckpoint> {
  checkPath('saveCheckpoint', path);
  return writeCheckpoint(path, encodeCheckpoint(weights, state));
}

/** Loads a checkpoint written by `saveCheckpoint` or ModelCheckpoint. */
export function loadCheckpoint(path: string): Checkpoint {
  checkPath('loadCheckpoint', path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`loadCheckpoint: cannot read checkpoint '${path}': ${code === 'ENOENT' ? 'it does not exist' : (e as Error).message}`);
  }
  const fail = (why: string): never => {
    throw new Error(`loadCheckpoint: '${path}' is not a usable steepest checkpoint: ${why}`);
  };
  const { tensors, metadata } = decodeSafetensors(bytes, path, 'loadCheckpoint');
  if (metadata.format !== FORMAT) fail(`its __metadata__ has no format '${FORMAT}'`);
  if (metadata.version !== VERSION) {
    fail(metadata.version === undefined
      ? 'it is a version 1 checkpoint (weights plus a .json sidecar), which this version of steepest does not read; save it again'
      : `it is version ${metadata.version}; this version of steepest reads version ${VERSION}`);
  }
  const state = decodeState(metadata.state ?? '{}', tensors, fail);
  if (!state || typeof state !== 'object' || Array.isArray(state)) fail('its state is not a JSON object');
  const weights: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(tensors)) {
    if (!name.startsWith(STATE_PREFIX)) weights[name] = tensor(t.values, [...t.shape], { dtype: t.dtype });
  }
  return {
    weights,
    metadata: { ...(state as CheckpointState), format: FORMAT, version: 2, checkpointId: metadata.checkpointId, savedAt: metadata.savedAt },
  };
}

function checkPath(op: string, path: unknown): asserts path is string {
  if (typeof path !== 'string' || path.length === 0) throw new TypeError(`${op}: argument 'path' must be a non-empty string, got ${describe(path)}`);
}

const describe = (value: unknown): string => describeValue(value);
