#!/usr/bin/env bash
# Builds tscompose/busybox:1, the image the samples and tests run: FROM scratch plus the static
# busybox of Debian's busybox-static, with every applet linked into /bin. No registry is needed.
# Does nothing when the image is already there (TSCOMPOSE_REBUILD_IMAGE=1 forces a rebuild).
set -euo pipefail
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

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/www" "$root/data" "$root/root"
chmod 1777 "$root/tmp"
cp "$BUSYBOX" "$root/bin/busybox"
for applet in $("$BUSYBOX" --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
echo 'hello from tscompose' > "$root/www/index.html"
(cd "$root" && tar -c .) | "$DOCKER" import -c 'ENV PATH=/bin' -c 'CMD ["sh"]' - "$IMAGE" >/dev/null
echo "make-test-image: built $IMAGE" >&2
