/**
 * IDX files (the MNIST / Fashion-MNIST format), raw or gzipped.
 * Layout: two zero bytes, a type code, the number of dimensions, each dimension as a
 * big-endian uint32, then the values big-endian, row-major.
 */
import { checkIdxBytes, checkPath } from './reader_arguments.js';
import { readFile } from 'node:fs/promises';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';

const gunzipAsync = promisify(gunzip);

export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

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

/** Parses IDX bytes (already decompressed). `source` names the file in errors. */
export function parseIdx(bytes: Uint8Array, source = 'idx'): IdxArray {
  checkIdxBytes('parseIdx', bytes, source);
  if (bytes.length < 4) throw new Error(`${source}: not an IDX file (only ${bytes.length} bytes)`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new Error(`${source}: not an IDX file (magic number starts ${bytes[0]}, ${bytes[1]}; expected 0, 0)`);
  }
  const type = TYPES[bytes[2]];
  if (!type) throw new Error(`${source}: unknown IDX type code 0x${bytes[2].toString(16)}`);
  const ndim = bytes[3];
  if (ndim === 0) throw new Error(`${source}: IDX file declares 0 dimensions`);
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < headerBytes) throw new Error(`${source}: truncated IDX header (${bytes.length} bytes, need ${headerBytes})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < ndim; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = headerBytes + count * type.bytes;
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

/** Reads an IDX file; gzip is detected from its first two bytes (1f 8b). */
export async function readIdx(path: string): Promise<IdxArray> {
  checkPath('readIdx', path);
  let bytes: Uint8Array = await readFile(path);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = await gunzipAsync(bytes);
    } catch (err) {
      throw new Error(`${path}: corrupt gzip data (${(err as Error).message})`);
    }
  }
  return parseIdx(bytes, path);
}
