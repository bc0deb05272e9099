// Compares the outputs of scripts/portable-run.mjs on two builds (say the x64 prebuild and the
// arm64 prebuild under qemu): the same seeded run must give the same losses and weights within
// float32 tolerance. Kernels differ in summation order (AVX-512 vs portable), so bit equality is
// not expected; 40 Adam steps keep the drift to a few ulps of the loss.
//   node portable-compare.mjs a.json b.json
import { readFileSync } from 'node:fs';

const [a, b] = process.argv.slice(2).map((f) => JSON.parse(readFileSync(f, 'utf8')));
const fail = (msg) => { console.error(`portable-compare: ${msg}`); process.exit(1); };

// |a - b| <= atol + rtol * |b|, as numpy.allclose.
function worst(xs, ys, rtol, atol) {
  if (xs.length !== ys.length) fail(`lengths differ: ${xs.length} vs ${ys.length}`);
  let excess = 0, at = -1;
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(xs[i]) || !Number.isFinite(ys[i])) fail(`value ${i} is not finite (${xs[i]}, ${ys[i]})`);
    const e = Math.abs(xs[i] - ys[i]) / (atol + rtol * Math.abs(ys[i]));
    if (e > excess) { excess = e; at = i; }
  }
  return { excess, at };
}

const label = (r) => `${r.arch} ${r.gemm} (${r.addon})`;
const losses = worst(a.losses, b.losses, 1e-4, 1e-6);
const weights = worst(a.weights, b.weights, 1e-3, 1e-4);
if (!(a.losses.at(-1) < a.losses[0] * 0.5)) fail(`the run did not train: loss ${a.losses[0]} -> ${a.losses.at(-1)}`);
const summary = `${label(a)} vs ${label(b)}: final loss ${a.losses.at(-1).toFixed(6)} vs ${b.losses.at(-1).toFixed(6)}; ` +
  `worst loss diff ${losses.excess.toFixed(3)} of tolerance, worst weight diff ${weights.excess.toFixed(3)} of tolerance`;
if (losses.excess > 1 || weights.excess > 1) fail(`outside tolerance: ${summary}`);
console.log(`portable-compare: ok: ${summary}`);
