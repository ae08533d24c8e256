#!/usr/bin/env bash
# Makes offline base root filesystems from Debian's packages:
#   base-rootfs.sh busybox DIR   a busybox-static rootfs (sh and the usual applets, /etc/passwd)
#   base-rootfs.sh golang DIR    busybox plus the golang-go toolchain in /usr/local/go
# gantry then turns them into images with `gantry import DIR -t NAME`.
set -euo pipefail
kind=${1:?usage: base-rootfs.sh busybox|golang DIR}
dir=${2:?usage: base-rootfs.sh busybox|golang DIR}
bb=$(command -v busybox || true)
[ -n "$bb" ] || { echo "base-rootfs: busybox is missing (apt-get install busybox-static)" >&2; exit 1; }

rm -rf "$dir" && mkdir -p "$dir"/{bin,etc,tmp,root,home/user,usr/bin,var,proc,dev,sys}
chmod 1777 "$dir/tmp"
cp "$bb" "$dir/bin/busybox"
for applet in $("$bb" --list); do
  [ "$applet" = busybox ] || ln -sf busybox "$dir/bin/$applet"
done
cat > "$dir/etc/passwd" <<'P'
root:x:0:0:root:/root:/bin/sh
user:x:1000:1000:user:/home/user:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
P
cat > "$dir/etc/group" <<'G'
root:x:0:
user:x:1000:
nogroup:x:65534:
G
chown 1000:1000 "$dir/home/user"

if [ "$kind" = golang ]; then
  goroot=$(go env GOROOT 2>/dev/null || true)
  [ -n "$goroot" ] && [ -d "$goroot" ] || { echo "base-rootfs: go is missing (apt-get install golang-go)" >&2; exit 1; }
  mkdir -p "$dir/usr/local" "$dir/go"
  cp -rL "$goroot" "$dir/usr/local/go"
  # Debian's go binaries are linked against glibc: bring the loader and the libraries they need.
  for bin in "$dir"/usr/local/go/bin/* "$dir"/usr/local/go/pkg/tool/*/*; do
    ldd "$bin" 2>/dev/null | grep -o '/[^ ]*' || true
  done | sort -u | while read -r lib; do
    mkdir -p "$dir$(dirname "$lib")"
    cp -L "$lib" "$dir$lib"
  done
fi
