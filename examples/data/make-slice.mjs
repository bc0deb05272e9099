#!/usr/bin/env node
// Writes the bundled Fashion-MNIST slice (examples/data/fashion-mnist/) from the full data set
// that Debian's dataset-fashion-mnist package installs: the first TRAIN training images and
// the first TEST test images, gzipped IDX like the originals. Run once; the output is committed.
//   node examples/data/make-slice.mjs [sourceDir] [train] [test]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';

const [source = '/usr/share/datasets/fashion-mnist', train = '6000', test = '1000'] = process.argv.slice(2);
const out = join(dirname(fileURLToPath(import.meta.url)), 'fashion-mnist');
mkdirSync(out, { recursive: true });

function slice(name, count) {
  const bytes = gunzipSync(readFileSync(join(source, `${name}.gz`)));
  const ndim = bytes[3];
  const header = Buffer.from(bytes.subarray(0, 4 + 4 * ndim));
  const total = header.readUInt32BE(4);
  const n = Math.min(count, total);
  header.writeUInt32BE(n, 4);
  let perItem = 1;
  for (let i = 1; i < ndim; i++) perItem *= header.readUInt32BE(4 + 4 * i);
  const body = bytes.subarray(4 + 4 * ndim, 4 + 4 * ndim + n * perItem);
  writeFileSync(join(out, `${name}.gz`), gzipSync(Buffer.concat([header, body]), { level: 9 }));
  console.log(`${name}: ${n} of ${total}`);
}

slice('train-images-idx3-ubyte', Number(train));
slice('train-labels-idx1-ubyte', Number(train));
slice('t10k-images-idx3-ubyte', Number(test));
slice('t10k-labels-idx1-ubyte', Number(test));
