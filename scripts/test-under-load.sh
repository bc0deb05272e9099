#!/usr/bin/env bash
# The suite must not depend on the machine's speed: runs `npm test` N times in a row (default 5)
# while two `yes > /dev/null` processes compete for the cores, and stops at the first failure.
#   bash scripts/test-under-load.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
yes >/dev/null & hog1=$!
yes >/dev/null & hog2=$!
trap 'kill $hog1 $hog2 2>/dev/null' EXIT
for ((i = 1; i <= runs; i++)); do
  start=$SECONDS
  if npx vitest run >"${TMPDIR:-/tmp}/steepest-load-run-$i.log" 2>&1; then
    echo "run $i/$runs: $(sed 's/\x1b\[[0-9;]*m//g' "${TMPDIR:-/tmp}/steepest-load-run-$i.log" | grep -E '^ +Tests ' | xargs) ($((SECONDS - start)) s)"
  else
    echo "run $i/$runs FAILED ($((SECONDS - start)) s):"
    sed 's/\x1b\[[0-9;]*m//g' "${TMPDIR:-/tmp}/steepest-load-run-$i.log" | grep -E 'FAIL|Error|expected' | head -40
    exit 1
  fi
done
echo "all $runs runs passed under a two-process CPU hog"
