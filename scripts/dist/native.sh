#!/usr/bin/env bash
# Builds libcmpay.so, libcmpay.a and the cmpay CLI once, for every package:
# release profile (LTO, stripped), linked against glibc 2.17 by cargo-zigbuild,
# with the ABI's SONAME (CMPAY_SONAME=1, see build.rs).
source "$(dirname "$0")/common.sh"
./scripts/install-dist-tools.sh
PATH="$TOOLS:$PATH" CMPAY_SONAME=1 cargo zigbuild --release --locked --workspace --target "$ZIG_TARGET"
so="$(soname)"
[ -n "$so" ] || { echo "libcmpay.so has no SONAME (build.rs did not see CMPAY_SONAME=1)" >&2; exit 1; }
echo "built $RELDIR/{libcmpay.so ($so),libcmpay.a,cmpay} $VERSION for glibc >= 2.17"
