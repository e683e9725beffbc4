#!/usr/bin/env bash
# The C/CLI packages for Windows, from scripts/dist/cross.sh's builds:
#   dist/cmpay-VERSION-windows-x86_64.zip and dist/cmpay-VERSION-windows-x86.zip
# each with bin/cmpay.exe, bin/cmpay.dll, lib/cmpay.lib (MSVC), lib/cmpay.dll.a
# (mingw), lib/cmpay.def, include/cmpay.h, the README, licences and docs.
source "$(dirname "$0")/common.sh"
for arch in x86_64 x86; do
  src="$ROOT/target/cross/windows-$arch" name="cmpay-$VERSION-windows-$arch" d="$STAGE/cmpay-$VERSION-windows-$arch"
  [ -f "$src/cmpay.dll" ] || { echo "no $src/cmpay.dll: run scripts/dist/cross.sh (make dist-native)" >&2; exit 1; }
  bits=64; [ "$arch" = x86 ] && bits=32
  rm -rf "$d"; mkdir -p "$d/bin" "$d/lib" "$d/include" "$d/docs" "$DIST"
  cp "$src/cmpay.exe" "$src/cmpay.dll" "$d/bin/"
  cp "$src/cmpay.lib" "$src/cmpay.dll.a" "$src/cmpay.def" "$d/lib/"
  cp crates/cmpay-ffi/include/cmpay.h "$d/include/"
  cp LICENSE-MIT LICENSE-APACHE "$d/"
  cp "${SHIPPED_DOCS[@]}" "$d/docs/"
  sed 's/$/\r/' > "$d/README.txt" <<TXT
cmpay $VERSION for Windows, $bits-bit ($arch): Windows 7 SP1 / Windows Server
2008 R2 and later (docs/platforms.md says how that floor is checked). No Rust
and no runtime DLL beyond Windows' own needed.

  bin\\cmpay.exe     the CLI: sandbox (gateway simulator), demo, sign, verify, explain, codes
  bin\\cmpay.dll     the library (C ABI, cdecl); put it next to your .exe or on PATH
  lib\\cmpay.lib     import library for Visual C++ (link.exe)
  lib\\cmpay.dll.a   import library for mingw-w64 gcc
  lib\\cmpay.def     the exported functions
  include\\cmpay.h   the C ABI
  docs\\             the protocol (the CLI cites its sections), the design notes, the platforms, the sandbox test API

Visual C++:  cl /I include app.c lib\\cmpay.lib
mingw-w64:   gcc -Iinclude app.c -Llib -l:cmpay.dll.a
  bin\\cmpay.exe sandbox         a local gateway to develop against
Check what loaded: cmpay_version() returns "$VERSION".
A $bits-bit process needs this $bits-bit cmpay.dll.
Licence: MIT OR Apache-2.0 (LICENSE-MIT, LICENSE-APACHE).
TXT
  rm -f "$DIST/$name.zip"
  python3 - "$STAGE" "$name" "$DIST/$name.zip" <<'PY'
import os, sys, zipfile
stage, name, out = sys.argv[1:]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for dirpath, dirs, files in os.walk(os.path.join(stage, name)):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(dirpath, f)
            info = zipfile.ZipInfo(os.path.relpath(p, stage), (1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(p, "rb") as fh:
                z.writestr(info, fh.read())
PY
  echo "wrote dist/$name.zip"
done
