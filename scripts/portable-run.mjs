// A short, seeded training run whose numbers can be compared across machines and kernels:
// the prebuild check (scripts/pack-check.sh) runs it with the x64 prebuild (AVX-512/AVX2 and the
// portable kernels) and with the linux-arm64 prebuild under qemu, and compares the outputs with
// scripts/portable-compare.mjs. Run from a folder where `import('steepest')` resolves.
//   node portable-run.mjs > out.json
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

const require = createRequire(join(process.cwd(), 'index.js'));
const s = await import('steepest');
const pkgDir = dirname(require.resolve('steepest/package.json'));
const addonPath = require('node-gyp-build').path(pkgDir);
const addon = require(addonPath);

s.manualSeed(7);
// 256 samples, 20 features, 4 classes given by a fixed random linear teacher.
const x = s.randn([256, 20]);
const teacher = s.randn([20, 4]);
const y = s.argmax(s.matmul(x, teacher), 1);

const model = s.nn.sequential(s.nn.linear(20, 64), s.nn.relu(), s.nn.linear(64, 4));
const optimizer = new s.optim.Adam(model.parameters(), { lr: 0.01 });
const lossFn = new s.nn.CrossEntropyLoss();
const losses = [];
for (let step = 0; step < 40; step++) {
  const loss = lossFn.forward(model.forward(x), y);
  losses.push(loss.item());
  optimizer.zeroGrad();
  loss.backward();
  optimizer.step();
}
const weights = model.parameters().flatMap((p) => Array.from(p.toArray()));
process.stdout.write(JSON.stringify({
  arch: process.arch,
  node: process.version,
  addon: relative(pkgDir, addonPath),
  gemm: addon.gemmIsa(),
  losses,
  weights,
}) + '\n');
