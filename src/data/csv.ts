/**
 * CSV files of numbers: a header row, numeric feature columns and an optional integer label
 * column. A ragged or non-numeric row is an error naming its line.
 *
 * loadCsv reads the file twice, streaming both times: the first pass counts records, so the
 * second can parse straight into native tensors of the final size through a small staging
 * buffer. Peak memory is the result plus about `chunkRows` rows and one read chunk, never a
 * copy of the file. csvRows streams samples instead (an async iterable for DataLoader).
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
  /** Rows parsed between two writes into native memory (default 4096). */
  chunkRows?: number;
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
  names: string[];
  width: number;
  labelIndex: number;
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

function layoutFrom(first: string[], options: CsvOptions, path: string): Layout {
  const width = first.length;
  const names = options.header === false ? first.map((_, i) => `column${i}`) : first.map((s) => s.trim());
  let labelIndex = -1;
  const lc = options.labelColumn;
  if (typeof lc === 'string') {
    labelIndex = names.indexOf(lc);
    if (labelIndex < 0) throw new RangeError(`loadCsv: label column '${lc}' is not in the header of ${path} (${names.join(', ')})`);
  } else if (typeof lc === 'number') {
    if (!Number.isInteger(lc) || lc < 0 || lc >= width) throw new RangeError(`loadCsv: label column ${lc} is outside the ${width} columns of ${path}`);
    labelIndex = lc;
  }
  if (width - (labelIndex >= 0 ? 1 : 0) < 1) throw new RangeError(`loadCsv: ${path} has no feature columns`);
  return { names, width, labelIndex };
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
      throw new TypeError(`${path} line ${line}: column '${layout.names[c]}' is ${JSON.stringify(text)}, not a number`);
    }
    if (c === layout.labelIndex) {
      if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) {
        throw new TypeError(`${path} line ${line}: label ${JSON.stringify(text)} is not a 32-bit integer`);
      }
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
      if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) return false;
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
  const delimiter = options.delimiter ?? ',';
  const chunkRows = options.chunkRows ?? 4096;
  let layout: Layout | null = null;
  await forEachRecord(path, (text, line) => {
    layout ??= layoutFrom(splitRecord(text, delimiter, line), options, path);
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
  const xs = new Float32Array(chunkRows * d);
  const ys = new Int32Array(chunkRows);
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
    if (++filled === chunkRows) flush();
  });
  flush();
  if (written !== rows) throw new Error(`loadCsv: ${path} changed while it was read (${rows} then ${written} rows)`);
  const featureNames = lay.names.filter((_, i) => i !== lay.labelIndex);
  return { features, labels, featureNames, labelName: lay.labelIndex >= 0 ? lay.names[lay.labelIndex] : null };
}

/**
 * The rows of a CSV file as a stream of [features, label] samples (label 0 without a label
 * column), for DataLoader over data that does not fit in memory.
 */
export async function* csvRows(path: string, options: CsvOptions = {}): AsyncGenerator<Sample> {
  options = checkCsvArguments('csvRows', path, options);
  const delimiter = options.delimiter ?? ',';
  const splitter = new CsvRecordSplitter((text, line) => pending.push([text, line]));
  let pending: [string, number][] = [];
  let layout: Layout | null = null;
  const decoder = new TextDecoder('utf-8');
  const drain = function* (): Generator<Sample> {
    const batch = pending;
    pending = [];
    for (const [text, line] of batch) {
      const fields = splitRecord(text, delimiter, line);
      if (!layout) {
        layout = layoutFrom(fields, options, path);
        if (options.header !== false) continue;
      }
      const d = layout.width - (layout.labelIndex >= 0 ? 1 : 0);
      const xs = new Float32Array(d);
      const label = parseRecord(fields, layout, line, path, xs, 0);
      yield [xs, label];
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
