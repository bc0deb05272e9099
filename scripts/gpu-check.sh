#!/usr/bin/env bash
# The GPU check, one command for the device machine (the device tool: `run` with carry [".gpu"]
# after `bash scripts/gpu-bundle.sh` here). It unpacks the bundle (Node 22, the addon and
# libsteepest_cuda.so built here, the test runner), then writes under $OUT:
#   machine.txt      nvidia-smi, node, and steepest's view of CUDA (`steepest info`)
#   tests.log/.json  every test file that runs on each device (test/helpers/devices.ts and the
#                    native conv/pool and CUDA runtime files): on 'cuda' there, and on the CPU and
#                    the float64 reference as everywhere
#   bench-gpu.txt/.json  npm run bench:gpu (GEMM vs raw cuBLAS, fused Adam vs copy bandwidth, the
#                    handbook MLP epoch)
# It goes on after a failing step, so one run reports every part; the exit status is the tests'.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-/tmp/steepest-gpu-out}
mkdir -p "$out"
[[ -f .gpu/node.xz && -f .gpu/runtime.tar.xz ]] || { echo "gpu-check: no .gpu bundle (bash scripts/gpu-bundle.sh, then carry .gpu)" | tee "$out/error.txt"; exit 2; }
bin=$(mktemp -d "${TMPDIR:-/tmp}/steepest-node.XXXXXX")
xz -dc .gpu/node.xz >"$bin/node" && chmod +x "$bin/node"
xz -dc .gpu/runtime.tar.xz | tar -x
export PATH="$bin:$PATH"
# cuBLAS from the CUDA toolkit, or else from PyTorch's nvidia-cublas wheel (the device image's).
cublas=$(python3 -c 'import nvidia.cublas, os; print(os.path.join(list(nvidia.cublas.__path__)[0], "lib"))' 2>/dev/null || true)
[[ -n "$cublas" && -d "$cublas" ]] && export LD_LIBRARY_PATH="$cublas${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

{
  nvidia-smi 2>&1 || echo "nvidia-smi: not found"
  echo "node $(node --version)"
  node --import tsx src/cli/index.ts info 2>&1
} >"$out/machine.txt"

files=$(grep -rl "helpers/devices" test --include='*.test.ts' | sort)
files+=" test/native/conv2d.test.ts test/native/cuda_runtime.test.ts"
node node_modules/vitest/vitest.mjs run $files --reporter=default --reporter=json --outputFile.json="$out/tests.json" \
  >"$out/tests.log" 2>&1
status=$?
tail -5 "$out/tests.log"

node --import tsx bench/gpu/index.ts >"$out/bench-gpu.txt" 2>&1
cp bench/results/gpu.json "$out/bench-gpu.json" 2>/dev/null || true
cat "$out/bench-gpu.txt"
exit $status
