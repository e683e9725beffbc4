#!/usr/bin/env bash
# The Windows x64/x86 and Linux arm64 builds of the C ABI library and the CLI
# (docs/platforms.md says why these targets and how each floor is checked).
# In a debootstrap of Debian 13 "trixie" cached in target/trixie-root
# (scripts/dist/trixie.sh): Debian's rustc-web builds the standard library
# from its source (rust-web-src, -Z build-std) for each target, mingw-w64's
# posix gcc links Windows, Zig (cargo-zigbuild, pinned by
# scripts/install-dist-tools.sh) links arm64 against glibc 2.17. Release
# profile (LTO), one cargo run per target. Writes:
#   target/cross/windows-x86_64/{cmpay.dll,cmpay.dll.a,cmpay.lib,cmpay.def,cmpay.exe}
#   target/cross/windows-x86/{the same}
#   target/cross/linux-aarch64/{libcmpay.so,libcmpay.a,cmpay}
# Needs root (chroot, mounts). A second run rebuilds only what changed.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/trixie.sh"
./scripts/install-dist-tools.sh
trixie_ensure
trixie_mount
out="$ROOT/target/cross"
build=/src/target/cross-build
common=(RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$build")
cargo_args=(build --release --locked -Z build-std=std,panic_unwind -p cmpay-ffi -p cmpay-cli)

# The DLLs a Windows 7 / Server 2008 R2 system has: anything else imported
# (bcryptprimitives.dll, an api-ms-win-* set, a mingw runtime DLL) fails here.
windows_imports_ok() { # file
  local f="${1#"$ROOT"/}" bad
  bad="$(in_trixie x86_64-w64-mingw32-objdump -p "$f" | sed -n 's/^[[:space:]]*DLL Name: //p' | tr 'A-Z' 'a-z' |
    grep -vxE 'kernel32\.dll|advapi32\.dll|ntdll\.dll|ws2_32\.dll|bcrypt\.dll|userenv\.dll|msvcrt\.dll|user32\.dll|shell32\.dll|secur32\.dll|crypt32\.dll' || true)"
  [ -z "$bad" ] || { echo "FAIL $f imports DLLs a Windows 7 system lacks or that are not shipped: $bad" >&2; exit 1; }
  echo "  $f imports: $(in_trixie x86_64-w64-mingw32-objdump -p "$f" | sed -n 's/^[[:space:]]*DLL Name: //p' | sort -u | tr '\n' ' ')"
}

windows() { # rust target, folder, mingw prefix, llvm-dlltool machine
  local target=$1 dir="$out/$2" mingw=$3 machine=$4 t0=$SECONDS flags=()
  local ut="${target//-/_}"; ut="${ut^^}"
  if [ "$target" = i686-win7-windows-gnu ]; then
    # rustc's startup objects for 32-bit Windows (rsbegin.o, rsend.o) are not
    # made by build-std: compiled here from the standard library's source.
    local rt="$build/rtstartup/$target" src
    src="$(in_trixie rustc --print sysroot)/lib/rustlib/src/rust/library/rtstartup"
    in_trixie mkdir -p "$rt"
    for o in rsbegin rsend; do
      in_trixie RUSTC_BOOTSTRAP=1 rustc --target "$target" --emit=obj --crate-type=lib -C panic=abort -O \
        -o "$rt/$o.o" "$src/$o.rs"
    done
    flags=("CARGO_TARGET_${ut}_RUSTFLAGS=-L $rt")
  fi
  in_trixie "${common[@]}" "${flags[@]}" "CARGO_TARGET_${ut}_LINKER=$mingw-gcc-posix" \
    "CC_${target//-/_}=$mingw-gcc-posix" "AR_${target//-/_}=$mingw-ar" \
    cargo "${cargo_args[@]}" --target "$target"
  local rel="$ROOT/target/cross-build/$target/release"
  rm -rf "$dir"; mkdir -p "$dir"
  cp "$rel/cmpay.dll" "$rel/cmpay.exe" "$dir/"
  cp "$rel/libcmpay.dll.a" "$dir/cmpay.dll.a"
  # The exports (every cmpay_ function, cdecl, undecorated) as a .def, and
  # from it the import library MSVC's link.exe takes.
  { echo "LIBRARY cmpay.dll"; echo "EXPORTS"
    in_trixie "$mingw-objdump" -p "${dir#"$ROOT"/}/cmpay.dll" |
      sed -n '/\[Ordinal\/Name Pointer\] Table/,/^$/p' | grep -oE '\bcmpay_[A-Za-z0-9_]+$' | sort | sed 's/^/    /'; } > "$dir/cmpay.def"
  local n; n="$(grep -c '^    cmpay_' "$dir/cmpay.def")"
  [ "$n" -eq "$(grep -cE '^[a-z].* \**cmpay_[a-z0-9_]+\(' crates/cmpay-ffi/include/cmpay.h)" ] \
    || { echo "FAIL $dir/cmpay.def has $n exports, the header declares another number" >&2; exit 1; }
  in_trixie llvm-dlltool -m "$machine" -d "${dir#"$ROOT"/}/cmpay.def" -D cmpay.dll -l "${dir#"$ROOT"/}/cmpay.lib"
  windows_imports_ok "$dir/cmpay.dll"
  windows_imports_ok "$dir/cmpay.exe"
  echo "cross: $target in $((SECONDS - t0)) s -> ${dir#"$ROOT"/} ($n exports)"
}

arm64() {
  local target=aarch64-unknown-linux-gnu dir="$out/linux-aarch64" t0=$SECONDS zig
  zig="$(cd "$ROOT" && find target/dist-tools/lib -path '*/ziglang/zig' -type f | head -1)"
  [ -n "$zig" ] || { echo "FAIL no zig in target/dist-tools (scripts/install-dist-tools.sh)" >&2; exit 1; }
  in_trixie "${common[@]}" CMPAY_SONAME=1 CARGO_ZIGBUILD_ZIG_PATH="/src/$zig" \
    /src/target/dist-tools/bin/cargo-zigbuild zigbuild "${cargo_args[@]:1}" --target "$target.2.17"
  local rel="$ROOT/target/cross-build/$target/release"
  rm -rf "$dir"; mkdir -p "$dir"
  cp "$rel/libcmpay.so" "$rel/libcmpay.a" "$rel/cmpay" "$dir/"
  in_trixie aarch64-linux-gnu-strip --strip-debug "${dir#"$ROOT"/}/libcmpay.a"
  local so; so="$(readelf -d "$dir/libcmpay.so" | sed -n 's/.*Library soname: \[\(.*\)\].*/\1/p')"
  [ "$so" = "$(soname)" ] || { echo "FAIL arm64 libcmpay.so SONAME '$so', x86-64 has '$(soname)'" >&2; exit 1; }
  local f newest
  for f in "$dir/libcmpay.so" "$dir/cmpay"; do
    newest="$(readelf -W --dyn-syms "$f" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)"
    [ "$(printf '2.17\n%s\n' "$newest" | sort -V | tail -1)" = 2.17 ] \
      || { echo "FAIL ${f#"$ROOT"/} needs GLIBC_$newest (above 2.17)" >&2; exit 1; }
  done
  echo "cross: $target in $((SECONDS - t0)) s -> ${dir#"$ROOT"/} (SONAME $so, newest GLIBC_$newest)"
}

windows x86_64-win7-windows-gnu windows-x86_64 x86_64-w64-mingw32 i386:x86-64
windows i686-win7-windows-gnu windows-x86 i686-w64-mingw32 i386
arm64
