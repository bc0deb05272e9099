/** ModelCheckpoint's constructor arguments, checked apart from the checkpoint logic itself. */
import { checkBoolean, checkInteger, checkString, option, optionKeys, readOptions } from '../../validate/index.js';
import type { ModelCheckpointOptions } from './model_checkpoint.js';

const KEYS = optionKeys<ModelCheckpointOptions>({ monitor: true, mode: true, saveBestOnly: true, everyNEpochs: true });

/** The path (a non-empty string) and the options, read once; returns the options. */
export function checkModelCheckpointArguments(path: unknown, options: unknown): ModelCheckpointOptions {
  const op = 'ModelCheckpoint';
  checkString(op, 'path', path, true);
  const o = readOptions<ModelCheckpointOptions>(op, options, KEYS);
  if (o.monitor !== undefined) checkString(op, option('monitor'), o.monitor, true);
  if (o.saveBestOnly !== undefined) checkBoolean(op, option('saveBestOnly'), o.saveBestOnly);
  if (o.everyNEpochs !== undefined) checkInteger(op, option('everyNEpochs'), o.everyNEpochs, { min: 1 });
  return o;
}
