#!/usr/bin/env bash
# Installs what gantry and its tests need and is missing, then builds gantry.
# Idempotent: a second run installs nothing. Needs root for apt (a fresh Debian 12 machine).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
have() { command -v "$1" >/dev/null 2>&1; }
have runc || need+=(runc)
have skopeo || need+=(skopeo)
have umoci || need+=(umoci)
have docker-registry || need+=(docker-registry)
[ -x /bin/busybox ] || [ -x /usr/bin/busybox ] || need+=(busybox-static)
have go || need+=(golang-go)
have getfattr || need+=(attr)
have htpasswd || need+=(apache2-utils)
have zstd || need+=(zstd)
have xz || need+=(xz-utils)
have bzip2 || need+=(bzip2)
have node || need+=(nodejs npm)
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup: missing ${need[*]}; run as root (or install them with apt-get) and try again" >&2
    exit 1
  fi
  echo "setup: installing ${need[*]} from apt"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q "${need[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies"
  # npm ci when the lock file is complete; npm install when it is not (npm 11 leaves other
  # platforms' optional packages out of the lock file, which npm ci then refuses).
  npm ci --no-audit --no-fund --loglevel=silent 2>/dev/null || npm install --no-audit --no-fund --loglevel=error
fi
npm run --silent build
