#!/usr/bin/env bash
# The packaged library and CLI on an older glibc for real: inside a chroot of
# Debian 11 "bullseye" (glibc 2.31; debootstrap, cached in target/bullseye-root),
# the C ABI tests (tests/c/test_abi.c, compiled by Zig for glibc 2.17 against
# the tarball's header and library) run against the tarball's libcmpay.so, and
# the tarball's cmpay CLI runs the HTTPS gateway simulator the client tests
# talk to. Needs root (chroot) and Debian's mirror.
set -euo pipefail
# ROOT (the working directory), VERSION: scripts/dist/common.sh, as for make dist.
source "$(dirname "$0")/../../scripts/dist/common.sh"
version="$VERSION"
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
python3 scripts/check-statuses.py --c-names > "$root/opt/cmpay/statuses.h"
target/dist-tools/bin/python-zig cc -target x86_64-linux-gnu.2.17 -std=c11 -O1 \
  -I"$root/opt/cmpay/include" -I"$root/opt/cmpay" tests/c/test_abi.c -o "$root/opt/cmpay/test_abi" \
  -L"$root/opt/cmpay/lib" -lcmpay -Wl,-rpath,/opt/cmpay/lib
echo "== inside $(chroot "$root" /usr/bin/ldd --version | head -1)"
chroot "$root" /usr/bin/ldd /opt/cmpay/test_abi | grep libcmpay
sandbox_pid=
trap '[ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null; wait 2>/dev/null' EXIT
rm -f "$root/opt/cmpay/ca.pem"
# The log exists before the sandbox starts: the loop below reads it at once,
# and the background job's redirection may not have created it yet.
: > "$root/opt/cmpay/sandbox.log"
chroot "$root" /opt/cmpay/bin/cmpay sandbox --port 0 --https --ca-out /opt/cmpay/ca.pem > "$root/opt/cmpay/sandbox.log" 2>&1 &
sandbox_pid=$!
endpoint=
for _ in $(seq 1 100); do
  endpoint=$(sed -n 's/^endpoint: *//p' "$root/opt/cmpay/sandbox.log" | head -1)
  [ -n "$endpoint" ] && [ -s "$root/opt/cmpay/ca.pem" ] && break; sleep 0.2
done
[ -n "$endpoint" ] || { cat "$root/opt/cmpay/sandbox.log" >&2; echo "FAIL the packaged cmpay sandbox did not start in the chroot" >&2; exit 1; }
chroot "$root" /bin/sh -c "cd /opt/cmpay && ./test_abi data '$endpoint' /opt/cmpay/ca.pem"
