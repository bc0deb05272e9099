/**
 * The safetensors format (https://github.com/huggingface/safetensors, "Format"), for float32
 * and int32 tensors:
 *   8 bytes   N, the header length, unsigned 64-bit little-endian
 *   N bytes   JSON: { name: { dtype: 'F32' | 'I32', shape: [...], data_offsets: [begin, end] },
 *                     '__metadata__'?: { string: string } }, padded with spaces so the data
 *             starts 8-byte aligned
 *   rest      the tensors' little-endian bytes; offsets are relative to the data start, and
 *             the tensors tile it exactly (no gaps, no overlaps)
 * The reader checks every one of these rules and names the one a file breaks. Checkpoints
 * (checkpoint.ts) are safetensors files too, through `encodeSafetensors` / `decodeSafetensors`.
 */
import { checkBytes, checkFilePath, checkStringRecord, checkTensorRecord } from '../file_arguments.js';
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { tensor } from '../../ops/creation.js';
import { formatShape, shapeSize, type DType, type Tensor } from '../../tensor.js';
import { writeAll, writeFileAtomic } from '../atomic_file.js';

const DTYPES: Record<DType, string> = { float32: 'F32', int32: 'I32' };
const FROM_CODE: Record<string, DType> = { F32: 'float32', I32: 'int32' };
/** Headers above this are refused as corrupt (the reference implementation uses 100 MB). */
const MAX_HEADER = 100_000_000;
const bigEndian = endianness() === 'BE';

interface Entry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** A tensor as a file holds it: dtype, shape and the values (row-major), outside native memory. */
export interface TensorData {
  dtype: DType;
  shape: readonly number[];
  values: Float32Array | Int32Array;
}

/**
 * The 8-byte length and the padded header for tensors of these dtypes and shapes, and the
 * write order (by name, as the reference writer sorts them).
 */
function layout<T extends { dtype: DType; shape: readonly number[] }>(tensors: Record<string, T>, metadata: Record<string, string>): { head: Buffer; order: [string, T][] } {
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') throw new TypeError(`saveSafetensors: metadata '${k}' must be a string, got ${typeof v}`);
  }
  const order = Object.entries(tensors).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const json: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) json.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of order) {
    if (name === '__metadata__') throw new RangeError("safetensors: '__metadata__' is reserved and cannot name a tensor");
    const bytes = shapeSize(t.shape) * 4;
    json[name] = { dtype: DTYPES[t.dtype], shape: [...t.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let text = JSON.stringify(json);
  text += ' '.repeat((8 - (Buffer.byteLength(text) % 8)) % 8);
  const header = Buffer.from(text, 'utf8');
  const head = Buffer.alloc(8 + header.length);
  head.writeBigUInt64LE(BigInt(header.length));
  header.copy(head, 8);
  return { head, order };
}

function littleEndianBytes(values: Float32Array | Int32Array): Uint8Array {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  if (bigEndian) {
    const swapped = Uint8Array.from(bytes);
    for (let i = 0; i < swapped.length; i += 4) swapped.subarray(i, i + 4).reverse();
    return swapped;
  }
  return bytes;
}

/**
 * Writes named tensors (and string metadata) to `path` atomically: tensors are copied out one
 * at a time into a temp file, which replaces `path` only once complete and synced.
 */
export function saveSafetensors(path: string, tensors: Record<string, Tensor>, metadata: Record<string, string> = {}): void {
  checkFilePath('saveSafetensors', path);
  checkTensorRecord('saveSafetensors', 'tensors', tensors);
  checkStringRecord('saveSafetensors', 'metadata', metadata);
  const { head, order } = layout(tensors, metadata);
  writeFileAtomic(path, (fd) => {
    writeAll(fd, head);
    for (const [, t] of order) writeAll(fd, littleEndianBytes(t.toArray()));
  });
}

/**
 * The bytes of a safetensors file holding `tensors` and `metadata`, as chunks to write one
 * after the other (header, then each tensor's values: no copy of the data into one buffer).
 */
export function encodeSafetensors(tensors: Record<string, TensorData>, metadata: Record<string, string> = {}): Uint8Array[] {
  for (const [name, t] of Object.entries(tensors)) {
    if (t.values.length !== shapeSize(t.shape)) {
      throw new RangeError(`encodeSafetensors: tensor '${name}' has ${t.values.length} values, shape ${formatShape(t.shape)} needs ${shapeSize(t.shape)}`);
    }
  }
  const { head, order } = layout(tensors, metadata);
  return [head, ...order.map(([, t]) => littleEndianBytes(t.values))];
}

/** What a safetensors file holds. */
export interface SafetensorsContent {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
}

/** Reads a safetensors file written by steepest or any conforming writer (F32/I32 only). */
export function loadSafetensors(path: string): SafetensorsContent {
  checkFilePath('loadSafetensors', path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`loadSafetensors: cannot read '${path}': ${(e as Error).message}`);
  }
  return parseSafetensors(bytes, path);
}

/** Parses safetensors bytes into Tensors; `source` names the file in errors. */
export function parseSafetensors(bytes: Uint8Array, source = 'buffer'): SafetensorsContent {
  checkBytes('parseSafetensors', bytes, source);
  const { tensors: data, metadata } = decodeSafetensors(bytes, source);
  const tensors: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(data)) tensors[name] = tensor(t.values, [...t.shape], { dtype: t.dtype });
  return { tensors, metadata };
}

/**
 * Parses safetensors bytes into plain typed arrays (no native memory); `source` names the file
 * and `op` the calling function in errors.
 */
export function decodeSafetensors(bytes: Uint8Array, source = 'buffer', op = 'loadSafetensors'): { tensors: Record<string, TensorData>; metadata: Record<string, string> } {
  const fail = (why: string): never => {
    throw new Error(`${op}: '${source}' is not a valid safetensors file: ${why}`);
  };
  if (bytes.length < 8) fail(`it holds ${bytes.length} bytes, fewer than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER)) fail(`header length ${n} is larger than the ${MAX_HEADER}-byte limit`);
  const headerLength = Number(n);
  if (8 + headerLength > bytes.length) {
    fail(`header length ${headerLength} runs past the end of the file (${bytes.length - 8} bytes follow the length field)`);
  }
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 8, headerLength).toString('utf8'));
  } catch (e) {
    fail(`header is not valid JSON (${(e as Error).message})`);
  }
  if (!header || typeof header !== 'object' || Array.isArray(header)) fail('header is not a JSON object');
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const entries: [string, Entry][] = [];
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (!raw || typeof raw !== 'object' || Object.values(raw).some((v) => typeof v !== 'string')) {
        fail('__metadata__ must map strings to strings');
      }
      metadata = raw as Record<string, string>;
      continue;
    }
    entries.push([name, checkEntry(name, raw, fail)]);
  }
  // The tensors must tile the data section: sorted by start, each begins where the last ended.
  const sorted = [...entries].sort((a, b) => a[1].data_offsets[0] - b[1].data_offsets[0]);
  let end = 0;
  for (const [name, e] of sorted) {
    const [b, f] = e.data_offsets;
    if (b !== end) fail(`tensor '${name}' data_offsets [${b}, ${f}] ${b < end ? 'overlap the previous tensor' : `leave a gap after byte ${end}`}`);
    end = f;
  }
  if (end > dataLength) {
    fail(`truncated: the header describes ${end} bytes of tensor data but the file holds ${dataLength}`);
  }
  if (end < dataLength) fail(`${dataLength - end} bytes after the last tensor are not described by the header`);
  const tensors: Record<string, TensorData> = {};
  for (const [name, e] of entries) {
    const [b, f] = e.data_offsets;
    // Copy into a fresh, aligned buffer: the data section need not be 4-byte aligned.
    const chunk = Uint8Array.prototype.slice.call(bytes, dataStart + b, dataStart + f);
    if (bigEndian) for (let i = 0; i < chunk.length; i += 4) chunk.subarray(i, i + 4).reverse();
    const values = e.dtype === 'F32' ? new Float32Array(chunk.buffer) : new Int32Array(chunk.buffer);
    tensors[name] = { dtype: FROM_CODE[e.dtype], shape: e.shape, values };
  }
  return { tensors, metadata };
}

function checkEntry(name: string, raw: unknown, fail: (why: string) => never): Entry {
  if (!raw || typeof raw !== 'object') fail(`entry '${name}' is not an object`);
  const e = raw as Partial<Entry>;
  if (typeof e.dtype !== 'string' || !(e.dtype in FROM_CODE)) {
    fail(`tensor '${name}' has dtype ${JSON.stringify(e.dtype)}; steepest reads F32 and I32`);
  }
  if (!Array.isArray(e.shape) || e.shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    fail(`tensor '${name}' has shape ${JSON.stringify(e.shape)}, expected a list of non-negative integers`);
  }
  const off = e.data_offsets;
  if (!Array.isArray(off) || off.length !== 2 || off.some((v) => !Number.isSafeInteger(v) || v < 0) || off[0] > off[1]) {
    fail(`tensor '${name}' has data_offsets ${JSON.stringify(off)}, expected [begin, end] with 0 <= begin <= end`);
  }
  const need = shapeSize(e.shape!) * 4;
  if (off![1] - off![0] !== need) {
    fail(`tensor '${name}' data_offsets [${off![0]}, ${off![1]}] span ${off![1] - off![0]} bytes, but shape ${formatShape(e.shape!)} of ${e.dtype} needs ${need}`);
  }
  return e as Entry;
}
