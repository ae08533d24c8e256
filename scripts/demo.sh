#!/usr/bin/env bash
# The main job: install what is missing, make the offline base images (busybox and a Go
# toolchain, from Debian's packages), build the multi-stage Go server example, and show the
# final image's size beside the builder stage's.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

export GANTRY_ROOT=${GANTRY_ROOT:-/var/lib/gantry}
work=${GANTRY_DEMO_DIR:-/tmp/gantry-demo}
mkdir -p "$work"
g=./bin/gantry
STDPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

if ! $g inspect busybox:latest >/dev/null 2>&1; then
  echo "demo: making the busybox base image from busybox-static"
  bash scripts/base-rootfs.sh busybox "$work/busybox"
  $g import "$work/busybox" -t busybox:latest --change "ENV PATH=$STDPATH" --change 'CMD ["sh"]'
fi
if ! $g inspect golang:latest >/dev/null 2>&1; then
  echo "demo: making the golang base image from golang-go"
  bash scripts/base-rootfs.sh golang "$work/golang"
  $g import "$work/golang" -t golang:latest \
    --change "ENV PATH=/go/bin:/usr/local/go/bin:$STDPATH" \
    --change 'ENV GOROOT=/usr/local/go GOPATH=/go HOME=/root' --change 'WORKDIR /go'
fi

echo "demo: gantry build -t seed-server:1 examples/go-server"
$g build --progress=plain -t seed-server:1 examples/go-server
echo
$g images
