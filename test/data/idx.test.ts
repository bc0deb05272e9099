// The IDX reader: the format as the MNIST files use it, raw and gzipped, and every way a file
// can be wrong, each with a message that names the file and the problem.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { data } from '../../src/index.js';

function idx(type: number, shape: number[], body: Uint8Array): Uint8Array {
  const header = Buffer.alloc(4 + 4 * shape.length);
  header[2] = type;
  header[3] = shape.length;
  shape.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, body]);
}

const dir = mkdtempSync(join(tmpdir(), 'steepest-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, bytes: Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
};

describe('IDX reader', () => {
  it('reads uint8 images raw and gzipped, identically', async () => {
    const body = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => i * 7);
    const bytes = idx(0x08, [2, 3, 4], body);
    for (const p of [write('raw.idx', bytes), write('gz.idx.gz', gzipSync(bytes))]) {
      const r = await data.readIdx(p);
      expect(r.type).toBe('uint8');
      expect(r.shape).toEqual([2, 3, 4]);
      expect(Array.from(r.data)).toEqual(Array.from(body));
    }
  });

  it('decodes big-endian int16, int32, float32 and float64 values', () => {
    const values = [1.5, -2, 3e5, -0.25];
    const cases: [number, string, (b: Buffer, v: number, o: number) => void, number][] = [
      [0x0b, 'int16', (b, v, o) => b.writeInt16BE(Math.trunc(v) % 30000, o), 2],
      [0x0c, 'int32', (b, v, o) => b.writeInt32BE(Math.trunc(v), o), 4],
      [0x0d, 'float32', (b, v, o) => b.writeFloatBE(v, o), 4],
      [0x0e, 'float64', (b, v, o) => b.writeDoubleBE(v, o), 8],
    ];
    for (const [code, name, put, size] of cases) {
      const body = Buffer.alloc(values.length * size);
      values.forEach((v, i) => put(body, v, i * size));
      const r = data.parseIdx(idx(code, [4], body), name);
      expect(r.type).toBe(name);
      const expected = name.startsWith('int') ? values.map((v) => (name === "int16" ? Math.trunc(v) % 30000 : Math.trunc(v)) + 0) : values;
      expect(Array.from(r.data)).toEqual(expected);
    }
  });

  it('names the problem of a bad file', async () => {
    const good = idx(0x08, [2, 2], Uint8Array.of(1, 2, 3, 4));
    expect(() => data.parseIdx(Uint8Array.of(0, 0), 'f')).toThrow(/f: not an IDX file \(only 2 bytes\)/);
    expect(() => data.parseIdx(Uint8Array.of(1, 0, 8, 1, 0, 0, 0, 0), 'f')).toThrow(/magic number/);
    expect(() => data.parseIdx(Uint8Array.of(0, 0, 0x42, 1, 0, 0, 0, 0), 'f')).toThrow(/unknown IDX type code 0x42/);
    expect(() => data.parseIdx(Uint8Array.of(0, 0, 8, 0), 'f')).toThrow(/0 dimensions/);
    expect(() => data.parseIdx(good.subarray(0, 6), 'f')).toThrow(/truncated IDX header/);
    expect(() => data.parseIdx(good.subarray(0, good.length - 1), 'f')).toThrow(/needs 16 bytes, file has 15 \(truncated\)/);
    expect(() => data.parseIdx(Buffer.concat([good, Uint8Array.of(9)]), 'f')).toThrow(/\(trailing data\)/);
    const corrupt = gzipSync(good);
    corrupt[corrupt.length - 5] ^= 0xff; // break the CRC
    await expect(data.readIdx(write('corrupt.gz', corrupt))).rejects.toThrow(/corrupt gzip data/);
  });

  it('stops inflating a gzip at the size its header declares: a bomb is an error after one chunk', async () => {
    // 10 images of 28x28 (7,856 bytes with the header) followed by 200 MB of zeros: under 1 MB
    // compressed. Before, all 200 MB were inflated and then rejected as trailing data (a 3 MB
    // file that inflated to 3 GiB took 27 s and 6.4 GB).
    const header = idx(0x08, [10, 28, 28], new Uint8Array(0));
    const bomb = write('bomb.gz', gzipSync(Buffer.concat([header, Buffer.alloc(200 << 20)]), { level: 1 }));
    await expect(data.readIdx(bomb)).rejects.toThrow(
      /^readIdx: '.*bomb\.gz' inflates past the 7,856 bytes its header declares \(shape \[10, 28, 28\] of uint8\)$/);
    // A header that declares more than any buffer holds fails before inflating the body.
    const huge = idx(0x08, [0xffffffff, 0xffffffff], new Uint8Array(1024));
    await expect(data.readIdx(write('huge.gz', gzipSync(huge)))).rejects.toThrow(/^readIdx: '.*huge\.gz' declares shape \[4294967295, 4294967295\] of uint8, .* bytes, more than the .* a buffer can hold$/);
    // Exactly the declared size still loads.
    const body = Uint8Array.from({ length: 10 * 784 }, (_, i) => i % 251);
    const exact = await data.readIdx(write('exact.gz', gzipSync(Buffer.concat([header, body]))));
    expect(exact.shape).toEqual([10, 28, 28]);
    expect(Array.from(exact.data)).toEqual(Array.from(body));
    // Shorter than declared: the truncation message, as for a raw file.
    await expect(data.readIdx(write('short.gz', gzipSync(Buffer.concat([header, body.subarray(1)])))))
      .rejects.toThrow(/needs 7856 bytes, file has 7855 \(truncated\)/);
  });

  it('loads the bundled Fashion-MNIST slice as float32 images and int32 labels', async () => {
    const { train, test } = await data.loadFashionMnist('examples/data/fashion-mnist');
    expect(train.images.shape).toEqual([6000, 784]);
    expect(train.labels.dtype).toBe('int32');
    expect(test.images.shape).toEqual([1000, 784]);
    const labels = train.labels.toArray();
    expect(Math.min(...labels)).toBe(0);
    expect(Math.max(...labels)).toBe(9);
    const pixels = train.images.rows(0, 1).toArray();
    expect(Math.max(...pixels)).toBeLessThanOrEqual(255);
    await expect(data.loadFashionMnist(dir)).rejects.toThrow(/train-images-idx3-ubyte\(\.gz\) not found/);
  });
});
