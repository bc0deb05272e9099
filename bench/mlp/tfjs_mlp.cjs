#!/usr/bin/env node
/**
 * TensorFlow.js (wasm backend) reference for bench/mlp: the handbook MLP 784-128-ReLU-10,
 * softmax cross-entropy on logits, Adam(1e-3), per-feature standardization fitted on the
 * training set (population std, constant feature -> scale 1), a fresh shuffle every epoch.
 * A manual loop (optimizer.minimize) over batches gathered from the epoch's permutation.
 *
 * tfjs is not a dependency of steepest: it is loaded from TFJS_DIR (default /tmp/tfjs-ref),
 * a scratch folder with @tensorflow/tfjs@4.22.0 and @tensorflow/tfjs-backend-wasm@4.22.0, made by
 *   mkdir -p /tmp/tfjs-ref && cp /work/shared/ref/tfjs/package.json /tmp/tfjs-ref/ && (cd /tmp/tfjs-ref && npm install)
 *
 *   node bench/mlp/tfjs_mlp.cjs --batch 32 --epochs 1 --data /usr/share/datasets/fashion-mnist
 * Prints one JSON line: { batch, epochSeconds: [...], testAccuracy, tfjs, backend, wasm }.
 */
'use strict';
const fs = require('fs');
const zlib = require('zlib');
const path = require('path');
const { createRequire } = require('module');

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const batch = Number(args.batch);
const epochs = Number(args.epochs ?? 1);
const dir = args.data ?? '/usr/share/datasets/fashion-mnist';
const req = createRequire(path.join(process.env.TFJS_DIR ?? '/tmp/tfjs-ref', 'package.json'));

function idx(name) {
  const b = zlib.gunzipSync(fs.readFileSync(path.join(dir, `${name}.gz`)));
  const ndim = b[3];
  return b.subarray(4 + 4 * ndim);
}

/** Per-feature standardization fitted on train (float64 sums), applied to train and test. */
function load() {
  const tr = idx('train-images-idx3-ubyte'), te = idx('t10k-images-idx3-ubyte');
  const ytr = Int32Array.from(idx('train-labels-idx1-ubyte')), yte = Int32Array.from(idx('t10k-labels-idx1-ubyte'));
  const n = ytr.length, d = 784;
  const mean = new Float64Array(d), sq = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += tr[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) { const v = tr[i * d + j] - mean[j]; sq[j] += v * v; }
  const scale = Array.from(sq, (s) => { const sd = Math.sqrt(s / n); return sd < 1e-12 ? 1 : sd; });
  const apply = (src) => {
    const out = new Float32Array(src.length);
    for (let i = 0; i < src.length; i++) { const j = i % d; out[i] = (src[i] - mean[j]) / scale[j]; }
    return out;
  };
  return { xtr: apply(tr), ytr, xte: apply(te), yte };
}

function shuffle(n) {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) { const j = Math.floor(Math.random() * (i + 1)); const t = p[i]; p[i] = p[j]; p[j] = t; }
  return p;
}

async function main() {
  const tf = req('@tensorflow/tfjs');
  req('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend('wasm');
  await tf.ready();
  const D = load();
  const n = D.ytr.length;
  const model = tf.sequential({ layers: [
    tf.layers.dense({ inputShape: [784], units: 128, activation: 'relu' }),
    tf.layers.dense({ units: 10 }),
  ] });
  const opt = tf.train.adam(1e-3);
  const epochSeconds = [];
  for (let e = 0; e < epochs; e++) {
    const t0 = process.hrtime.bigint();
    const perm = shuffle(n);
    for (let s = 0; s < n; s += batch) {
      const bs = Math.min(batch, n - s);
      const xbuf = new Float32Array(bs * 784), ybuf = new Int32Array(bs);
      for (let r = 0; r < bs; r++) {
        const k = perm[s + r];
        xbuf.set(D.xtr.subarray(k * 784, k * 784 + 784), r * 784);
        ybuf[r] = D.ytr[k];
      }
      tf.tidy(() => {
        const xb = tf.tensor2d(xbuf, [bs, 784]);
        const yb = tf.oneHot(tf.tensor1d(ybuf, 'int32'), 10);
        opt.minimize(() => tf.losses.softmaxCrossEntropy(yb, model.apply(xb, { training: true })));
      });
    }
    epochSeconds.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  const pred = tf.tidy(() => model.predict(tf.tensor2d(D.xte, [D.yte.length, 784])).argMax(1).dataSync());
  let ok = 0;
  for (let i = 0; i < pred.length; i++) ok += pred[i] === D.yte[i];
  console.log(JSON.stringify({ batch, epochSeconds, testAccuracy: ok / pred.length, tfjs: tf.version.tfjs, backend: tf.getBackend(),
    wasm: { simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'), threads: req('@tensorflow/tfjs-backend-wasm').getThreadsCount() } }));
}

main().catch((e) => { console.error('tfjs_mlp failed:', e && e.message ? e.message : e); process.exit(1); });
