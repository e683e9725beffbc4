#!/usr/bin/env bash
# The packaged library and CLI on an older glibc for real: inside a chroot of
# Debian 11 "bullseye" (glibc 2.31; debootstrap, cached in target/bullseye-root),
# the C ABI tests (tests/c/test_abi.c, compiled by Zig for glibc 2.17 against
# the tarball's header and library) run against the tarball's libcmpay.so, and
# the tarball's cmpay CLI runs. Needs root (chroot) and Debian's mirror.
set -euo pipefail
cd "$(dirname "$0")/../.."
version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)"
root=target/bullseye-root
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
if [ ! -f "$root/.complete" ]; then
  command -v debootstrap >/dev/null || flock /tmp/apt.lock apt-get install -y -qq --no-install-recommends debootstrap
  rm -rf "$root"
  debootstrap --variant=minbase bullseye "$root" "$mirror" > target/bullseye-debootstrap.log 2>&1 \
    || { tail -20 target/bullseye-debootstrap.log >&2; exit 1; }
  touch "$root/.complete"
fi
./scripts/install-dist-tools.sh
rm -rf "$root/opt/cmpay" && mkdir -p "$root/opt/cmpay"
tar -C "$root/opt/cmpay" --strip-components=1 -xzf "dist/cmpay-$version-linux-x86_64.tar.gz"
cp -r tests/data "$root/opt/cmpay/data"
python3 tests/c/gen_vectors.py tests/data/cmpay-vectors.json > "$root/opt/cmpay/vectors.h"
target/dist-tools/bin/python-zig cc -target x86_64-linux-gnu.2.17 -std=c11 -O1 \
  -I"$root/opt/cmpay/include" -I"$root/opt/cmpay" tests/c/test_abi.c -o "$root/opt/cmpay/test_abi" \
  -L"$root/opt/cmpay/lib" -lcmpay -Wl,-rpath,/opt/cmpay/lib
echo "== inside $(chroot "$root" /usr/bin/ldd --version | head -1)"
chroot "$root" /usr/bin/ldd /opt/cmpay/test_abi | grep libcmpay
chroot "$root" /bin/sh -c 'cd /opt/cmpay && ./test_abi data'
chroot "$root" /opt/cmpay/bin/cmpay codes | head -3
