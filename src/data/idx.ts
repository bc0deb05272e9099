/**
 * IDX files (the MNIST / Fashion-MNIST format), raw or gzipped.
 * Layout: two zero bytes, a type code, the number of dimensions, each dimension as a
 * big-endian uint32, then the values big-endian, row-major.
 */
import { checkIdxBytes, checkPath } from './reader_arguments.js';
import { readFile } from 'node:fs/promises';
import { constants as bufferConstants } from 'node:buffer';
import { createGunzip } from 'node:zlib';

/** Largest buffer Node can allocate: a header declaring more cannot describe a loadable file. */
const MAX_BYTES = bufferConstants.MAX_LENGTH;

/** The typed array an IDX file's values come in, by its type code. */
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** A parsed IDX file: its shape, its type name and its values, row-major. */
export interface IdxArray {
  shape: number[];
  /** IDX type name: 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64'. */
  type: string;
  data: IdxData;
}

const TYPES: Record<number, { name: string; bytes: number }> = {
  0x08: { name: 'uint8', bytes: 1 },
  0x09: { name: 'int8', bytes: 1 },
  0x0b: { name: 'int16', bytes: 2 },
  0x0c: { name: 'int32', bytes: 4 },
  0x0d: { name: 'float32', bytes: 4 },
  0x0e: { name: 'float64', bytes: 8 },
};

interface IdxHeader {
  type: { name: string; bytes: number };
  shape: number[];
  headerBytes: number;
  /** Elements: the product of the shape. */
  count: number;
  /** Bytes of the whole file as the header declares it: header plus count * element size. */
  expected: number;
}

/**
 * The header at the start of `bytes`, or null when fewer bytes than the header needs have
 * arrived (`partial`: more may follow, as while inflating). Throws on a malformed one.
 */
function idxHeader(bytes: Uint8Array, source: string, partial: boolean): IdxHeader | null {
  if (bytes.length < 4) {
    if (partial) return null;
    throw new Error(`${source}: not an IDX file (only ${bytes.length} bytes)`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new Error(`${source}: not an IDX file (magic number starts ${bytes[0]}, ${bytes[1]}; expected 0, 0)`);
  }
  const type = TYPES[bytes[2]];
  if (!type) throw new Error(`${source}: unknown IDX type code 0x${bytes[2].toString(16)}`);
  const ndim = bytes[3];
  if (ndim === 0) throw new Error(`${source}: IDX file declares 0 dimensions`);
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < headerBytes) {
    if (partial) return null;
    throw new Error(`${source}: truncated IDX header (${bytes.length} bytes, need ${headerBytes})`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < ndim; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  return { type, shape, headerBytes, count, expected: headerBytes + count * type.bytes };
}

/** Parses IDX bytes (already decompressed). `source` names the file in errors. */
export function parseIdx(bytes: Uint8Array, source = 'idx'): IdxArray {
  checkIdxBytes('parseIdx', bytes, source);
  const { type, shape, headerBytes, count, expected } = idxHeader(bytes, source, false)!;
  if (bytes.length !== expected) {
    throw new Error(
      `${source}: IDX shape [${shape.join(', ')}] of ${type.name} needs ${expected} bytes, file has ${bytes.length}` +
        (bytes.length < expected ? ' (truncated)' : ' (trailing data)'),
    );
  }
  const body = bytes.subarray(headerBytes);
  let data: IdxData;
  switch (type.name) {
    case 'uint8':
      data = new Uint8Array(body);
      break;
    case 'int8':
      data = new Int8Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
      break;
    default: {
      const Ctor = { int16: Int16Array, int32: Int32Array, float32: Float32Array, float64: Float64Array }[type.name]!;
      const out = new Ctor(count);
      const dv = new DataView(body.buffer, body.byteOffset, body.byteLength);
      const read = {
        int16: (o: number) => dv.getInt16(o, false),
        int32: (o: number) => dv.getInt32(o, false),
        float32: (o: number) => dv.getFloat32(o, false),
        float64: (o: number) => dv.getFloat64(o, false),
      }[type.name]!;
      for (let i = 0; i < count; i++) out[i] = read(i * type.bytes);
      data = out;
    }
  }
  return { shape, type: type.name, data };
}

const format = (n: number) => n.toLocaleString('en-US');

/**
 * Inflates a gzipped IDX file into one buffer of exactly the size its header declares. The
 * header comes first in the inflated stream, so the bound is known after the first chunk:
 * inflation stops as soon as the output passes it, and a small file that inflates to
 * gigabytes (a corrupt or hostile one) costs one chunk of work instead of all of them.
 */
async function gunzipIdx(compressed: Uint8Array, path: string): Promise<Uint8Array> {
  const inflater = createGunzip();
  inflater.end(compressed);
  let head: Uint8Array = new Uint8Array(0);
  let header: IdxHeader | null = null;
  let out: Uint8Array | null = null;
  let total = 0;
  try {
    for await (let chunk of inflater as AsyncIterable<Uint8Array>) {
      if (!header) {
        head = Buffer.concat([head, chunk]);
        header = idxHeader(head, path, true);
        if (!header) continue;
        if (header.expected > MAX_BYTES) {
          throw new RangeError(`readIdx: '${path}' declares shape [${header.shape.join(', ')}] of ${header.type.name}, ` +
            `${format(header.expected)} bytes, more than the ${format(MAX_BYTES)} a buffer can hold`);
        }
        out = new Uint8Array(header.expected);
        chunk = head;
      }
      if (total + chunk.length > header.expected) {
        throw new RangeError(`readIdx: '${path}' inflates past the ${format(header.expected)} bytes its header declares ` +
          `(shape [${header.shape.join(', ')}] of ${header.type.name})`);
      }
      out!.set(chunk, total);
      total += chunk.length;
    }
  } catch (err) {
    if (!(err as NodeJS.ErrnoException).code?.startsWith('Z_')) throw err; // ours, or not zlib's
    throw new Error(`readIdx: '${path}': corrupt gzip data (${(err as Error).message})`);
  } finally {
    inflater.destroy();
  }
  // Short of the declared size (or no complete header): parseIdx names what is missing.
  return out ? out.subarray(0, total) : head;
}

/** Reads an IDX file; gzip is detected from its first two bytes (1f 8b). */
export async function readIdx(path: string): Promise<IdxArray> {
  checkPath('readIdx', path);
  let bytes: Uint8Array = await readFile(path);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = await gunzipIdx(bytes, path);
  return parseIdx(bytes, path);
}
