#!/usr/bin/env bash
# tscompose stack deploy beside docker stack deploy --detach=false, in one run, on the same engine:
# deploy+wait for a 3-service and a 20-service stack, a re-deploy with no change, rm until all is gone.
# Needs a swarm manager (inits a single-node swarm when the engine is in none, leaves it after).
# Run after `npm run build`. Prints one row per measure; the last column says whether any service spec
# version moved on the no-change re-deploy (it must not for tscompose).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TS=(node "$ROOT/dist/bin/main.js")
IMAGE=${TSCOMPOSE_TEST_IMAGE:-tscompose/busybox:1}
DIR=$(mktemp -d)
CREATED=0
if [ "$(docker info --format '{{.Swarm.LocalNodeState}}')" = inactive ]; then docker swarm init --advertise-addr 127.0.0.1 >/dev/null; CREATED=1; fi
cleanup() {
  for s in bd3 bt3 bd20 bt20; do docker stack rm "$s" >/dev/null 2>&1 || true; done
  if [ $CREATED = 1 ]; then sleep 5; docker swarm leave --force >/dev/null; fi
  rm -rf "$DIR"
}
trap cleanup EXIT

stack_file() { # N services
  echo "services:"
  for i in $(seq 1 "$1"); do
    cat <<YAML
  s$i:
    image: $IMAGE
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    stop_grace_period: 1s
    deploy: {endpoint_mode: dnsrr}
YAML
  done
}
now() { date +%s.%N; }
gone() { # stack: no service, task container or network of it left
  while [ -n "$(docker service ls -q -f label=com.docker.stack.namespace=$1)$(docker ps -aq -f label=com.docker.stack.namespace=$1)$(docker network ls -q -f label=com.docker.stack.namespace=$1)" ]; do sleep 0.1; done
}
versions() { # stack: the sum of its services' spec versions
  docker service ls -q -f label=com.docker.stack.namespace=$1 | xargs -r docker service inspect --format '{{.Version.Index}}' | paste -sd+ | bc
}
running() { # stack: tasks running
  docker stack ps "$1" -f desired-state=running --format '{{.CurrentState}}' | grep -c '^Running' || true
}
row() { printf '%-44s %8.2f s  %s\n' "$1" "$(echo "$3 - $2" | bc)" "${4:-}"; }

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)   docker $(docker version --format '{{.Client.Version}} / engine {{.Server.Version}}')"
for n in 3 20; do
  stack_file $n > "$DIR/compose-$n.yaml"
  t0=$(now); docker stack deploy --resolve-image never --detach=false -c "$DIR/compose-$n.yaml" bd$n >/dev/null 2>&1; t1=$(now)
  row "docker    deploy+wait $n services" $t0 $t1 "running: $(running bd$n)/$n"
  v0=$(versions bd$n)
  t0=$(now); docker stack deploy --resolve-image never --detach=false -c "$DIR/compose-$n.yaml" bd$n >/dev/null 2>&1; t1=$(now)
  row "docker    re-deploy, no change ($n)" $t0 $t1 "spec versions moved: $((v0 != $(versions bd$n)))"
  t0=$(now); docker stack rm bd$n >/dev/null; gone bd$n; t1=$(now)
  row "docker    rm until gone ($n)" $t0 $t1

  t0=$(now); "${TS[@]}" --progress quiet stack deploy --resolve-image never -c "$DIR/compose-$n.yaml" bt$n; t1=$(now)
  row "tscompose deploy+wait $n services" $t0 $t1 "running: $(running bt$n)/$n"
  v0=$(versions bt$n)
  t0=$(now); "${TS[@]}" --progress quiet stack deploy --resolve-image never -c "$DIR/compose-$n.yaml" bt$n; t1=$(now)
  row "tscompose re-deploy, no change ($n, never)" $t0 $t1 "spec versions moved: $((v0 != $(versions bt$n)))"
  t0=$(now); "${TS[@]}" --progress quiet stack deploy -c "$DIR/compose-$n.yaml" bt$n 2>/dev/null; t1=$(now)
  row "tscompose re-deploy, no change ($n, always)" $t0 $t1 "spec versions moved: $((v0 != $(versions bt$n)))"
  t0=$(now); "${TS[@]}" --progress quiet stack deploy --dry-run -c "$DIR/compose-$n.yaml" bt$n >/dev/null; t1=$(now)
  row "tscompose deploy --dry-run, no change ($n)" $t0 $t1
  t0=$(now); "${TS[@]}" --progress quiet stack rm --wait bt$n; t1=$(now); gone bt$n
  row "tscompose rm --wait ($n)" $t0 $t1
done
t0=$(now); "${TS[@]}" version >/dev/null; t1=$(now)
row "tscompose version (node start, for scale)" $t0 $t1
