#!/usr/bin/env bash
# The Windows and arm64 packages of dist/ run here (docs/platforms.md):
# tests/c/test_abi.c, compiled against each package's include/cmpay.h and
# library (Windows: mingw-w64 gcc of target/trixie-root against lib/cmpay.lib,
# the MSVC import library; arm64: Zig for glibc 2.17 against lib/libcmpay.so),
# runs with the client's success paths against the x86-64 tarball's
# `cmpay sandbox --https` on loopback:
#   - windows-x86_64 and windows-x86 under Debian's wine 8 (64- and 32-bit),
#     which lacks Windows 10's APIs as Windows 7 and 8 do;
#   - linux-aarch64 under qemu-aarch64 -L /usr/aarch64-linux-gnu.
# Then each package's own CLI runs `cmpay demo` there, in another time zone
# (TZ): the orderDate it signs must be today in China (UTC+8).
# Needs root (chroot), wine, wine32 and qemu-user (scripts/install-deps.sh).
# usage: tests/dist/cross.sh [windows-x86_64|windows-x86|linux-aarch64...]
set -euo pipefail
source "$(dirname "$0")/../../scripts/dist/common.sh"
source "$ROOT/scripts/dist/trixie.sh"
platforms=("$@"); [ ${#platforms[@]} -gt 0 ] || platforms=(windows-x86_64 windows-x86 linux-aarch64)
work=target/cross-test
rm -rf "$work"; mkdir -p "$work"
unzip_to() { python3 -c 'import sys,zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$1" "$2"; }
tar -C "$work" -xzf "dist/cmpay-$VERSION-linux-x86_64.tar.gz"
cp -r tests/data "$work/data"
python3 tests/c/gen_vectors.py tests/data/cmpay-vectors.json > "$work/vectors.h"
python3 scripts/check-statuses.py --c-names > "$work/statuses.h"
trixie_ensure
trixie_mount

# The gateway simulator, Linux x86-64, HTTPS on a free loopback port.
sandbox_pid=
# On exit (the script's status kept): the sandbox, this prefix's wineserver, the mounts.
stop() {
  set +e
  [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null
  wait 2>/dev/null
  [ -n "${WINEPREFIX:-}" ] && wineserver -k 2>/dev/null
  trixie_umount
}
trap stop EXIT
: > "$work/sandbox.log"
"$work/cmpay-$VERSION-linux-x86_64/bin/cmpay" sandbox --port 0 --https --ca-out "$work/ca.pem" > "$work/sandbox.log" 2>&1 &
sandbox_pid=$!
endpoint=
for _ in $(seq 1 100); do
  endpoint=$(sed -n 's/^endpoint: *//p' "$work/sandbox.log" | head -1)
  [ -n "$endpoint" ] && [ -s "$work/ca.pem" ] && break; sleep 0.2
done
[ -n "$endpoint" ] || { cat "$work/sandbox.log" >&2; echo "FAIL the sandbox did not start" >&2; exit 1; }

failed=0
# run_suite NAME DIR CMD...: the C suite in DIR (its key files in DIR/scratch);
# passes when it exits 0 and ends "N passed, 0 failed" with N > 0 (wine's
# C library writes CRLF).
run_suite() {
  local name=$1 dir=$2 t0=$SECONDS; shift 2
  echo "== $name: tests/c/test_abi.c"
  if (cd "$dir" && CMPAY_TEST_SCRATCH=scratch "$@" ../data "$endpoint" ../ca.pem) > "$work/$name.out" 2>&1 &&
     tail -1 "$work/$name.out" | tr -d '\r' | grep -qE '^[1-9][0-9]* passed, 0 failed$'; then
    echo "ok   $name: $(tail -1 "$work/$name.out" | tr -d '\r') ($((SECONDS - t0)) s)"
  else
    cat "$work/$name.out" >&2; echo "FAIL $name: the C suite" >&2; failed=$((failed + 1))
  fi
}
# run_demo NAME TZ CMD...: `cmpay demo` holds every step, and its orderDate
# is China's date whatever the machine's time zone.
run_demo() {
  local name=$1 tz=$2 t0=$SECONDS before after got; shift 2
  echo "== $name: cmpay demo $* with TZ=$tz"
  before=$(TZ=Asia/Shanghai date +%Y%m%d)
  if TZ=$tz "$@" > "$work/$name-demo.out" 2>&1 && grep -q '^demo finished: every step held' "$work/$name-demo.out"; then
    after=$(TZ=Asia/Shanghai date +%Y%m%d)
    got=$(sed -n 's/^ *orderDate *\([0-9]*\)$/\1/p' "$work/$name-demo.out" | head -1)
    if [ "$got" = "$before" ] || [ "$got" = "$after" ]; then
      echo "ok   $name: demo, orderDate $got = today in China (machine's TZ $tz: $(TZ=$tz date +%Y%m%d)) ($((SECONDS - t0)) s)"
      return
    fi
    echo "FAIL $name: orderDate '$got' is not today in China ($before)" >&2
  fi
  cat "$work/$name-demo.out" >&2; echo "FAIL $name: cmpay demo" >&2; failed=$((failed + 1))
}

for p in "${platforms[@]}"; do
  case "$p" in
    windows-x86_64|windows-x86)
      unzip_to "dist/cmpay-$VERSION-$p.zip" "$work"
      pkg="$work/cmpay-$VERSION-$p" gcc=x86_64-w64-mingw32-gcc-posix
      [ "$p" = windows-x86 ] && gcc=i686-w64-mingw32-gcc-posix
      mkdir -p "$work/$p"
      # Linked through the MSVC import library (cmpay.lib: its symbols and,
      # on x86, their cdecl decoration); winpthreads and libgcc linked in.
      in_trixie "$gcc" -std=c11 -O1 -Wall -Wextra -Werror -pedantic -I"$pkg/include" -I"$work" tests/c/test_abi.c \
        -o "$work/$p/test_abi.exe" "$pkg/lib/cmpay.lib" -static -lpthread
      cp "$pkg/bin/cmpay.dll" "$pkg/bin/cmpay.exe" "$work/$p/"
      export WINEPREFIX="$ROOT/target/wine-prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
      export HOME="$ROOT/target/wine-home"
      if [ ! -f "$WINEPREFIX/.booted" ]; then
        t0=$SECONDS; mkdir -p "$HOME"; rm -rf "$WINEPREFIX"
        wineboot -i > "$work/wineboot.log" 2>&1 && wineserver -w
        touch "$WINEPREFIX/.booted"; echo "wine prefix target/wine-prefix made in $((SECONDS - t0)) s"
      fi
      echo "   $(wine --version)"
      run_suite "$p" "$work/$p" wine test_abi.exe
      tz=America/Los_Angeles; [ "$p" = windows-x86 ] && tz=Pacific/Kiritimati
      run_demo "$p" "$tz" wine "$work/$p/cmpay.exe" demo --https
      ;;
    linux-aarch64)
      tar -C "$work" -xzf "dist/cmpay-$VERSION-$p.tar.gz"
      pkg="$work/cmpay-$VERSION-$p"
      mkdir -p "$work/$p"
      target/dist-tools/bin/python-zig cc -target aarch64-linux-gnu.2.17 -std=c11 -O1 -Wall -Wextra -Werror \
        -I"$pkg/include" -I"$work" tests/c/test_abi.c -o "$work/$p/test_abi" -L"$pkg/lib" -lcmpay -lpthread
      q=(qemu-aarch64 -L /usr/aarch64-linux-gnu -E "LD_LIBRARY_PATH=$ROOT/$pkg/lib")
      run_suite "$p" "$work/$p" "${q[@]}" ./test_abi
      run_demo "$p" America/Los_Angeles "${q[@]}" "$pkg/bin/cmpay" demo --https --rsa
      ;;
    *) echo "unknown platform $p" >&2; exit 2 ;;
  esac
done
[ "$failed" -eq 0 ] || { echo "FAIL $failed of the cross-platform runs" >&2; exit 1; }
echo "cross-platform packages: all runs passed (${platforms[*]})"
