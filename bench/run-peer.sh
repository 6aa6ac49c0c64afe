#!/usr/bin/env bash
# Runs an external peer-benchmark harness (its run-all.sh, make-image.sh and workloads) with tscompose
# beside Docker Compose v1 and the engine floor, in one interleaved run. The harness is not part of
# this repository: point BENCH_DIR at a checkout of it.
# Usage: BENCH_DIR=/path/to/harness bench/run-peer.sh [-n REPS] [-w "WORKLOADS"]   (defaults: -n 2 -w "wide20 chain10 web50")
# Output: bench/results/<UTC date>/ (table.md is committed; raw.tsv, logs and env.txt are not).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
BENCH=${BENCH_DIR:?set BENCH_DIR to a checkout of the peer-benchmark harness (the folder with run-all.sh)}
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
