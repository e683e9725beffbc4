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

# Every platform the packages carry, one line each (the one table of them):
#   platform  directory-holding-the-build  library-file  wheel-tag  NuGet-RID  JNA-prefix
# Linux x86-64 is native.sh's build; the others come from scripts/dist/cross.sh
# (target/cross/<platform>/). The Composer archive's lib/<platform>/ uses the
# first column as it is (Cmpay\Library::platform()).
CROSS="$ROOT/target/cross"
PLATFORMS="\
linux-x86_64   $ROOT/target/x86_64-unknown-linux-gnu/release libcmpay.so manylinux2014_x86_64  linux-x64   linux-x86-64
linux-aarch64  $CROSS/linux-aarch64     libcmpay.so manylinux2014_aarch64 linux-arm64 linux-aarch64
windows-x86_64 $CROSS/windows-x86_64    cmpay.dll   win_amd64             win-x64     win32-x86-64
windows-x86    $CROSS/windows-x86       cmpay.dll   win32                 win-x86     win32-x86"
# platforms: the table above, without its padding, for `while read -r ...`.
platforms() { tr -s ' ' <<<"$PLATFORMS"; }
# native_lib PLATFORM: the path of that platform's shared library, or a clear
# failure when its build is missing (never a package without it).
native_lib() {
  local p dir file rest
  while read -r p dir file rest; do
    if [ "$p" = "$1" ]; then
      if [ ! -f "$dir/$file" ]; then
        echo "missing $dir/$file: the $p library is not built (make dist-native runs scripts/dist/native.sh and scripts/dist/cross.sh)" >&2
        return 1
      fi
      echo "$dir/$file"; return 0
    fi
  done < <(platforms)
  echo "no platform $1 in scripts/dist/common.sh" >&2; return 1
}
# require_natives: every platform's library present, else fail before packing anything.
require_natives() {
  local p rest ok=0
  while read -r p rest; do native_lib "$p" >/dev/null || ok=1; done < <(platforms)
  return $ok
}

# The project's home, Cargo.toml's workspace.package.repository; every package
# manifest names it and no other repository (same_repository FILE...).
REPOSITORY="$(python3 -c 'import tomllib,sys; print(tomllib.load(open(sys.argv[1],"rb"))["workspace"]["package"]["repository"])' Cargo.toml)"
same_repository() {
  local f urls
  for f in "$@"; do
    urls="$(grep -o 'https://github\.com/[A-Za-z0-9_.-]*/[A-Za-z0-9_-]*' "$f" | sort -u)"
    [ "$urls" = "$REPOSITORY" ] || { echo "$f names $(echo $urls), not Cargo.toml's repository $REPOSITORY" >&2; return 1; }
  done
}
# The docs every C/CLI archive ships beside its README: what the CLI's
# messages, the header and the READMEs cite (protocol.md §8, the sandbox's
# test API, the platforms' floors).
SHIPPED_DOCS=(docs/protocol.md docs/design.md docs/resplit.md docs/platforms.md docs/sandbox-test-api.md)
