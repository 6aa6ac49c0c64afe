#!/usr/bin/env bash
# tscompose logs beside docker logs, on one container that printed 1,000,000 lines (no TTY, so the
# engine frames every line). Both read the same container in the same run; output goes to /dev/null.
# Usage: bash bench/logs-throughput.sh [LINES]   (run `npm run build` first)
set -euo pipefail
cd "$(dirname "$0")/.."
LINES=${1:-1000000}
IMAGE=${TSCOMPOSE_TEST_IMAGE:-tscompose/busybox:1}
PROJECT=tsbench-logs-$$
DIR=$(mktemp -d)
CLI="node $PWD/dist/src/main.js -p $PROJECT"
trap '(cd "$DIR" && $CLI down >/dev/null 2>&1); rm -rf "$DIR"' EXIT

cat > "$DIR/compose.yaml" <<YAML
services:
  printer:
    image: $IMAGE
    command: ["seq", "1", "$LINES"]
YAML
(cd "$DIR" && $CLI up -d --progress quiet)
docker wait "$PROJECT-printer-1" >/dev/null

now() { date +%s.%N; }
time_it() { local start; start=$(now); "$@" >/dev/null 2>&1; awk -v a="$(now)" -v b="$start" 'BEGIN { print a - b }'; }

# One warm-up each (page cache, engine log file), then the measured runs.
docker logs "$PROJECT-printer-1" >/dev/null 2>&1
docker_s=$(time_it docker logs "$PROJECT-printer-1")
ours_s=$(cd "$DIR" && time_it $CLI logs)
ours_bare_s=$(cd "$DIR" && time_it $CLI logs --no-log-prefix)
count=$(cd "$DIR" && $CLI logs | wc -l)

printf 'lines:                          %s (tscompose printed %s)\n' "$LINES" "$count"
printf 'docker logs:                    %.3f s\n' "$docker_s"
printf 'tscompose logs (prefixed):      %.3f s\n' "$ours_s"
printf 'tscompose logs --no-log-prefix: %.3f s\n' "$ours_bare_s"
printf 'throughput vs docker:           %.2fx (prefixed), %.2fx (bare)\n' \
  "$(awk -v a="$docker_s" -v b="$ours_s" 'BEGIN { print a / b }')" "$(awk -v a="$docker_s" -v b="$ours_bare_s" 'BEGIN { print a / b }')"
