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
cmake -S native/cuda -B build/cuda -DCMAKE_BUILD_TYPE=Release -DCMAKE_CUDA_COMPILER="$nvcc" >build/cuda.log 2>&1 \
  && cmake --build build/cuda --parallel 2 >>build/cuda.log 2>&1 || { cat build/cuda.log; exit 1; }
mkdir -p "$into"
cp build/cuda/libsteepest_cuda.so "$into/"
strip --strip-unneeded "$into/libsteepest_cuda.so" 2>/dev/null || true
echo "build-cuda: $into/libsteepest_cuda.so ($(du -k "$into/libsteepest_cuda.so" | cut -f1) KB)"
