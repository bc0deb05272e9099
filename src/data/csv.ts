/**
 * CSV files of numbers: a header row, numeric feature columns and an optional integer label
 * column. A ragged or non-numeric row is an error naming its line.
 *
 * loadCsv reads the file twice, streaming both times: the first pass counts records, so the
 * second can parse straight into native tensors of the final size through a small staging
 * buffer. Peak memory is the result plus a staging buffer of at most `chunkRows` rows and
 * 16 MiB, and one read chunk, never a copy of the file. csvRows streams samples instead (an
 * async iterable for DataLoader).
 *
 * Labels are class indices: integers in [0, numClasses) with the `numClasses` option, or
 * non-negative 32-bit integers without it.
 */
import { checkCsvArguments } from './reader_arguments.js';
import { open } from 'node:fs/promises';
import { Tensor } from '../tensor.js';
import { CsvRecordSplitter, splitRecord } from './csv_parser.js';
import { parseNumbers } from './csv_number.js';
import type { Sample } from './stream_batches.js';

/** Options of the CSV readers. */
export interface CsvOptions {
  /** The first record names the columns (default true). */
  header?: boolean;
  /** Field separator (default ','). */
  delimiter?: string;
  /** Column holding integer class labels: a header name or a 0-based index. */
  labelColumn?: string | number;
  /**
   * Rows parsed between two writes into native memory (default 4096; fewer when rows are so
   * wide that the staging buffer would pass 16 MiB, down to one row).
   */
  chunkRows?: number;
  /** The number of classes: every label must lie in [0, numClasses). */
  numClasses?: number;
}

/** A CSV file as tensors. */
export interface CsvData {
  /** float32 [rows, features]. */
  features: Tensor;
  /** int32 [rows], when a label column was chosen. */
  labels: Tensor | null;
  featureNames: string[];
  labelName: string | null;
}

interface Layout {
  /** The column names: the header's, or column0, column1, ... made on first use (a file may have millions). */
  names: () => string[];
  width: number;
  labelIndex: number;
  /** Labels must be below this: numClasses, or 2^31. */
  labelLimit: number;
}

const stopReading = Symbol('stop');

/**
 * The most bytes the float32 staging buffer of loadCsv holds: `chunkRows` rows of a narrow file
 * (4096 rows up to 1024 features), fewer of a wide one, and always at least one row. Sizing it
 * as width x chunkRows asked 8 GiB for a 2-million-column file.
 */
const STAGING_BYTES = 16 << 20;

/** Checks the options shared by loadCsv and csvRows; returns the delimiter. */
function checkOptions(op: string, options: CsvOptions): string {
  const delimiter = options.delimiter ?? ',';
  // An empty delimiter never advances the field scan; a quote or newline would be ambiguous.
  if (typeof delimiter !== 'string' || delimiter.length === 0 || /["\r\n]/.test(delimiter)) {
    throw new RangeError(`${op}: delimiter must be a non-empty string without quotes or newlines, got ${JSON.stringify(delimiter)}`);
  }
  const { chunkRows, numClasses } = options;
  if (chunkRows !== undefined && !(Number.isInteger(chunkRows) && chunkRows >= 1)) {
    throw new RangeError(`${op}: chunkRows must be a positive integer, got ${chunkRows}`);
  }
  if (numClasses !== undefined && !(Number.isInteger(numClasses) && numClasses >= 1 && numClasses <= 2 ** 31)) {
    throw new RangeError(`${op}: numClasses must be an integer in [1, 2^31], got ${numClasses}`);
  }
  return delimiter;
}

/** The number of fields of a record, without making a string per field when it has no quotes. */
function fieldCount(text: string, delimiter: string, line: number): number {
  if (text.indexOf('"') >= 0) return splitRecord(text, delimiter, line).length;
  let count = 1;
  for (let i = text.indexOf(delimiter); i >= 0; i = text.indexOf(delimiter, i + delimiter.length)) count++;
  return count;
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

/** The layout from the first record (the header, or the first data row with header: false). */
function layoutFrom(op: string, text: string, line: number, delimiter: string, options: CsvOptions, path: string): Layout {
  const header = options.header === false ? null : splitRecord(text, delimiter, line).map((s) => s.trim());
  const width = header ? header.length : fieldCount(text, delimiter, line);
  let generated: string[] | null = null;
  const names = () => header ?? (generated ??= Array.from({ length: width }, (_, i) => `column${i}`));
  let labelIndex = -1;
  const lc = options.labelColumn;
  if (typeof lc === 'string') {
    labelIndex = names().indexOf(lc);
    if (labelIndex < 0) {
      const shown = names().slice(0, 20).join(', ') + (width > 20 ? `, ... (${width} columns)` : '');
      throw new RangeError(`${op}: label column '${lc}' is not in the header of ${path} (${shown})`);
    }
  } else if (typeof lc === 'number') {
    if (!Number.isInteger(lc) || lc < 0 || lc >= width) throw new RangeError(`${op}: label column ${lc} is outside the ${width} columns of ${path}`);
    labelIndex = lc;
  } else if (lc !== undefined) {
    throw new TypeError(`${op}: labelColumn must be a column name or index, got ${typeof lc}`);
  }
  if (width - (labelIndex >= 0 ? 1 : 0) < 1) throw new RangeError(`${op}: ${path} has no feature columns`);
  return { names, width, labelIndex, labelLimit: options.numClasses ?? 2 ** 31 };
}

/** The message for a label outside [0, labelLimit), naming the line. */
function badLabel(layout: Layout, path: string, line: number, text: string): RangeError {
  const range = layout.labelLimit === 2 ** 31 ? 'a class index >= 0' : `a class in [0, ${layout.labelLimit})`;
  return new RangeError(`${path} line ${line}: label ${JSON.stringify(text)} is not ${range}`);
}

/** Parses one record into `xs` at `row` and returns its label (0 without a label column). */
function parseRecord(fields: string[], layout: Layout, line: number, path: string, xs: Float32Array, row: number): number {
  if (fields.length !== layout.width) {
    throw new RangeError(`${path} line ${line}: ${fields.length} fields, expected ${layout.width} (as the first record)`);
  }
  const d = layout.width - (layout.labelIndex >= 0 ? 1 : 0);
  let label = 0;
  let j = 0;
  for (let c = 0; c < fields.length; c++) {
    const text = fields[c];
    const v = Number(text);
    if (text.trim() === '' || Number.isNaN(v)) {
      throw new TypeError(`${path} line ${line}: column '${layout.names()[c]}' is ${JSON.stringify(text)}, not a number`);
    }
    if (c === layout.labelIndex) {
      if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) {
        throw new TypeError(`${path} line ${line}: label ${JSON.stringify(text)} is not a 32-bit integer`);
      }
      if (v < 0 || v >= layout.labelLimit) throw badLabel(layout, path, line, text);
      label = v;
    } else {
      xs[row * d + j++] = v;
    }
  }
  return label;
}

/** The fast path of parseRecord for an unquoted record; false when anything is off. */
function fastRecord(text: string, delimiter: number, layout: Layout, fields: Float64Array, xs: Float32Array, ys: Int32Array, row: number): boolean {
  if (parseNumbers(text, delimiter, fields) !== layout.width) return false;
  const d = layout.width - (layout.labelIndex >= 0 ? 1 : 0);
  let j = row * d;
  for (let c = 0; c < layout.width; c++) {
    const v = fields[c];
    if (Number.isNaN(v)) return false;
    if (c === layout.labelIndex) {
      // Not an integer class index: parseRecord names the problem.
      if (!Number.isInteger(v) || v < 0 || v >= layout.labelLimit) return false;
      ys[row] = v;
    } else {
      xs[j++] = v;
    }
  }
  if (layout.labelIndex < 0) ys[row] = 0;
  return true;
}

/** Loads a numeric CSV file into tensors (see the module comment for the memory bound). */
export async function loadCsv(path: string, options: CsvOptions = {}): Promise<CsvData> {
  options = checkCsvArguments('loadCsv', path, options);
  const delimiter = checkOptions('loadCsv', options);
  const chunkRows = options.chunkRows ?? 4096;
  let layout: Layout | null = null;
  await forEachRecord(path, (text, line) => {
    layout ??= layoutFrom('loadCsv', text, line, delimiter, options, path);
    throw stopReading;
  }).catch((err) => {
    if (err !== stopReading) throw err;
  });
  const records = await countRecords(path);
  const rows = options.header === false ? records : records - 1;
  if (!layout) throw new RangeError(`loadCsv: ${path} is empty`);
  const lay: Layout = layout;
  if (rows === 0) throw new RangeError(`loadCsv: ${path} has a header but no data rows`);
  const d = lay.width - (lay.labelIndex >= 0 ? 1 : 0);
  const features = Tensor.empty([rows, d]);
  const labels = lay.labelIndex >= 0 ? Tensor.empty([rows], 'int32') : null;
  const stagingRows = Math.max(1, Math.min(chunkRows, Math.floor(STAGING_BYTES / (4 * d))));
  const xs = new Float32Array(stagingRows * d);
  const ys = new Int32Array(stagingRows);
  let filled = 0;
  let written = 0;
  let seenHeader = options.header === false;
  const flush = () => {
    if (written + filled > rows) throw new Error(`loadCsv: ${path} changed while it was read`);
    features.buffer.write(xs.subarray(0, filled * d), features.offset + written * d);
    labels?.buffer.write(ys.subarray(0, filled), labels.offset + written);
    written += filled;
    filled = 0;
  };
  const fast = new Float64Array(lay.width);
  const fastDelimiter = delimiter.length === 1 ? delimiter.charCodeAt(0) : -1;
  await forEachRecord(path, (text, line) => {
    if (!seenHeader) {
      seenHeader = true;
      return;
    }
    if (fastDelimiter < 0 || text.indexOf('"') >= 0 || !fastRecord(text, fastDelimiter, lay, fast, xs, ys, filled)) {
      // Quoted fields, or a record with a problem: the general path, which names it.
      ys[filled] = parseRecord(splitRecord(text, delimiter, line), lay, line, path, xs, filled);
    }
    if (++filled === stagingRows) flush();
  });
  flush();
  if (written !== rows) throw new Error(`loadCsv: ${path} changed while it was read (${rows} then ${written} rows)`);
  let featureNames: string[] | null = null;
  return {
    features,
    labels,
    // Made on first read: without a header they are column0, column1, ..., and making millions
    // of them costs more than parsing the row they name.
    get featureNames() {
      return (featureNames ??= lay.names().filter((_, i) => i !== lay.labelIndex));
    },
    labelName: lay.labelIndex >= 0 ? lay.names()[lay.labelIndex] : null,
  };
}

/**
 * The rows of a CSV file as a stream of [features, label] samples (label 0 without a label
 * column), for DataLoader over data that does not fit in memory.
 */
export async function* csvRows(path: string, options: CsvOptions = {}): AsyncGenerator<Sample> {
  options = checkCsvArguments('csvRows', path, options);
  const delimiter = checkOptions('csvRows', options);
  const splitter = new CsvRecordSplitter((text, line) => pending.push([text, line]));
  let pending: [string, number][] = [];
  let layout: Layout | null = null;
  const decoder = new TextDecoder('utf-8');
  const fastDelimiter = delimiter.length === 1 ? delimiter.charCodeAt(0) : -1;
  let fast = new Float64Array(0);
  const label = new Int32Array(1);
  const drain = function* (): Generator<Sample> {
    const batch = pending;
    pending = [];
    for (const [text, line] of batch) {
      if (!layout) {
        layout = layoutFrom('csvRows', text, line, delimiter, options, path);
        fast = new Float64Array(layout.width);
        if (options.header !== false) continue;
      }
      const xs = new Float32Array(layout.width - (layout.labelIndex >= 0 ? 1 : 0));
      // As loadCsv: numbers parsed in place, and only a quoted or faulty record split into strings.
      if (fastDelimiter < 0 || text.indexOf('"') >= 0 || !fastRecord(text, fastDelimiter, layout, fast, xs, label, 0)) {
        label[0] = parseRecord(splitRecord(text, delimiter, line), layout, line, path, xs, 0);
      }
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
