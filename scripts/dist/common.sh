# Sourced by scripts/dist/*.sh: the facts every package takes from one place.
# VERSION comes from Cargo.toml (through cargo metadata), SONAME from the
# built library itself (build.rs chooses it), the glibc-2.17 build from
# cargo-zigbuild pinned in scripts/install-dist-tools.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
ZIG_TARGET=x86_64-unknown-linux-gnu.2.17
RELDIR="$ROOT/target/x86_64-unknown-linux-gnu/release"
DIST="$ROOT/dist"
STAGE="$ROOT/target/dist-stage"
TOOLS="$ROOT/target/dist-tools/bin"
VERSION="$(cargo metadata --no-deps --format-version 1 \
  | python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"]=="cmpay"))')"
# CMPAY_PLATFORM=linux-aarch64 (make dist, for scripts/dist/tarball.sh): the
# arm64 build of scripts/dist/cross.sh instead, already stripped there
# (this machine's strip reads x86-64 files only).
PLATFORM="${CMPAY_PLATFORM:-linux-x86_64}"
PLATFORM_NAME="Linux x86-64"
STRIP=strip
case "$PLATFORM" in
  linux-x86_64) ;;
  linux-aarch64) RELDIR="$ROOT/target/cross/linux-aarch64" PLATFORM_NAME="Linux arm64 (aarch64)" STRIP=: ;;
  *) echo "unknown CMPAY_PLATFORM $PLATFORM" >&2; exit 1 ;;
esac
TARBALL_NAME="cmpay-$VERSION-$PLATFORM"
soname() { readelf -d "$RELDIR/libcmpay.so" | sed -n 's/.*Library soname: \[\(.*\)\].*/\1/p'; }
