#!/usr/bin/env bash
# Packs what a GPU check needs beyond the working tree into .gpu/ (git-ignored), for the device
# machine, which has CUDA and PyTorch but no Node.js and no network (../shared/docs, the device
# tool's README: ignored paths travel only when named in `carry`, 64 MiB in all):
#   .gpu/node.xz          the official Node 22 binary (the node@22 package from the registry,
#                         as .ci/run uses; glibc-2.28 builds run on the device image)
#   .gpu/runtime.tar.xz   build/Release (the addon and libsteepest_cuda.so, built here) and the
#                         node_modules the device tests and bench:gpu import (vitest, vite,
#                         tsx and theirs; no compilers, browsers, databases or docs tools)
# Then, on the device: bash scripts/gpu-check.sh (carry: [".gpu"]).
#   bash scripts/gpu-bundle.sh        (after npm ci and bash scripts/build-cuda.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -f build/Release/steepest.node ]] || { echo "gpu-bundle: build the addon first (npm ci)"; exit 1; }
[[ -f build/Release/libsteepest_cuda.so ]] || { echo "gpu-bundle: build the CUDA library first (bash scripts/build-cuda.sh)"; exit 1; }
rm -rf .gpu && mkdir -p .gpu
work=$(mktemp -d "${TMPDIR:-/tmp}/steepest-gpu.XXXXXX")
trap 'rm -rf "$work"' EXIT

npm install --prefix "$work/node22" --no-save --no-audit --no-fund node@22 >/dev/null 2>&1
xz -T2 -6 -c "$work/node22/node_modules/node/bin/node" >.gpu/node.xz

# Packages no device test or benchmark imports: build tools, the report's browser, the database
# drivers (their tests are host-side), type definitions and the docs generator.
skip=(@sparticuz typescript playwright-core better-sqlite3 node-gyp cmake-js prebuildify prebuild-install
      @types pg pg-pool pg-protocol pg-types pg-cloudflare pg-connection-string pngjs)
excludes=()
for p in "${skip[@]}"; do excludes+=(--exclude="node_modules/$p"); done
tar -c "${excludes[@]}" build/Release/steepest.node build/Release/libsteepest_cuda.so node_modules | xz -T2 -6 >.gpu/runtime.tar.xz
du -b .gpu/* | awk '{ s += $1; printf "gpu-bundle: %s %.1f MiB\n", $2, $1 / 1048576 } END { printf "gpu-bundle: %.1f MiB in all (the carry limit is 64)\n", s / 1048576 }'
