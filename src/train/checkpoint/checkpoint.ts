/**
 * Checkpoints: weights in safetensors plus a JSON sidecar with everything else a resume needs
 * (architecture, optimizer and scheduler state, transform state, epoch, RNG state), taken as
 * opaque JSON-able values. For `run.safetensors` the sidecar is `run.json`.
 *
 * Both files are written atomically (atomic_file.ts); the sidecar is serialized before either
 * file is touched, so an unserializable state fails without harm. The two renames are not one
 * atomic step, so both files carry the same random checkpointId and `loadCheckpoint` refuses a
 * pair from different saves instead of silently mixing them.
 */
import { checkFilePath, checkJsonState, checkTensorRecord } from '../file_arguments.js';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Tensor } from '../../tensor.js';
import { writeFileAtomic } from '../atomic_file.js';
import { loadSafetensors, saveSafetensors } from './safetensors.js';

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
}

/** The sidecar file's content. */
export interface CheckpointSidecar extends CheckpointState {
  format: 'steepest.checkpoint';
  version: 1;
  checkpointId: string;
  /** File name of the weights, relative to the sidecar. */
  weights: string;
  savedAt: string;
}

/** A loaded checkpoint. */
export interface Checkpoint {
  weights: Record<string, Tensor>;
  sidecar: CheckpointSidecar;
}

/** The sidecar path for a weights path: x.safetensors -> x.json, otherwise x + '.json'. */
export function sidecarPath(weightsPath: string): string {
  checkFilePath('sidecarPath', weightsPath, 'weightsPath');
  return weightsPath.endsWith('.safetensors') ? weightsPath.slice(0, -'.safetensors'.length) + '.json' : weightsPath + '.json';
}

/** Saves weights and state; returns the two paths written. */
export function saveCheckpoint(path: string, weights: Record<string, Tensor>, state: CheckpointState = {}): { weights: string; sidecar: string } {
  checkFilePath('saveCheckpoint', path);
  checkTensorRecord('saveCheckpoint', 'weights', weights);
  checkJsonState('saveCheckpoint', 'state', state);
  const checkpointId = randomUUID();
  const sidecar: CheckpointSidecar = {
    format: 'steepest.checkpoint', version: 1, checkpointId, weights: basename(path), savedAt: new Date().toISOString(), ...state,
  };
  let text: string;
  try {
    text = JSON.stringify(sidecar, null, 2);
  } catch (e) {
    throw new TypeError(`saveCheckpoint: the checkpoint state is not JSON-serializable (${(e as Error).message}); nothing was written`);
  }
  const side = sidecarPath(path);
  saveSafetensors(path, weights, { format: 'steepest.checkpoint', checkpointId });
  writeFileAtomic(side, text + '\n');
  return { weights: path, sidecar: side };
}

/** Loads weights and sidecar, checking they belong together. */
export function loadCheckpoint(path: string): Checkpoint {
  checkFilePath('loadCheckpoint', path);
  const side = sidecarPath(path);
  if (!existsSync(side)) throw new Error(`loadCheckpoint: sidecar '${side}' for '${path}' does not exist`);
  let sidecar: CheckpointSidecar;
  try {
    sidecar = JSON.parse(readFileSync(side, 'utf8'));
  } catch (e) {
    throw new Error(`loadCheckpoint: sidecar '${side}' is not valid JSON (${(e as Error).message})`);
  }
  if (!sidecar || sidecar.format !== 'steepest.checkpoint' || typeof sidecar.checkpointId !== 'string') {
    throw new Error(`loadCheckpoint: '${side}' is not a steepest checkpoint sidecar`);
  }
  const { tensors, metadata } = loadSafetensors(path);
  if (metadata.checkpointId !== sidecar.checkpointId) {
    for (const t of Object.values(tensors)) t.dispose();
    throw new Error(`loadCheckpoint: '${path}' (checkpointId ${metadata.checkpointId ?? 'none'}) and '${side}' (${sidecar.checkpointId}) come from different saves`);
  }
  return { weights: tensors, sidecar };
}
