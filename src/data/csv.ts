/**
 * CSV files of numbers: an optional header row, numeric feature columns and optional target
 * columns (integer class labels, string class labels, or float32 values); gzip-compressed files
 * are recognized by their magic bytes (1f 8b) and read through zlib. Leading records can be
 * skipped (`skipRows`: scikit-learn's CSVs start with a line of counts and class names). A
 * ragged or non-numeric row is an error naming its line and column, quoting at most 40
 * characters of the cell.
 *
 * loadCsv reads the file twice, streaming both times: the first pass counts records, so the
 * second can parse straight into native tensors of the final size through a small staging
 * buffer. Peak memory is the result plus a staging buffer of at most `chunkRows` rows and
 * 16 MiB, and one read chunk, never a copy of the file. csvRows streams samples instead (an
 * async iterable for DataLoader).
 *
 * int32 targets are class indices: integers in [0, numClasses) with the `numClasses` option, or
 * non-negative 32-bit integers without it; string class labels become such indices too.
 */
import { createReadStream } from 'node:fs';
import { checkCsvArguments } from './reader_arguments.js';
import { describeValue } from '../validate/index.js';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { Tensor } from '../tensor.js';
import { CsvRecordSplitter, splitRecord } from './csv_parser.js';
import { parseNumbers } from './csv_number.js';
import type { Sample } from './stream_batches.js';
import { defaultBackend } from '../backend/registry.js';

/** A column: a header name or a 0-based index. */
type Column = string | number;

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
  labelColumn?: Column;
  /**
   * Target column(s), by header name or 0-based index: one gives `labels` [rows], several give
   * [rows, targets]. String class labels (a single int32 target) are mapped to 0..k-1 in sorted
   * order, as scikit-learn's LabelEncoder, and the names come back in `classes`.
   */
  target?: Column | Column[];
  /** dtype of the targets (default 'int32': class labels; 'float32' for regression). */
  targetDtype?: 'int32' | 'float32';
  /** Feature columns to keep, by name or index, in this order (default: every non-target column). */
  columns?: Column[];
  /** Records whose first non-blank characters are this string are skipped (e.g. '#'). */
  comment?: string;
  /**
   * Rows parsed between two writes into native memory (default 4096; fewer when rows are so
   * wide that the staging buffer would pass 16 MiB, down to one row).
   */
  chunkRows?: number;
  /**
   * The number of classes of int32 targets: every label must lie in [0, numClasses), and a
   * string-labelled column may hold at most numClasses distinct classes.
   */
  numClasses?: number;
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

/** The options after checkOptions, defaults filled in. */
interface Settings {
  delimiter: string;
  chunkRows: number;
  skipRows: number;
  header: boolean | 'auto';
  comment: string | undefined;
  /** The targets as given (target or labelColumn), always a list. */
  targets: Column[];
  /** Whether `target` was an array (its errors say "target column", labelColumn's "label column"). */
  targetList: boolean;
  columns: Column[] | undefined;
  targetFloat: boolean;
  /** int32 labels must be below this: numClasses, or 2^31. */
  labelLimit: number;
}

/** String class labels of the target column: a code per distinct name, in order of first appearance. */
class ClassNames {
  readonly names: string[] = [];
  private readonly codes = new Map<string, number>();

  get size(): number {
    return this.names.length;
  }

  /** The code of `name`, or undefined when it is new and `limit` codes are taken. */
  code(name: string, limit: number): number | undefined {
    let code = this.codes.get(name);
    if (code === undefined && this.names.length < limit) {
      code = this.names.length;
      this.names.push(name);
      this.codes.set(name, code);
    }
    return code;
  }
}

interface Layout {
  width: number;
  /** Whether the first record is a header. */
  header: boolean;
  /** The name of column c: the header's, or `column${c}` (made one at a time: a file may have millions). */
  name: (c: number) => string;
  /** Columns read as features, in output order. */
  features: Int32Array;
  /** Columns read as targets, in output order. */
  targets: number[];
  targetFloat: boolean;
  labelLimit: number;
  /** String class labels seen so far (first-appearance codes until loadCsv sorts them). */
  classes: ClassNames;
}

const stopReading = Symbol('stop');

/**
 * The most bytes the float32/int32 staging buffers of loadCsv hold: `chunkRows` rows of a narrow
 * file (4096 rows up to 1024 features and targets), fewer of a wide one, and always at least one
 * row. Sizing it as width x chunkRows asked 8 GiB for a 2-million-column file.
 */
const STAGING_BYTES = 16 << 20;

/** An option value for an error message. */
function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return `[${value.slice(0, 5).map(shown).join(', ')}${value.length > 5 ? ', ...' : ''}]`;
  if (value !== null && typeof value === 'object') return 'an object';
  if (typeof value === 'symbol' || typeof value === 'function') return describeValue(value);
  if (typeof value === 'bigint') return `${value}n`;
  return String(value);
}

const isColumn = (c: unknown): c is Column => typeof c === 'string' || typeof c === 'number';

/** Checks the options shared by loadCsv and csvRows, naming `op`; returns them with defaults. */
function checkOptions(op: string, options: CsvOptions): Settings {
  const fail = (Err: typeof RangeError, name: string, expected: string, got: unknown): never => {
    throw new Err(`${op}: ${name} must be ${expected}, got ${shown(got)}`);
  };
  const delimiter = options.delimiter ?? ',';
  // An empty delimiter never advances the field scan; a quote or newline would be ambiguous.
  if (typeof delimiter !== 'string' || delimiter.length === 0 || /["\r\n]/.test(delimiter)) {
    fail(RangeError, 'delimiter', 'a non-empty string without quotes or newlines', delimiter);
  }
  const { chunkRows = 4096, numClasses, skipRows = 0, header = 'auto', comment, columns, targetDtype = 'int32' } = options;
  if (!(Number.isInteger(chunkRows) && chunkRows >= 1)) fail(RangeError, 'chunkRows', 'a positive integer', chunkRows);
  if (numClasses !== undefined && !(Number.isInteger(numClasses) && numClasses >= 1 && numClasses <= 2 ** 31)) {
    fail(RangeError, 'numClasses', 'an integer in [1, 2^31]', numClasses);
  }
  if (!(Number.isSafeInteger(skipRows) && skipRows >= 0)) fail(RangeError, "option 'skipRows'", 'a non-negative integer', skipRows);
  if (header !== true && header !== false && header !== 'auto') fail(TypeError, "option 'header'", "true, false or 'auto'", header);
  if (comment !== undefined && (typeof comment !== 'string' || comment.length === 0)) fail(TypeError, "option 'comment'", 'a non-empty string', comment);
  if (columns !== undefined && !(Array.isArray(columns) && columns.length > 0 && columns.every(isColumn))) {
    fail(TypeError, "option 'columns'", 'a non-empty array of column names or indices', columns);
  }
  if (targetDtype !== 'int32' && targetDtype !== 'float32') fail(TypeError, "option 'targetDtype'", "'int32' or 'float32'", targetDtype);
  // Class counts mean nothing for real-valued targets: a numClasses there is a mistake to report.
  if (numClasses !== undefined && targetDtype === 'float32') throw new TypeError(`${op}: numClasses applies to int32 class labels, but targetDtype is 'float32'`);
  const { target, labelColumn } = options;
  if (target !== undefined && labelColumn !== undefined) throw new TypeError(`${op}: give target or labelColumn, not both`);
  if (labelColumn !== undefined && !isColumn(labelColumn)) fail(TypeError, 'labelColumn', 'a column name or index', labelColumn);
  if (target !== undefined && !(isColumn(target) || (Array.isArray(target) && target.length > 0 && target.every(isColumn)))) {
    fail(TypeError, "option 'target'", 'a column name or index, or a non-empty array of them', target);
  }
  const chosen = target ?? labelColumn;
  return {
    delimiter,
    chunkRows,
    skipRows,
    header,
    comment,
    targets: chosen === undefined ? [] : Array.isArray(chosen) ? chosen : [chosen],
    targetList: Array.isArray(chosen),
    columns,
    targetFloat: targetDtype === 'float32',
    labelLimit: numClasses ?? 2 ** 31,
  };
}

/**
 * Which records are data, for one pass over a file: the first `skipRows` records are dropped
 * (comment or not, as they are counted in the file), then the comment lines.
 */
function dataRecords(settings: Settings): (text: string) => boolean {
  const { skipRows, comment } = settings;
  let skipped = 0;
  return (text) => {
    if (skipped < skipRows) {
      skipped++;
      return false;
    }
    return comment === undefined || !text.trimStart().startsWith(comment);
  };
}

/** A cell for an error message: JSON-quoted, at most 40 characters of it. */
function quoteCell(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** The number of fields of a record, without making a string per field when it has no quotes. */
function fieldCount(text: string, delimiter: string, line: number): number {
  if (text.indexOf('"') >= 0) return splitRecord(text, delimiter, line).length;
  let count = 1;
  for (let i = text.indexOf(delimiter); i >= 0; i = text.indexOf(delimiter, i + delimiter.length)) count++;
  return count;
}

/** Whether a record has a field that is not a number (header 'auto' takes it for the header). */
function hasNonNumber(text: string, delimiter: string, line: number): boolean {
  if (delimiter.length === 1 && text.indexOf('"') < 0) {
    // In place, no string per field: a wide numeric first row is common without a header.
    const fields = new Float64Array(fieldCount(text, delimiter, line));
    parseNumbers(text, delimiter.charCodeAt(0), fields);
    return fields.some(Number.isNaN);
  }
  return splitRecord(text, delimiter, line).some((f) => f.trim() === '' || Number.isNaN(Number(f)));
}

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

/** Streams the records of a file: (text, line) for every non-blank record. */
async function forEachRecord(path: string, fn: (text: string, line: number) => void): Promise<void> {
  const splitter = new CsvRecordSplitter(fn);
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of fileChunks(path)) splitter.push(decoder.decode(chunk, { stream: true }));
  splitter.push(decoder.decode());
  splitter.end();
}

/** The layout from the first data record (the header, or the first data row without one). */
function layoutFrom(op: string, text: string, line: number, settings: Settings, path: string): Layout {
  const { delimiter } = settings;
  const header = settings.header === 'auto' ? hasNonNumber(text, delimiter, line) : settings.header;
  const headerNames = header ? splitRecord(text, delimiter, line).map((s) => s.trim()) : null;
  const width = headerNames ? headerNames.length : fieldCount(text, delimiter, line);
  const name = (c: number) => (headerNames ? headerNames[c] : `column${c}`);
  let generated: string[] | null = null;
  const names = () => headerNames ?? (generated ??= Array.from({ length: width }, (_, i) => `column${i}`));
  const resolve = (c: Column, what: string): number => {
    if (typeof c === 'string') {
      const i = names().indexOf(c);
      if (i < 0) {
        const listed = names().slice(0, 20).join(', ') + (width > 20 ? `, ... (${width} columns)` : '');
        throw new RangeError(`${op}: ${what} '${c}' is not in the header of ${path} (${listed})`);
      }
      return i;
    }
    if (!Number.isInteger(c) || c < 0 || c >= width) throw new RangeError(`${op}: ${what} ${c} is outside the ${width} columns of ${path}`);
    return c;
  };
  const targets = settings.targets.map((c) => resolve(c, settings.targetList ? 'target column' : 'label column'));
  let features: Int32Array;
  if (settings.columns) {
    features = Int32Array.from(settings.columns, (c) => resolve(c, 'column'));
    const clash = features.find((c) => targets.includes(c));
    if (clash !== undefined) throw new RangeError(`${op}: column '${name(clash)}' is both a feature and a target`);
  } else {
    features = new Int32Array(width - new Set(targets).size);
    for (let c = 0, j = 0; c < width; c++) if (!targets.includes(c)) features[j++] = c;
  }
  if (features.length < 1) throw new RangeError(`${op}: ${path} has no feature columns`);
  return { width, header, name, features, targets, targetFloat: settings.targetFloat, labelLimit: settings.labelLimit, classes: new ClassNames() };
}

/** Where a cell is, for error messages. */
function cellAt(path: string, line: number, c: number): string {
  return `${path} line ${line}, column ${c + 1}`;
}

/** The message for an integer label outside [0, labelLimit), naming the line and column. */
function badLabel(layout: Layout, path: string, line: number, c: number, text: string): RangeError {
  const range = layout.labelLimit === 2 ** 31 ? 'a class index >= 0' : `a class in [0, ${layout.labelLimit})`;
  return new RangeError(`${path} line ${line}: label ${quoteCell(text)} is not ${range} (column ${c + 1}, '${layout.name(c).slice(0, 40)}')`);
}

/**
 * An int32 target cell as a class index: an integer in [0, labelLimit), or the code of a string
 * class label. `firstRow` tells whether rows came before this one (numbers and strings must not
 * mix in one column).
 */
function classLabel(text: string, c: number, layout: Layout, line: number, path: string, firstRow: boolean): number {
  const v = Number(text);
  if (text.trim() !== '' && !Number.isNaN(v)) {
    if (layout.classes.size > 0) throw new TypeError(`${cellAt(path, line, c)}: label ${quoteCell(text)} is a number, but earlier labels were strings`);
    if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) {
      throw new TypeError(`${cellAt(path, line, c)}: label ${quoteCell(text)} is not a 32-bit integer (give targetDtype: 'float32' for real values)`);
    }
    if (v < 0 || v >= layout.labelLimit) throw badLabel(layout, path, line, c, text);
    return v;
  }
  // A string class label: codes in first-appearance order (loadCsv sorts them at the end).
  if (layout.targets.length > 1) throw new TypeError(`${cellAt(path, line, c)}: label ${quoteCell(text)} is not a number; string labels need a single target column`);
  if (layout.classes.size === 0 && !firstRow) throw new TypeError(`${cellAt(path, line, c)}: label ${quoteCell(text)} is a string, but earlier labels were numbers`);
  const code = layout.classes.code(text.trim(), layout.labelLimit);
  if (code === undefined) throw new RangeError(`${cellAt(path, line, c)}: label ${quoteCell(text)} would be class ${layout.labelLimit + 1}, but numClasses is ${layout.labelLimit}`);
  return code;
}

/**
 * Parses one record into `xs` and `ys` at staging slot `row` (the general path: quoted fields,
 * string labels, errors). `index` is the record's 0-based data row in the file.
 */
function parseRecord(fields: string[], layout: Layout, line: number, path: string, xs: Float32Array, ys: Float32Array | Int32Array, row: number, index: number): void {
  if (fields.length !== layout.width) {
    throw new RangeError(`${path} line ${line}: ${fields.length} fields, expected ${layout.width} (as the first record)`);
  }
  const number = (c: number): number => {
    const text = fields[c];
    const v = Number(text);
    if (text.trim() === '' || Number.isNaN(v)) {
      throw new TypeError(`${cellAt(path, line, c)} ('${layout.name(c).slice(0, 40)}'): ${quoteCell(text)} is not a number`);
    }
    return v;
  };
  const { features, targets } = layout;
  const d = features.length;
  for (let j = 0; j < d; j++) xs[row * d + j] = number(features[j]);
  const t = targets.length;
  for (let j = 0; j < t; j++) {
    const c = targets[j];
    ys[row * t + j] = layout.targetFloat ? number(c) : classLabel(fields[c], c, layout, line, path, index === 0);
  }
}

/** The fast path of parseRecord for an unquoted numeric record; false when anything is off. */
function fastRecord(text: string, delimiter: number, layout: Layout, fields: Float64Array, xs: Float32Array, ys: Float32Array | Int32Array, row: number): boolean {
  // Once string labels were seen every label goes through the class codes of parseRecord.
  if (layout.classes.size > 0 || parseNumbers(text, delimiter, fields) !== layout.width) return false;
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
    // Not an integer class index: parseRecord names the problem.
    if (!layout.targetFloat && (!Number.isInteger(v) || v < 0 || v >= layout.labelLimit)) return false;
    ys[row * t + j] = v;
  }
  return true;
}

/** The number of data records loadCsv will see (the header included). */
async function countDataRecords(path: string, settings: Settings): Promise<number> {
  // Without comments the byte scan is enough; comment lines need the records themselves.
  if (settings.comment === undefined) return Math.max(0, (await countRecords(path)) - settings.skipRows);
  const keep = dataRecords(settings);
  let records = 0;
  await forEachRecord(path, (text) => void (keep(text) && records++));
  return records;
}

/** The first data record's layout, or null for a file without data records. */
async function readLayout(op: string, path: string, settings: Settings): Promise<Layout | null> {
  const keep = dataRecords(settings);
  let layout: Layout | null = null;
  await forEachRecord(path, (text, line) => {
    if (!keep(text)) return;
    layout = layoutFrom(op, text, line, settings, path);
    throw stopReading;
  }).catch((err) => {
    if (err !== stopReading) throw err;
  });
  return layout;
}

/** Loads a numeric CSV file into tensors (see the module comment for the memory bound). */
export async function loadCsv(path: string, options: CsvOptions = {}): Promise<CsvData> {
  options = checkCsvArguments('loadCsv', path, options);
  const settings = checkOptions('loadCsv', options);
  const lay = await readLayout('loadCsv', path, settings);
  const skip = settings.skipRows;
  if (!lay) throw new RangeError(`loadCsv: ${path} is empty${skip ? ` after the ${skip} skipped records` : ''}`);
  const records = await countDataRecords(path, settings);
  const rows = lay.header ? records - 1 : records;
  if (rows === 0) throw new RangeError(`loadCsv: ${path} has a header but no data rows`);
  const d = lay.features.length;
  const t = lay.targets.length;
  const backend = defaultBackend();
  const features = Tensor.empty([rows, d], 'float32', false, backend);
  const labels = t > 0 ? Tensor.empty(t === 1 ? [rows] : [rows, t], lay.targetFloat ? 'float32' : 'int32', false, backend) : null;
  const stagingRows = Math.max(1, Math.min(settings.chunkRows, Math.floor(STAGING_BYTES / (4 * (d + t)))));
  const xs = new Float32Array(stagingRows * d);
  const ys = lay.targetFloat ? new Float32Array(stagingRows * t) : new Int32Array(stagingRows * t);
  let filled = 0;
  let written = 0;
  let seenHeader = !lay.header;
  const flush = () => {
    if (written + filled > rows) throw new Error(`loadCsv: ${path} changed while it was read`);
    features.buffer.write(xs.subarray(0, filled * d), features.offset + written * d);
    labels?.buffer.write(ys.subarray(0, filled * t), labels.offset + written * t);
    written += filled;
    filled = 0;
  };
  const fast = new Float64Array(lay.width);
  const fastDelimiter = settings.delimiter.length === 1 ? settings.delimiter.charCodeAt(0) : -1;
  const keep = dataRecords(settings);
  await forEachRecord(path, (text, line) => {
    if (!keep(text)) return;
    if (!seenHeader) {
      seenHeader = true;
      return;
    }
    if (fastDelimiter < 0 || text.indexOf('"') >= 0 || !fastRecord(text, fastDelimiter, lay, fast, xs, ys, filled)) {
      // Quoted fields, string labels, or a record with a problem: the general path, which names it.
      parseRecord(splitRecord(text, settings.delimiter, line), lay, line, path, xs, ys, filled, written + filled);
    }
    if (++filled === stagingRows) flush();
  });
  flush();
  if (written !== rows) throw new Error(`loadCsv: ${path} changed while it was read (${rows} then ${written} rows)`);
  const classes = labels && lay.classes.size > 0 ? sortClassCodes(labels, lay.classes) : null;
  let featureNames: string[] | null = null;
  const targetNames = lay.targets.map(lay.name);
  return {
    features,
    labels,
    // Made on first read: without a header they are column0, column1, ..., and making millions
    // of them costs more than parsing the row they name.
    get featureNames() {
      return (featureNames ??= Array.from(lay.features, lay.name));
    },
    labelName: targetNames[0] ?? null,
    targetNames,
    classes,
  };
}

/**
 * Recodes first-appearance class codes in `labels` to LabelEncoder's: the classes in sorted
 * order. Returns the sorted names (code -> class).
 */
function sortClassCodes(labels: Tensor, classes: ClassNames): string[] {
  const sorted = [...classes.names].sort();
  const rank = new Map(sorted.map((name, i) => [name, i]));
  const recode = Int32Array.from(classes.names, (name) => rank.get(name)!);
  const codes = labels.toArray() as Int32Array;
  for (let i = 0; i < codes.length; i++) codes[i] = recode[codes[i]];
  labels.buffer.write(codes, labels.offset);
  return sorted;
}

/**
 * The rows of a CSV file as a stream of [features, label] samples (label 0 without a label
 * column), for DataLoader over data that does not fit in memory. One target at most; string
 * class labels get codes in order of first appearance (a stream cannot sort them first).
 */
export async function* csvRows(path: string, options: CsvOptions = {}): AsyncGenerator<Sample> {
  options = checkCsvArguments('csvRows', path, options);
  const settings = checkOptions('csvRows', options);
  const { delimiter } = settings;
  const keep = dataRecords(settings);
  const splitter = new CsvRecordSplitter((text, line) => keep(text) && pending.push([text, line]));
  let pending: [string, number][] = [];
  let layout: Layout | null = null;
  let index = 0;
  const decoder = new TextDecoder('utf-8');
  const fastDelimiter = delimiter.length === 1 ? delimiter.charCodeAt(0) : -1;
  let fast = new Float64Array(0);
  let label: Float32Array | Int32Array = new Int32Array(1);
  const drain = function* (): Generator<Sample> {
    const batch = pending;
    pending = [];
    for (const [text, line] of batch) {
      if (!layout) {
        layout = layoutFrom('csvRows', text, line, settings, path);
        if (layout.targets.length > 1) throw new RangeError('csvRows: one target column at most; loadCsv reads several');
        fast = new Float64Array(layout.width);
        if (layout.targetFloat) label = new Float32Array(1);
        if (layout.header) continue;
      }
      const xs = new Float32Array(layout.features.length);
      // As loadCsv: numbers parsed in place, and only a quoted, string-labelled or faulty record
      // split into strings.
      if (fastDelimiter < 0 || text.indexOf('"') >= 0 || !fastRecord(text, fastDelimiter, layout, fast, xs, label, 0)) {
        parseRecord(splitRecord(text, delimiter, line), layout, line, path, xs, label, 0, index);
      }
      index++;
      yield [xs, label[0]];
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
