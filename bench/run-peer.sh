#!/usr/bin/env bash
# Runs the shared peer benchmark (/work/shared/bench/run-all.sh) with tscompose beside Docker
# Compose v1 and the engine floor, in one interleaved run.
# Usage: bench/run-peer.sh [-n REPS] [-w "WORKLOADS"]   (defaults: -n 2 -w "wide20 chain10 web50")
# Output: bench/results/<UTC date>/ (table.md is committed; raw.tsv, logs and env.txt are not).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
BENCH=${BENCH_DIR:-/work/shared/bench}
REPS=2; WLS="wide20 chain10 web50"
while getopts "n:w:" o; do
  case $o in n) REPS=$OPTARG ;; w) WLS=$OPTARG ;; *) exit 2 ;; esac
done
if ! command -v docker-compose >/dev/null; then
  echo "installing docker-compose (Debian package)" >&2
  apt-get install -y docker-compose >/dev/null
fi
if ! docker image inspect tscbench/busybox:1 >/dev/null 2>&1; then
  (cd "$BENCH" && ./make-image.sh)
fi
[ -f "$root/dist/bin/main.js" ] || (cd "$root" && npm run build)
out="$here/results/${BENCH_RESULTS_NAME:-$(date -u +%Y-%m-%d)}"
mkdir -p "$out"
"$BENCH/run-all.sh" -n "$REPS" -w "$WLS" -t "docker-compose-v1=docker-compose|tscompose=node $root/dist/bin/main.js" "$out"
echo "table: $out/table.md"
