#!/usr/bin/env bash
# Builds tscompose/busybox:1, the image the samples and tests run, with tscompose itself
# (samples/base: FROM scratch plus the static busybox of Debian's busybox-static). No registry is
# needed. Needs `npm run build` first. Does nothing when the image is already there
# (TSCOMPOSE_REBUILD_IMAGE=1 forces a rebuild).
set -euo pipefail
cd "$(dirname "$0")/.."
IMAGE=${TSCOMPOSE_TEST_IMAGE:-tscompose/busybox:1}
BUSYBOX=${BUSYBOX:-/bin/busybox}
DOCKER=${DOCKER:-docker}

is_static() { local out; out=$(LC_ALL=C ldd "$1" 2>&1 || true); [[ "$out" == *"not a dynamic executable"* ]]; }

if [ "${TSCOMPOSE_REBUILD_IMAGE:-0}" != 1 ] && "$DOCKER" image inspect "$IMAGE" >/dev/null 2>&1; then
  exit 0
fi
if ! [ -x "$BUSYBOX" ] || ! is_static "$BUSYBOX"; then
  echo "make-test-image: $BUSYBOX is missing or not static: install Debian's busybox-static (scripts/ensure-engine.sh does)" >&2
  exit 1
fi
if ! [ -f dist/bin/main.js ]; then
  echo "make-test-image: run npm run build first" >&2
  exit 1
fi

# The binary is outside the build context: copy it in (cmp keeps the file, and the build cache, when unchanged).
cmp -s "$BUSYBOX" samples/base/busybox 2>/dev/null || cp "$BUSYBOX" samples/base/busybox
TSCOMPOSE_TEST_IMAGE=$IMAGE node dist/bin/main.js -f samples/base/compose.yaml --progress quiet build
echo "make-test-image: built $IMAGE" >&2
