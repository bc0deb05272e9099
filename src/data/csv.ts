/**
 * CSV files of numbers: an optional header row, numeric feature columns and an optional integer
 * label column; gzip-compressed files are recognized by their magic bytes (1f 8b) and read
 * through zlib. Leading records can be skipped (`skipRows`: scikit-learn's CSVs start with a
 * line of counts and class names). A ragged or non-numeric row is an error naming its line and
 * column, quoting at most 40 characters of the cell.
 *
 * loadCsv reads the file twice, streaming both times: the first pass counts records, so the
 * second can parse straight into native tensors of the final size through a small staging
 * buffer. Peak memory is the result plus about `chunkRows` rows and one read chunk, never a
 * copy of the file. csvRows streams samples instead (an async iterable for DataLoader).
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { Tensor } from '../tensor.js';
import { CsvRecordSplitter, splitRecord } from './csv_parser.js';
import { parseNumbers } from './csv_number.js';
import type { Sample } from './stream_batches.js';

/** Options of the CSV readers. */
export interface CsvOptions {
  /**
   * The first record (after skipRows) names the columns: true, false, or 'auto' (the default):
   * a header when any of its fields is not a number.
   */
  header?: boolean | 'auto';
  /** Records to skip before the header or the data (default 0). */
  skipRows?: number;
  /** Field separator (default ','). */
  delimiter?: string;
  /** Column holding integer class labels: a header name or a 0-based index (as `target`). */
  labelColumn?: string | number;
  /**
   * Target column(s), by header name or 0-based index: one gives `labels` [rows], several give
   * [rows, targets]. String class labels (a single int32 target) are mapped to 0..k-1 in sorted
   * order, as scikit-learn's LabelEncoder, and the names come back in `classes`.
   */
  target?: string | number | (string | number)[];
  /** dtype of the targets (default 'int32': class labels; 'float32' for regression). */
  targetDtype?: 'int32' | 'float32';
  /** Feature columns to keep, by name or index, in this order (default: every non-target column). */
  columns?: (string | number)[];
  /** Records whose first non-blank characters are this string are skipped (e.g. '#'). */
  comment?: string;
  /** Rows parsed between two writes into native memory (default 4096). */
  chunkRows?: number;
}

/** A CSV file as tensors. */
export interface CsvData {
  /** float32 [rows, features]. */
  features: Tensor;
  /** The targets, when chosen: [rows] for one, [rows, targets] for several; int32 or float32 (targetDtype). */
  labels: Tensor | null;
  featureNames: string[];
  labelName: string | null;
  targetNames: string[];
  /** For string class labels: the class of each code (labels hold indices into this), else null. */
  classes: string[] | null;
}

interface Layout {
  names: string[];
  width: number;
  /** Columns read as features, in output order. */
  features: number[];
  /** Columns read as targets, in output order. */
  targets: number[];
  targetFloat: boolean;
  /** Whether the first record is a header. */
  header: boolean;
  /** String class labels seen so far, code -> name (first-appearance order until the end). */
  classes: string[];
  classCodes: Map<string, number>;
  /** Rows written before the current staging chunk (to tell the first row from later ones). */
  rowBase: number;
}

/** A cell for an error message: JSON-quoted, at most 40 characters of it. */
function quoteCell(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

const stopReading = Symbol('stop');

/**
 * Non-blank records in a file, by a byte scan: a newline outside double quotes ends a record,
 * and a record counts when it holds anything but spaces, tabs and CR. Agrees with
 * CsvRecordSplitter, at a fraction of its cost (no strings are made).
 */
async function countRecords(path: string): Promise<number> {
  let count = 0;
  let quoted = false;
  let content = false;
  for await (const chunk of fileChunks(path)) {
    const len = chunk.length;
    let nextQuote = chunk.indexOf(0x22, 0);
    let i = 0;
    while (i < len) {
      if (quoted) {
        if (nextQuote < 0) break;
        quoted = false;
        i = nextQuote + 1;
        nextQuote = chunk.indexOf(0x22, i);
        continue;
      }
      const nl = chunk.indexOf(0x0a, i);
      const end = nl < 0 ? len : nl;
      if (nextQuote >= 0 && nextQuote < end) {
        content = true;
        quoted = true;
        i = nextQuote + 1;
        nextQuote = chunk.indexOf(0x22, i);
        continue;
      }
      for (let p = i; !content && p < end; p++) {
        const b = chunk[p];
        if (b !== 0x20 && b !== 0x09 && b !== 0x0d) content = true;
      }
      if (nl < 0) break;
      if (content) count++;
      content = false;
      i = nl + 1;
    }
  }
  return content ? count + 1 : count;
}

/**
 * The bytes of a file in chunks read into ONE reused buffer: a stream would allocate a new
 * Buffer per chunk, and those pile up until the garbage collector runs (tens of MB measured).
 * Each chunk is valid only until the next one is requested.
 */
async function* fileChunks(path: string, size = 1 << 16): AsyncGenerator<Buffer> {
  const file = await open(path, 'r');
  const buffer = Buffer.allocUnsafe(size);
  try {
    // gzip by its magic bytes, whatever the file is called (a positioned read leaves the
    // file position at 0).
    const { bytesRead: magic } = await file.read(buffer, 0, 2, 0);
    if (magic === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b) {
      const gunzip = createReadStream('', { fd: file, autoClose: false }).pipe(createGunzip());
      for await (const chunk of gunzip) yield chunk as Buffer;
      return;
    }
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, size, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await file.close();
  }
}

/** Streams the records of a file: (text, line) for every non-blank record after the first `skip`. */
async function forEachRecord(path: string, fn: (text: string, line: number) => void, skip = 0): Promise<void> {
  let skipped = 0;
  const splitter = new CsvRecordSplitter((text, line) => (skipped < skip ? skipped++ : fn(text, line)));
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of fileChunks(path)) splitter.push(decoder.decode(chunk, { stream: true }));
  splitter.push(decoder.decode());
  splitter.end();
}

function layoutFrom(first: string[], options: CsvOptions, path: string): Layout {
  const width = first.length;
  const mode = options.header ?? 'auto';
  if (mode !== true && mode !== false && mode !== 'auto') throw new TypeError(`loadCsv: option 'header' must be true, false or 'auto', got ${JSON.stringify(mode)}`);
  const header = mode === 'auto' ? first.some((f) => f.trim() === '' || Number.isNaN(Number(f))) : mode;
  const names = header ? first.map((s) => s.trim()) : first.map((_, i) => `column${i}`);
  const resolve = (c: string | number, what: string): number => {
    if (typeof c === 'string') {
      const i = names.indexOf(c);
      if (i < 0) throw new RangeError(`loadCsv: ${what} '${c}' is not in the header of ${path} (${names.join(', ').slice(0, 200)})`);
      return i;
    }
    if (!Number.isInteger(c) || c < 0 || c >= width) throw new RangeError(`loadCsv: ${what} ${c} is outside the ${width} columns of ${path}`);
    return c;
  };
  if (options.target !== undefined && options.labelColumn !== undefined) throw new TypeError('loadCsv: give target or labelColumn, not both');
  const t = options.target ?? options.labelColumn;
  const targets = (t === undefined ? [] : Array.isArray(t) ? t : [t]).map((c) => resolve(c, typeof t === 'object' ? 'target column' : 'label column'));
  const dtype = options.targetDtype ?? 'int32';
  if (dtype !== 'int32' && dtype !== 'float32') throw new TypeError(`loadCsv: option 'targetDtype' must be 'int32' or 'float32', got ${JSON.stringify(dtype)}`);
  const features = options.columns ? options.columns.map((c) => resolve(c, 'column')) : names.map((_, i) => i).filter((i) => !targets.includes(i));
  const clash = features.find((i) => targets.includes(i));
  if (clash !== undefined) throw new RangeError(`loadCsv: column '${names[clash]}' is both a feature and a target`);
  if (features.length < 1) throw new RangeError(`loadCsv: ${path} has no feature columns`);
  return { names, width, features, targets, targetFloat: dtype === 'float32', header, classes: [], classCodes: new Map(), rowBase: 0 };
}

/** Parses one record into `xs` and `ys` at `row` (the general path: quoted fields, string labels, errors). */
function parseRecord(fields: string[], layout: Layout, line: number, path: string, xs: Float32Array, ys: Float32Array | Int32Array, row: number): void {
  if (fields.length !== layout.width) {
    throw new RangeError(`${path} line ${line}: ${fields.length} fields, expected ${layout.width} (as the first record)`);
  }
  const cell = (c: number): number => {
    const text = fields[c];
    const v = Number(text);
    if (text.trim() === '' || Number.isNaN(v)) {
      throw new TypeError(`${path} line ${line}, column ${c + 1} ('${layout.names[c].slice(0, 40)}'): ${quoteCell(text)} is not a number`);
    }
    return v;
  };
  const d = layout.features.length;
  layout.features.forEach((c, j) => (xs[row * d + j] = cell(c)));
  const t = layout.targets.length;
  layout.targets.forEach((c, j) => {
    const text = fields[c];
    if (layout.targetFloat) {
      ys[row * t + j] = cell(c);
      return;
    }
    const v = Number(text);
    if (text.trim() !== '' && !Number.isNaN(v)) {
      if (layout.classes.length > 0) throw new TypeError(`${path} line ${line}, column ${c + 1}: label ${quoteCell(text)} is a number, but earlier labels were strings`);
      if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) {
        throw new TypeError(`${path} line ${line}, column ${c + 1}: label ${quoteCell(text)} is not a 32-bit integer (give targetDtype: 'float32' for real values)`);
      }
      ys[row * t + j] = v;
      return;
    }
    // A string class label: codes in first-appearance order, sorted at the end.
    if (t > 1) throw new TypeError(`${path} line ${line}, column ${c + 1}: label ${quoteCell(text)} is not a number; string labels need a single target column`);
    if (layout.classes.length === 0 && row + layout.rowBase > 0) throw new TypeError(`${path} line ${line}, column ${c + 1}: label ${quoteCell(text)} is a string, but earlier labels were numbers`);
    const key = text.trim();
    let code = layout.classCodes.get(key);
    if (code === undefined) {
      code = layout.classes.length;
      layout.classes.push(key);
      layout.classCodes.set(key, code);
    }
    ys[row] = code;
  });
}

/** The fast path of parseRecord for an unquoted numeric record; false when anything is off. */
function fastRecord(text: string, delimiter: number, layout: Layout, fields: Float64Array, xs: Float32Array, ys: Float32Array | Int32Array, row: number): boolean {
  if (layout.classes.length > 0 || parseNumbers(text, delimiter, fields) !== layout.width) return false;
  const { features, targets } = layout;
  const d = features.length;
  const t = targets.length;
  for (let j = 0; j < d; j++) {
    const v = fields[features[j]];
    if (Number.isNaN(v)) return false;
    xs[row * d + j] = v;
  }
  for (let j = 0; j < t; j++) {
    const v = fields[targets[j]];
    if (Number.isNaN(v)) return false;
    if (!layout.targetFloat && (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31)) return false;
    ys[row * t + j] = v;
  }
  return true;
}

/** Loads a numeric CSV file into tensors (see the module comment for the memory bound). */
export async function loadCsv(path: string, options: CsvOptions = {}): Promise<CsvData> {
  const delimiter = options.delimiter ?? ',';
  const chunkRows = options.chunkRows ?? 4096;
  const skip = options.skipRows ?? 0;
  if (!Number.isSafeInteger(skip) || skip < 0) throw new RangeError(`loadCsv: option 'skipRows' must be a non-negative integer, got ${String(skip)}`);
  const keep = commentFilter(options.comment);
  let layout: Layout | null = null;
  await forEachRecord(path, (text, line) => {
    if (!keep(text)) return;
    layout ??= layoutFrom(splitRecord(text, delimiter, line), options, path);
    throw stopReading;
  }, skip).catch((err) => {
    if (err !== stopReading) throw err;
  });
  if (!layout) throw new RangeError(`loadCsv: ${path} is empty${skip ? ` after the ${skip} skipped records` : ''}`);
  const lay: Layout = layout;
  // With comments the byte scan cannot tell them apart: count the records the parse will see.
  let records = 0;
  if (options.comment === undefined) records = (await countRecords(path)) - skip;
  else await forEachRecord(path, (text) => void (keep(text) && records++), skip);
  const rows = lay.header ? records - 1 : records;
  if (rows === 0) throw new RangeError(`loadCsv: ${path} has a header but no data rows`);
  const d = lay.features.length;
  const t = lay.targets.length;
  const features = Tensor.empty([rows, d]);
  const labels = t > 0 ? Tensor.empty(t === 1 ? [rows] : [rows, t], lay.targetFloat ? 'float32' : 'int32') : null;
  const xs = new Float32Array(chunkRows * d);
  const ys = lay.targetFloat ? new Float32Array(chunkRows * Math.max(1, t)) : new Int32Array(chunkRows * Math.max(1, t));
  let filled = 0;
  let written = 0;
  let seenHeader = !lay.header;
  const flush = () => {
    if (written + filled > rows) throw new Error(`loadCsv: ${path} changed while it was read`);
    features.buffer.write(xs.subarray(0, filled * d), features.offset + written * d);
    labels?.buffer.write(ys.subarray(0, filled * t), labels.offset + written * t);
    written += filled;
    lay.rowBase = written;
    filled = 0;
  };
  const fast = new Float64Array(lay.width);
  const fastDelimiter = delimiter.length === 1 ? delimiter.charCodeAt(0) : -1;
  await forEachRecord(path, (text, line) => {
    if (!keep(text)) return;
    if (!seenHeader) {
      seenHeader = true;
      return;
    }
    if (fastDelimiter < 0 || text.indexOf('"') >= 0 || !fastRecord(text, fastDelimiter, lay, fast, xs, ys, filled)) {
      // Quoted fields, string labels, or a record with a problem: the general path, which names it.
      parseRecord(splitRecord(text, delimiter, line), lay, line, path, xs, ys, filled);
    }
    if (++filled === chunkRows) flush();
  }, skip);
  flush();
  if (written !== rows) throw new Error(`loadCsv: ${path} changed while it was read (${rows} then ${written} rows)`);
  let classes: string[] | null = null;
  if (lay.classes.length > 0 && labels) {
    // LabelEncoder's codes: the classes in sorted order.
    classes = [...lay.classes].sort();
    const recode = Int32Array.from(lay.classes, (name) => classes!.indexOf(name));
    const codes = labels.toArray() as Int32Array;
    for (let i = 0; i < codes.length; i++) codes[i] = recode[codes[i]];
    labels.buffer.write(codes, labels.offset);
  }
  const targetNames = lay.targets.map((i) => lay.names[i]);
  return { features, labels, featureNames: lay.features.map((i) => lay.names[i]), labelName: targetNames[0] ?? null, targetNames, classes };
}

/** Whether a record is data (not a comment line). */
function commentFilter(comment: string | undefined): (text: string) => boolean {
  if (comment === undefined) return () => true;
  if (typeof comment !== 'string' || comment.length === 0) throw new TypeError(`loadCsv: option 'comment' must be a non-empty string, got ${JSON.stringify(comment)}`);
  return (text) => !text.trimStart().startsWith(comment);
}

/**
 * The rows of a CSV file as a stream of [features, label] samples (label 0 without a label
 * column), for DataLoader over data that does not fit in memory. One target at most; string
 * class labels get codes in order of first appearance (a stream cannot sort them first).
 */
export async function* csvRows(path: string, options: CsvOptions = {}): AsyncGenerator<Sample> {
  const delimiter = options.delimiter ?? ',';
  const skip = options.skipRows ?? 0;
  const keep = commentFilter(options.comment);
  let skipped = 0;
  const splitter = new CsvRecordSplitter((text, line) => (skipped < skip ? skipped++ : keep(text) && pending.push([text, line])));
  let pending: [string, number][] = [];
  let layout: Layout | null = null;
  let row = 0;
  const decoder = new TextDecoder('utf-8');
  const drain = function* (): Generator<Sample> {
    const batch = pending;
    pending = [];
    for (const [text, line] of batch) {
      const fields = splitRecord(text, delimiter, line);
      if (!layout) {
        layout = layoutFrom(fields, options, path);
        if (layout.targets.length > 1) throw new RangeError('csvRows: one target column at most; loadCsv reads several');
        if (layout.header) continue;
      }
      const xs = new Float32Array(layout.features.length);
      const ys = layout.targetFloat ? new Float32Array(1) : new Int32Array(1);
      layout.rowBase = row++;
      parseRecord(fields, layout, line, path, xs, ys, 0);
      yield [xs, ys[0]];
    }
  };
  for await (const chunk of fileChunks(path)) {
    splitter.push(decoder.decode(chunk, { stream: true }));
    yield* drain();
  }
  splitter.push(decoder.decode());
  splitter.end();
  yield* drain();
}
