#!/usr/bin/env bash
# Builds the CUDA backend library (native/cuda, CMake + nvcc) and puts libsteepest_cuda.so next
# to the addon in build/Release, where the addon looks for it, or in the folder given with
# --into (npm run prebuildify: prebuilds/linux-x64, beside the prebuilt addon). Without nvcc it
# says so and exits 0: the CPU package never needs CUDA.   bash scripts/build-cuda.sh [--into DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
into=build/Release
if [[ "${1:-}" == --into ]]; then into=${2:?--into needs a folder}; fi
nvcc=$(command -v nvcc || true)
[[ -z "$nvcc" && -x /usr/local/cuda/bin/nvcc ]] && nvcc=/usr/local/cuda/bin/nvcc
if [[ -z "$nvcc" ]]; then
  echo "build-cuda: nvcc not found; the CUDA backend is not built (CPU only)"
  exit 0
fi
# The CMake tree lives outside build/, which node-gyp rebuild and prebuildify empty: a second
# call (CI builds the addon three times) then recompiles nothing (the fat binary takes minutes).
out=build-cuda
mkdir -p "$out"
cmake -S native/cuda -B "$out" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CUDA_COMPILER="$nvcc" >"$out/cuda.log" 2>&1 \
  && cmake --build "$out" --parallel 2 >>"$out/cuda.log" 2>&1 || { cat "$out/cuda.log"; exit 1; }
mkdir -p "$into"
cp "$out/libsteepest_cuda.so" "$into/"
strip --strip-unneeded "$into/libsteepest_cuda.so" 2>/dev/null || true
echo "build-cuda: $into/libsteepest_cuda.so ($(du -k "$into/libsteepest_cuda.so" | cut -f1) KB)"
