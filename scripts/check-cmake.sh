#!/usr/bin/env bash
# Checks that the cmake-js build (`npm run build:native`, CMakeLists.txt) builds the same addon
# as node-gyp (binding.gyp): every source of native/sources.mjs compiled, the same exported
# functions, and an op that runs. Builds into build-cmake/ so the node-gyp build in build/
# is left alone. Slow (a full C++ build), so .ci/run calls it rather than `npm test`.
#   bash scripts/check-cmake.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=build-cmake
trap 'rm -rf "$out"' EXIT

# Offline: cmake-js takes Node's headers from node-api-headers because package.json declares
# binary.napi_versions (see shared toolchain notes); no download happens.
npx cmake-js rebuild --out "$out" --parallel 2 >"$out.log" 2>&1 || { cat "$out.log"; rm -f "$out.log"; exit 1; }
rm -f "$out.log"

node --input-type=module - "$out" <<'JS'
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { addonSources } from './native/sources.mjs';

const out = process.argv[2];
const require = createRequire(import.meta.url);
const fail = (msg) => { console.error(`check-cmake: ${msg}`); process.exit(1); };

// Every listed source was compiled by CMake (object files mirror the source paths).
const objects = join(out, 'CMakeFiles', 'steepest.dir');
const missing = addonSources().filter((src) => !existsSync(join(objects, `${src}.o`)));
if (missing.length) fail(`sources not compiled by cmake-js: ${missing.join(', ')}`);

const cmakeAddon = require(resolve(out, 'Release', 'steepest.node'));
const gypAddon = require('node-gyp-build')(process.cwd());
const names = (a) => Object.keys(a).sort().join(',');
if (names(cmakeAddon) !== names(gypAddon)) {
  fail(`exports differ:\n  cmake-js: ${names(cmakeAddon)}\n  node-gyp: ${names(gypAddon)}`);
}
// An op runs: out = a + b.
const a = new cmakeAddon.NativeBuffer('float32', 3);
a.write(Float32Array.of(1, 2, 3), 0);
const o = new cmakeAddon.NativeBuffer('float32', 3);
cmakeAddon.binary(cmakeAddon.binaryOps.add, a, 0, cmakeAddon.broadcastModes.full, a, 0, cmakeAddon.broadcastModes.full, o, 0, 1, 3);
const got = Array.from(o.read(0, 3));
if (got.join() !== '2,4,6') fail(`add gave ${got}`);
console.log(`check-cmake: ok (${addonSources().length} sources, ${Object.keys(cmakeAddon).length} exports, add runs)`);
JS
