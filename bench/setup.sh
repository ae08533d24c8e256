#!/usr/bin/env bash
# Benchmark services: gantry vs docker build (BuildKit) vs buildah on the same base images.
#
#   bench/setup.sh start   install what is missing (docker.io, buildah, time), build gantry, start
#                          a local docker-registry and a private dockerd, and make the base images
#                          (busybox, golang) present for all three builders from that registry
#   bench/setup.sh stop    stop dockerd and the registry started by `start`
#   bench/setup.sh env     print the variables bench/run.ts reads (after start)
#
# Everything lives under $BENCH_WORK (default /var/tmp/gantry-bench):
#   registry/          docker-registry storage + config; registry.pid, registry.log
#   docker/            dockerd --data-root and --exec-root; docker.sock, docker.pid, dockerd.log
#   buildah/           buildah --root / --runroot
#   gantry-base/       the gantry store the bases are imported into (then pushed to the registry)
#   gantry-template/   a gantry store holding the bases pulled from the registry, with their
#                      snapshots unpacked: every "cold" gantry run starts from a copy of it
#   gantry-cli/        bin/ + dist/ of this checkout, copied after `npm run build`
#   env                REGISTRY=127.0.0.1:PORT and the paths above, for bench/run.ts
# Needs root (apt, dockerd, runc, overlay mounts). Idempotent: a second `start` reuses what runs.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=${BENCH_WORK:-/var/tmp/gantry-bench}
# The gantry CLI measured: a copy of bin/ + dist/ taken at `start`, so a rebuild of the checkout
# during a run cannot change (or break) the binary under test. $GANTRY overrides it.
gantry=${GANTRY:-$work/gantry-cli/bin/gantry}
docker_bin=/usr/bin/docker # Debian's docker.io client (not any other docker on PATH)
sock=$work/docker/docker.sock
STDPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

log() { echo "bench/setup: $*" >&2; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

stop_pidfile() { # pidfile name
  if alive "$1"; then
    local pid
    pid=$(cat "$1")
    log "stopping $2 (pid $pid)"
    kill -TERM "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$1"
}

cmd_stop() {
  stop_pidfile "$work/docker/docker.pid" dockerd
  stop_pidfile "$work/registry/registry.pid" docker-registry
  # dockerd leaves its exec-root mounts (netns, plugins) behind when killed; unmount what is ours.
  if [ -d "$work/docker" ]; then
    grep -o " $work/docker/[^ ]*" /proc/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
  fi
}

free_port() {
  node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

install_missing() {
  local need=()
  [ -x /usr/bin/docker ] && command -v dockerd >/dev/null || need+=(docker.io)
  command -v buildah >/dev/null || need+=(buildah)
  [ -x /usr/bin/time ] || need+=(time)
  command -v docker-registry >/dev/null || need+=(docker-registry)
  command -v runc >/dev/null || need+=(runc)
  [ -x /bin/busybox ] || [ -x /usr/bin/busybox ] || need+=(busybox-static)
  command -v go >/dev/null || need+=(golang-go)
  if [ "${#need[@]}" -gt 0 ]; then
    [ "$(id -u)" = 0 ] || { log "missing ${need[*]}; run as root"; exit 1; }
    log "installing ${need[*]} from apt"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q "${need[@]}" >/dev/null
  fi
}

start_registry() {
  mkdir -p "$work/registry"
  if alive "$work/registry/registry.pid" && [ -f "$work/registry/port" ]; then
    port=$(cat "$work/registry/port")
    return
  fi
  port=$(free_port)
  cat >"$work/registry/config.yml" <<EOF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $work/registry/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
EOF
  setsid docker-registry serve "$work/registry/config.yml" >"$work/registry/registry.log" 2>&1 </dev/null &
  echo $! >"$work/registry/registry.pid"
  echo "$port" >"$work/registry/port"
  for _ in $(seq 1 100); do
    node -e "fetch('http://127.0.0.1:$port/v2/').then(()=>process.exit(0),()=>process.exit(1))" && break
    sleep 0.1
  done
  log "registry on 127.0.0.1:$port"
}

start_dockerd() {
  mkdir -p "$work/docker/data" "$work/docker/exec"
  if alive "$work/docker/docker.pid" && $docker_bin -H "unix://$sock" info >/dev/null 2>&1; then return; fi
  # The registry's port changes between `start`s; dockerd treats 127.0.0.0/8 as insecure anyway,
  # and the flag says so explicitly.
  setsid dockerd --iptables=false --bridge=none --ip-masq=false \
    --data-root "$work/docker/data" --exec-root "$work/docker/exec" \
    --host "unix://$sock" --pidfile "$work/docker/docker.pid" \
    --insecure-registry "127.0.0.1:$port" --storage-driver overlay2 \
    >"$work/docker/dockerd.log" 2>&1 </dev/null &
  for _ in $(seq 1 300); do
    $docker_bin -H "unix://$sock" info >/dev/null 2>&1 && break
    if ! kill -0 $! 2>/dev/null; then
      log "dockerd exited; the end of $work/docker/dockerd.log:"
      tail -20 "$work/docker/dockerd.log" >&2
      return 1
    fi
    sleep 0.1
  done
  $docker_bin -H "unix://$sock" info >/dev/null
  log "dockerd on $sock"
}

make_bases() {
  local base=$work/gantry-base
  if ! $gantry --root "$base" inspect busybox:latest >/dev/null 2>&1; then
    log "making the busybox base image"
    bash scripts/base-rootfs.sh busybox "$work/rootfs-busybox"
    $gantry --root "$base" import "$work/rootfs-busybox" -t busybox:latest \
      --change "ENV PATH=$STDPATH" --change 'CMD ["sh"]' >/dev/null
  fi
  if ! $gantry --root "$base" inspect golang:latest >/dev/null 2>&1; then
    log "making the golang base image"
    bash scripts/base-rootfs.sh golang "$work/rootfs-golang"
    $gantry --root "$base" import "$work/rootfs-golang" -t golang:latest \
      --change "ENV PATH=/go/bin:/usr/local/go/bin:$STDPATH" \
      --change 'ENV GOROOT=/usr/local/go GOPATH=/go HOME=/root' --change 'WORKDIR /go' >/dev/null
  fi
  rm -rf "$work/rootfs-busybox" "$work/rootfs-golang"
  for img in busybox golang; do
    $gantry --root "$base" push "$img:latest" "127.0.0.1:$port/bench/$img:latest" >/dev/null
  done
}

pull_everywhere() {
  local r=127.0.0.1:$port/bench
  for img in busybox golang; do
    $docker_bin -H "unix://$sock" pull -q "$r/$img:latest" >/dev/null
    buildah --root "$work/buildah/root" --runroot "$work/buildah/run" --storage-driver overlay \
      pull -q --tls-verify=false "$r/$img:latest" >/dev/null
  done
  # gantry: pulled, and each base's snapshots unpacked by one trivial build, so a cold gantry
  # run starts where docker and buildah start: the base image present and unpacked.
  local t=$work/gantry-template
  if ! $gantry --root "$t" inspect "$r/golang:latest" >/dev/null 2>&1 \
    || [ "$(cat "$t/.registry" 2>/dev/null)" != "$port" ]; then
    rm -rf "$t"
    local prime=$work/prime
    rm -rf "$prime" && mkdir -p "$prime"
    for img in busybox golang; do
      $gantry --root "$t" pull "$r/$img:latest" >/dev/null
      printf 'FROM %s\nRUN true\n' "$r/$img:latest" >"$prime/Dockerfile"
      $gantry --root "$t" build --progress=quiet -t "prime-$img" "$prime" >/dev/null
      $gantry --root "$t" rmi "prime-$img" >/dev/null
    done
    rm -rf "$prime"
    echo "$port" >"$t/.registry"
  fi
}

cmd_env() {
  cat <<EOF
BENCH_WORK=$work
REGISTRY=127.0.0.1:$(cat "$work/registry/port")
DOCKER_HOST=unix://$sock
BUILDAH_ROOT=$work/buildah/root
BUILDAH_RUNROOT=$work/buildah/run
GANTRY_TEMPLATE=$work/gantry-template
GANTRY=$gantry
EOF
}

cmd_start() {
  install_missing
  mkdir -p "$work"
  if [ -z "${GANTRY:-}" ]; then
    npm run --silent build
    rm -rf "$work/gantry-cli" && mkdir -p "$work/gantry-cli"
    cp -a bin dist "$work/gantry-cli/"
    echo "$(git rev-parse --short HEAD) (+$(git status --porcelain -- src | wc -l) uncommitted files in src/), built $(date -u +%FT%TZ)" \
      >"$work/gantry-cli/VERSION"
  fi
  start_registry
  # A registry restarted on a new port starts empty: push the bases again.
  make_bases
  start_dockerd
  pull_everywhere
  cmd_env >"$work/env"
  log "ready; variables in $work/env"
}

case "${1:-start}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  env) cmd_env ;;
  *) echo "usage: bench/setup.sh start|stop|env" >&2; exit 2 ;;
esac
