#!/usr/bin/env bash
# Makes sure a Docker engine answers, starting one when we can.
# - An engine already answering at DOCKER_HOST (or /var/run/docker.sock): nothing to do.
# - Root on Debian: install docker.io (and busybox-static for the local test image), start dockerd
#   in the background with its log in $TSCOMPOSE_DOCKERD_LOG, wait until it answers.
# - Anywhere else: say what the user must do, and exit 1.
# Safe to run any number of times.
set -euo pipefail

LOG=${TSCOMPOSE_DOCKERD_LOG:-/var/log/tscompose-dockerd.log}
WAIT_SECONDS=${TSCOMPOSE_ENGINE_WAIT:-60}

say() { printf 'ensure-engine: %s\n' "$*" >&2; }

socket_path() {
  local host=${DOCKER_HOST:-unix:///var/run/docker.sock}
  case "$host" in
    unix://*) printf '%s\n' "${host#unix://}" ;;
    *) printf '\n' ;;
  esac
}

# Asks the engine for /_ping over its socket with node (always present here), so we do not
# depend on which docker client is first on PATH.
engine_answers() {
  local sock
  sock=$(socket_path)
  if [ -z "$sock" ]; then
    # tcp:// and friends: let node try the URL.
    node -e '
      const u = new URL(process.env.DOCKER_HOST.replace(/^tcp:/, "http:"));
      require("http").get({ host: u.hostname, port: u.port || 2375, path: "/_ping", timeout: 2000 },
        r => process.exit(r.statusCode === 200 ? 0 : 1)).on("error", () => process.exit(1));' 2>/dev/null
    return
  fi
  [ -S "$sock" ] || return 1
  node -e '
    require("http").get({ socketPath: process.argv[1], path: "/_ping", timeout: 2000 },
      r => process.exit(r.statusCode === 200 ? 0 : 1)).on("error", () => process.exit(1)).on("timeout", () => process.exit(1));' "$sock" 2>/dev/null
}

# The test image needs a static busybox (a dynamic one would not run FROM scratch).
ensure_busybox() {
  local out
  out=$(LC_ALL=C ldd /bin/busybox 2>&1 || true)
  if [ ! -x /bin/busybox ] || [[ "$out" != *"not a dynamic executable"* ]]; then
    need_packages+=(busybox-static)
  fi
}

install_packages() {
  [ "$#" -gt 0 ] || return 0
  say "installing Debian packages: $*"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# The image tests push and pull against a real registry on 127.0.0.1.
ensure_registry() {
  command -v docker-registry >/dev/null 2>&1 || need_packages+=(docker-registry)
}

# The transport tests (test/engine/endpoints.test.ts) reach a second engine over ssh through an sshd of their own.
ensure_ssh() {
  { command -v sshd >/dev/null 2>&1 || [ -x /usr/sbin/sshd ]; } || need_packages+=(openssh-server)
  command -v ssh >/dev/null 2>&1 || need_packages+=(openssh-client)
  # The second engine runs in a network namespace of its own, with certificates made by openssl.
  command -v ip >/dev/null 2>&1 || need_packages+=(iproute2)
  command -v openssl >/dev/null 2>&1 || need_packages+=(openssl)
}

need_packages=()
# tmux gives the exec terminal test (test/engine/exec-tty.test.ts) a real pseudo-terminal.
command -v tmux >/dev/null 2>&1 || need_packages+=(tmux)

if engine_answers; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    ensure_busybox
    ensure_registry
    ensure_ssh
    install_packages "${need_packages[@]}"
  fi
  exit 0
fi

target=${DOCKER_HOST:-unix:///var/run/docker.sock}

can_start_here() {
  # Only as root with apt-get, and only for the default local socket: an engine named elsewhere
  # (tcp://, another socket) is not ours to start.
  [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && [ "$(socket_path)" = /var/run/docker.sock ]
}

if ! can_start_here; then
  say "no Docker engine answers at $target."
  say "start one, then run this again:"
  say "  - Linux with systemd: sudo systemctl start docker"
  say "  - Debian as root: apt-get install docker.io busybox-static, then dockerd &"
  say "  - Docker Desktop: start the app"
  say "  - or point DOCKER_HOST at an engine that is running (e.g. unix:///run/user/1000/docker.sock)"
  exit 1
fi

command -v dockerd >/dev/null 2>&1 || need_packages+=(docker.io)
ensure_busybox
ensure_registry
ensure_ssh
install_packages "${need_packages[@]}"

# Another dockerd of ours may still be starting: wait for it rather than start a second one.
if [ -f /var/run/docker.pid ] && kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
  say "dockerd (pid $(cat /var/run/docker.pid)) is already starting; waiting for it"
else
  say "starting dockerd (log: $LOG)"
  mkdir -p "$(dirname "$LOG")"
  # setsid: the engine must outlive this script and the npm process that ran it.
  setsid dockerd --host=unix:///var/run/docker.sock >>"$LOG" 2>&1 < /dev/null &
fi

for _ in $(seq 1 "$WAIT_SECONDS"); do
  if engine_answers; then
    say "engine is up ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo answering))"
    exit 0
  fi
  sleep 1
done
say "dockerd did not answer within ${WAIT_SECONDS}s; the last lines of $LOG:"
tail -n 20 "$LOG" >&2 || true
exit 1
