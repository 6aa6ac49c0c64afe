#!/usr/bin/env bash
# `tscompose build` of samples/hello's web service (BuildKit, the default, and the classic builder
# with DOCKER_BUILDKIT=0) beside `docker build` of the same context (classic builder: the docker CLI
# here has no buildx; the same four labels, so the same steps), each uncached (--no-cache) and
# cached, N runs each; the same context POSTed with curl to the engine's BuildKit (its own time, no
# client start-up); a no-change `up -d --build` of the whole sample; and a bare `node -e 0`. Prints the medians and
# the ratios to `docker build`. Needs `npm run build` and the base image (npm run setup). Removes
# the images, containers and volumes it makes.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
PROJECT=tsct-bench
UP_PROJECT=tsct-bench-up
# CONTEXT_MB=100 adds that many 1 MiB files of random bytes to a copy of the sample's context: a big
# context, where sending only what changed (BuildKit's file sync) and the digest cache matter.
CONTEXT_MB=${CONTEXT_MB:-0}
SAMPLE=samples/hello
if [ "$CONTEXT_MB" -gt 0 ]; then
  SAMPLE=$(mktemp -d)
  cp -r samples/hello/. "$SAMPLE"
  mkdir -p "$SAMPLE/web/filler"
  for i in $(seq 1 "$CONTEXT_MB"); do head -c 1048576 /dev/urandom > "$SAMPLE/web/filler/f$i.bin"; done
fi
CONTEXT=$SAMPLE/web
TAG=tsct-bench-docker:1
export HELLO_PORT=${HELLO_PORT:-18397}
# BIN=/path/to/other/dist/bin/main.js times another build of tscompose (e.g. main, for a before/after).
BIN=${BIN:-dist/bin/main.js}

now() { date +%s%N; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
time_ms() { local t0 t1; t0=$(now); "$@" >/dev/null 2>&1; t1=$(now); echo $(( (t1 - t0) / 1000000 )); }
tscompose() { node "$BIN" -f "$SAMPLE/compose.yaml" --progress quiet "$@"; }

SOCKET=${DOCKER_HOST:-unix:///var/run/docker.sock}; SOCKET=${SOCKET#unix://}
CURL_TAG=tsct-bench-curl:1
CONTEXT_TAR=$(mktemp)
tar cf "$CONTEXT_TAR" -C "$CONTEXT" .

cleanup() {
  rm -f "$CONTEXT_TAR"
  docker rmi -f "$CURL_TAG" >/dev/null 2>&1 || true
  tscompose -p "$UP_PROJECT" down -v --rmi local >/dev/null 2>&1 || true
  docker rmi -f "$TAG" >/dev/null 2>&1 || true
  docker images -q --filter "label=com.docker.compose.project=$PROJECT" | xargs -r docker rmi -f >/dev/null 2>&1 || true
  if [ "$SAMPLE" != samples/hello ]; then rm -rf "$SAMPLE"; fi
}
trap cleanup EXIT

run() {
  local mode=$1 cache_flag=$2
  for _ in $(seq 1 "$RUNS"); do
    case $mode in
      buildkit) time_ms tscompose -p "$PROJECT" build $cache_flag web ;;
      classic) DOCKER_BUILDKIT=0 time_ms tscompose -p "$PROJECT" build $cache_flag web ;;
      docker)
        DOCKER_BUILDKIT=0 time_ms docker build -q $cache_flag \
          --label com.docker.compose.project=$PROJECT --label com.docker.compose.service=web \
          --label com.docker.compose.image.builder=classic --label io.tscompose.build-inputs=same-count-of-labels \
          -t "$TAG" "$CONTEXT" ;;
      up) time_ms tscompose -p "$UP_PROJECT" up -d --build ;;
      # The engine's own BuildKit time, with no client start-up: the floor for any BuildKit client.
      curl)
        local nocache=""; [ -n "$cache_flag" ] && nocache="&nocache=1"
        time_ms curl -sf --unix-socket "$SOCKET" -X POST -H 'Content-Type: application/x-tar' --data-binary "@$CONTEXT_TAR" \
          "http://localhost/v1.41/build?version=2&t=$CURL_TAG$nocache" ;;
    esac
  done | median
}

# Warm every path once (page cache, base image layers, the running stack for `up`).
run buildkit "" >/dev/null; run classic "" >/dev/null; run docker "" >/dev/null; run curl "" >/dev/null
tscompose -p "$UP_PROJECT" up -d --build --wait >/dev/null 2>&1

bk_cold=$(run buildkit --no-cache); cl_cold=$(run classic --no-cache); dk_cold=$(run docker --no-cache); cu_cold=$(run curl --no-cache)
bk_warm=$(run buildkit ""); cl_warm=$(run classic ""); dk_warm=$(run docker ""); cu_warm=$(run curl "")
node_ms=$(for _ in $(seq 1 "$RUNS"); do time_ms node -e 0; done | median)
up_warm=$(run up "")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf 'build of samples/hello web (+%s MiB) with %s, median of %s runs (ms); load average at the end: %s\n' "$CONTEXT_MB" "$BIN" "$RUNS" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-26s %10s %10s %10s %12s %9s %9s\n' '' buildkit classic 'docker' 'curl (BK)' 'bk/dk' 'cl/dk'
printf '%-26s %10s %10s %10s %12s %9s %9s\n' 'no cache' "$bk_cold" "$cl_cold" "$dk_cold" "$cu_cold" "$(ratio "$bk_cold" "$dk_cold")" "$(ratio "$cl_cold" "$dk_cold")"
printf '%-26s %10s %10s %10s %12s %9s %9s\n' 'cached' "$bk_warm" "$cl_warm" "$dk_warm" "$cu_warm" "$(ratio "$bk_warm" "$dk_warm")" "$(ratio "$cl_warm" "$dk_warm")"
printf '%-26s %10s\n' 'no-change up -d --build' "$up_warm"
printf '%-26s %10s\n' 'node -e 0' "$node_ms"
