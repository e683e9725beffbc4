#!/usr/bin/env bash
# The tarball as a C shop uses it: unpacked in a scratch directory, and also
# installed by `make install PREFIX=...`; tests/c/test_abi.c compiled with
# nothing but `pkg-config --cflags --libs cmpay` against each, and run against
# the packaged `cmpay sandbox` (HTTPS, its CA). ldd must resolve libcmpay to
# the package's file. The static library is linked through --static too.
set -euo pipefail
# ROOT (the working directory), VERSION: scripts/dist/common.sh, as for make dist.
source "$(dirname "$0")/../../scripts/dist/common.sh"
version="$VERSION"
work="$(mktemp -d)"; pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
tar -C "$work" -xzf "dist/cmpay-$version-linux-x86_64.tar.gz"
unpacked="$work/cmpay-$version-linux-x86_64"
make --no-print-directory install PREFIX="$work/prefix" >/dev/null
python3 tests/c/gen_vectors.py tests/data/cmpay-vectors.json > "$work/vectors.h"
python3 scripts/check-statuses.py --c-names > "$work/statuses.h"

"$unpacked/bin/cmpay" sandbox --port 0 --https --ca-out "$work/ca.pem" >"$work/sandbox.log" 2>&1 &
pids+=($!)
endpoint=
for _ in $(seq 1 100); do
  endpoint=$(sed -n 's/^endpoint: *//p' "$work/sandbox.log" | head -1)
  [ -n "$endpoint" ] && [ -s "$work/ca.pem" ] && break; sleep 0.2
done
[ -n "$endpoint" ] || { cat "$work/sandbox.log" >&2; echo "FAIL the packaged cmpay sandbox did not start" >&2; exit 1; }

for prefix in "$unpacked" "$work/prefix"; do
  export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
  [ "$(pkg-config --modversion cmpay)" = "$version" ] || { echo "FAIL cmpay.pc version is not $version" >&2; exit 1; }
  # shellcheck disable=SC2046
  cc -std=c11 -O1 -Wall -Werror -I"$work" tests/c/test_abi.c -o "$work/test_abi" \
    $(pkg-config --cflags --libs cmpay) -Wl,-rpath,"$prefix/lib"
  loaded="$(ldd "$work/test_abi" | sed -n 's/.*libcmpay[^ ]* => \([^ ]*\).*/\1/p')"
  [ "$(readlink -f "$loaded")" = "$(readlink -f "$prefix/lib/libcmpay.so")" ] \
    || { echo "FAIL test_abi loads '$loaded', not the package's library under $prefix" >&2; exit 1; }
  echo "== C ABI tests against $prefix (libcmpay from $loaded)"
  "$work/test_abi" tests/data "$endpoint" "$work/ca.pem"
done

# The static library: Libs.private must be enough to link it.
# shellcheck disable=SC2046
cc -std=c11 -O1 -I"$work" tests/c/test_abi.c -o "$work/test_abi_static" \
  $(pkg-config --cflags cmpay) "$work/prefix/lib/libcmpay.a" $(pkg-config --static --libs-only-l cmpay | sed 's/-lcmpay//')
! ldd "$work/test_abi_static" | grep -q libcmpay || { echo "FAIL the static build still needs libcmpay.so" >&2; exit 1; }
echo "== C ABI tests, statically linked"
"$work/test_abi_static" tests/data "$endpoint" "$work/ca.pem"

# Every docs/*.md that the packaged CLI's help texts and the tarball's README
# cite is in the tarball, beside the README (scripts/dist/common.sh: SHIPPED_DOCS).
cited="$( { cat "$unpacked/README"; for c in "" sandbox demo sign verify explain codes query refund reconcile; do
  "$unpacked/bin/cmpay" $c --help 2>&1 || true; done; } | grep -oE 'docs/[A-Za-z0-9_-]+\.md' | sort -u)"
[ -n "$cited" ] || { echo "FAIL found no docs/*.md cited by the packaged CLI or README: the check would prove nothing" >&2; exit 1; }
for doc in $cited; do
  [ -f "$unpacked/$doc" ] || { echo "FAIL $doc is cited by the packaged CLI or README but not in the tarball" >&2; exit 1; }
done
echo "== docs cited by the packaged CLI and README, all in the tarball: $(echo $cited)"
