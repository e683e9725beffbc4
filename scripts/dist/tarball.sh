#!/usr/bin/env bash
# The C/CLI package, laid out as a Unix prefix:
#   scripts/dist/tarball.sh            -> dist/cmpay-VERSION-linux-x86_64.tar.gz
#   CMPAY_PLATFORM=linux-aarch64 scripts/dist/tarball.sh -> dist/cmpay-VERSION-linux-aarch64.tar.gz
#   scripts/dist/tarball.sh install P  -> the same tree under prefix P (make install)
# The tarball's cmpay.pc is relocatable (${pcfiledir}); an install gets P written in.
source "$(dirname "$0")/common.sh"
so="$(soname)"

lay_out() { # $1 = destination directory, $2 = prefix written into cmpay.pc
  local d="$1" prefix="$2"
  install -d "$d/bin" "$d/lib/pkgconfig" "$d/include" "$d/share/doc/cmpay"
  install -m 755 "$RELDIR/cmpay" "$d/bin/cmpay"
  install -m 755 "$RELDIR/libcmpay.so" "$d/lib/$so"
  ln -sfn "$so" "$d/lib/libcmpay.so"
  install -m 644 "$RELDIR/libcmpay.a" "$d/lib/libcmpay.a"
  "$STRIP" --strip-debug "$d/lib/libcmpay.a"
  install -m 644 crates/cmpay-ffi/include/cmpay.h "$d/include/cmpay.h"
  install -m 644 LICENSE-MIT LICENSE-APACHE "$d/share/doc/cmpay/"
  # The protocol and design notes that the CLI's messages and the READMEs cite
  # ("protocol.md §8"), next to the README.
  install -d "$d/share/doc/cmpay/docs"
  install -m 644 "${SHIPPED_DOCS[@]}" "$d/share/doc/cmpay/docs/"
  # Libs.private: what Rust's std needs when linking the static library
  # (rustc --print native-static-libs on x86_64- and aarch64-unknown-linux-gnu).
  cat > "$d/lib/pkgconfig/cmpay.pc" <<PC
prefix=$prefix
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: cmpay
Description: Merchant side of China Mobile's CMPay payment gateway (C ABI of libcmpay)
Version: $VERSION
Libs: -L\${libdir} -lcmpay
Libs.private: -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
Cflags: -I\${includedir}
PC
  cat > "$d/share/doc/cmpay/README" <<TXT
cmpay $VERSION for $PLATFORM_NAME (glibc 2.17 or later: CentOS 7, RHEL 7/8/9,
Debian 8+, Ubuntu 14.04+). No Rust needed.

  bin/cmpay                    the CLI: sandbox (gateway simulator), demo, sign, verify, explain, codes
  lib/$so             the shared library (SONAME $so), lib/libcmpay.so links to it
  lib/libcmpay.a               the static library
  include/cmpay.h              the C ABI
  lib/pkgconfig/cmpay.pc       pkg-config --cflags --libs cmpay
  docs/protocol.md             the protocol as the library implements it (the CLI cites its sections)
  docs/design.md, resplit.md   how the library is built; why a verified notification can be ambiguous
  docs/sandbox-test-api.md     the simulator's test API (pay, fail, expire an order; wait for its notification)
  docs/platforms.md            each platform's floor (glibc, Windows) and how it was established

Unpack anywhere, then e.g.
  export PKG_CONFIG_PATH=\$PWD/lib/pkgconfig
  cc app.c \$(pkg-config --cflags --libs cmpay) -Wl,-rpath,\$PWD/lib
  bin/cmpay sandbox            # a local gateway to develop against
Check what loaded: cmpay_version() returns "$VERSION".
The PHP, Python, .NET and Java packages carry this same library inside them.
Licence: MIT OR Apache-2.0 (LICENSE-MIT, LICENSE-APACHE).
TXT
}

if [ "${1:-}" = install ]; then
  prefix="${2:?usage: tarball.sh install PREFIX}"
  mkdir -p "$prefix"; prefix="$(cd "$prefix" && pwd)"
  lay_out "$prefix" "$prefix"
  echo "installed cmpay $VERSION under $prefix"
  exit 0
fi

rm -rf "$STAGE/$TARBALL_NAME"; mkdir -p "$STAGE" "$DIST"
lay_out "$STAGE/$TARBALL_NAME" '${pcfiledir}/../..'
# In the tarball the README and licences sit at the top, where they are read.
mv "$STAGE/$TARBALL_NAME"/share/doc/cmpay/* "$STAGE/$TARBALL_NAME/" && rm -r "$STAGE/$TARBALL_NAME/share"
tar -C "$STAGE" --owner=0 --group=0 --numeric-owner --sort=name -czf "$DIST/$TARBALL_NAME.tar.gz" "$TARBALL_NAME"
echo "wrote dist/$TARBALL_NAME.tar.gz"
