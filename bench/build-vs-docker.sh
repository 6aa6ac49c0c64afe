#!/usr/bin/env bash
# `tscompose build` of samples/hello's web service beside `docker build` of the same context (classic
# builder, the same four labels, so the same steps), each
# uncached (--no-cache) and cached, N runs each; prints the medians and the ratios. Needs `npm run build`
# and the base image (npm run setup). Removes the images it makes.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
PROJECT=tsct-bench
CONTEXT=samples/hello/web
TAG=tsct-bench-docker:1

now() { date +%s%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
time_ms() { local t0 t1; t0=$(now); "$@" >/dev/null 2>&1; t1=$(now); echo $(( (t1 - t0) / 1000000 )); }

cleanup() {
  docker rmi -f "$TAG" >/dev/null 2>&1 || true
  docker images -q --filter "label=com.docker.compose.project=$PROJECT" | xargs -r docker rmi -f >/dev/null 2>&1 || true
}
trap cleanup EXIT

run() {
  local mode=$1 cache_flag=$2
  for _ in $(seq 1 "$RUNS"); do
    if [ "$mode" = tscompose ]; then
      time_ms node dist/bin/main.js -f samples/hello/compose.yaml -p "$PROJECT" --progress quiet build $cache_flag web
    else
      DOCKER_BUILDKIT=0 time_ms docker build -q $cache_flag \
        --label com.docker.compose.project=$PROJECT --label com.docker.compose.service=web \
        --label com.docker.compose.image.builder=classic --label io.tscompose.build-inputs=same-count-of-labels \
        -t "$TAG" "$CONTEXT"
    fi
  done | median
}

# Warm both paths once (page cache, base image layers).
run tscompose "" >/dev/null; run docker "" >/dev/null

ts_cold=$(run tscompose --no-cache); dk_cold=$(run docker --no-cache)
ts_warm=$(run tscompose ""); dk_warm=$(run docker "")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf 'build of samples/hello web, median of %s runs (ms)\n' "$RUNS"
printf '%-22s %10s %10s %8s\n' '' tscompose 'docker' ratio
printf '%-22s %10s %10s %8s\n' 'no cache' "$ts_cold" "$dk_cold" "$(ratio "$ts_cold" "$dk_cold")"
printf '%-22s %10s %10s %8s\n' 'cached' "$ts_warm" "$dk_warm" "$(ratio "$ts_warm" "$dk_warm")"
