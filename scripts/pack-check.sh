#!/usr/bin/env bash
# Packaging check (issue 2, point 10), `npm run pack:check`:
#   1. prebuildify --napi builds prebuilds/linux-x64/*.node (build/ is moved aside first: a
#      stale build/Release would win over prebuilds/ in node-gyp-build's search);
#   2. npm pack makes the tarball; it must hold dist/, prebuilds/, the native sources and
#      binding.gyp, and no build/;
#   3. the tarball is installed (install scripts on) into an empty folder with a PATH holding
#      only node, npm and sh (no cc, c++, g++, make or python3): it must load the prebuild
#      without building, from ESM and from CJS (require() of ESM, Node >= 20.19), and run an op;
#   4. unless PACK_CHECK_SKIP_SOURCE=1, the same tarball is installed with the compilers on
#      PATH and --build-from-source: the shipped sources and binding.gyp must build the addon
#      (what happens on a platform without a matching prebuild).
# build/ is put back as it was at the end, whatever happens. Exits non-zero on any failure.
# Needs the npm registry (node-addon-api and node-gyp-build are installed from it).
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
rm -rf build

say "npm pack"
npm pack --silent --pack-destination "$work" >"$work/pack.out" 2>"$work/pack.log" || { cat "$work/pack.log"; die "npm pack"; }
tarball="$work/$(tail -n1 "$work/pack.out")"
[[ -f "$tarball" ]] || die "npm pack produced no tarball (got '$(cat "$work/pack.out")')"
tar tzf "$tarball" | sed 's#^package/##' | sort >"$work/contents"
for need in dist/index.js dist/index.d.ts binding.gyp native/sources.mjs native/napi/addon.cc native/cpu/threadpool.cc \
  "${prebuilt[0]}" package.json; do
  grep -qxF "$need" "$work/contents" || die "tarball lacks $need"
done
if grep -q '^build/' "$work/contents"; then die "tarball contains build/"; fi
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
for tool in node npm sh; do ln -s "$(command -v "$tool")" "$bin/$tool"; done
for tool in cc c++ gcc g++ make python3 python; do
  PATH="$bin" command -v "$tool" >/dev/null 2>&1 && die "$tool is still reachable on the restricted PATH"
done
install_into "$bin" "$work/app" || die "installing the tarball without a compiler"
[[ -d "$work/app/node_modules/steepest/build" ]] && die "the install built the addon instead of using the prebuild"
(cd "$work/app" && cp "$work/use.mjs" . && PATH="$bin" node use.mjs prebuilds/) || die "using the installed package"

if [[ "${PACK_CHECK_SKIP_SOURCE:-0}" != 1 ]]; then
  say "install building from source (as where no prebuild matches)"
  install_into "$PATH" "$work/app-src" --build-from-source || die "building the addon from the tarball's sources"
  (cd "$work/app-src" && cp "$work/use.mjs" . && node use.mjs build/) || die "using the package built from source"
fi
