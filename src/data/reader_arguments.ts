/**
 * Argument checks of the file readers (loadCsv, csvRows, readIdx, parseIdx, loadFashionMnist),
 * kept apart from the parsers themselves: each reader calls one of these first.
 */
import { checkInt32, checkString, isInstance, option, optionKeys, readOptions, typeError } from '../validate/index.js';
import type { CsvOptions } from './csv.js';

const CSV_KEYS = optionKeys<CsvOptions>({
  header: true,
  skipRows: true,
  delimiter: true,
  labelColumn: true,
  target: true,
  targetDtype: true,
  columns: true,
  comment: true,
  chunkRows: true,
  numClasses: true,
});

/** A path argument: a non-empty string. */
export const checkPath = (op: string, path: unknown, name = 'path'): string => checkString(op, name, path, true);

/** loadCsv's and csvRows's arguments; returns the options, read once. */
export function checkCsvArguments(op: string, path: unknown, options: unknown): CsvOptions {
  checkPath(op, path);
  const o = readOptions<CsvOptions>(op, options, CSV_KEYS);
  if (o.delimiter !== undefined) checkString(op, option('delimiter'), o.delimiter, true);
  if (o.chunkRows !== undefined) checkInt32(op, option('chunkRows'), o.chunkRows, 1);
  if (o.numClasses !== undefined && typeof o.numClasses !== 'number') typeError(op, option('numClasses'), 'an integer in [1, 2^31]', o.numClasses);
  const label = o.labelColumn;
  if (label !== undefined) {
    if (typeof label === 'number') checkInt32(op, option('labelColumn'), label);
    else if (typeof label !== 'string') typeError(op, option('labelColumn'), 'a column name or a 0-based index', label);
  }
  return o;
}

/** parseIdx's arguments. */
export function checkIdxBytes(op: string, bytes: unknown, source: unknown): void {
  if (!isInstance(bytes, Uint8Array)) typeError(op, 'bytes', 'a Uint8Array (or Buffer)', bytes);
  checkString(op, 'source', source, true);
}
