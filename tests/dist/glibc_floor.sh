#!/usr/bin/env bash
# The glibc floor, checked on what is shipped: every ELF file inside every
# artifact of dist/ (the tarball, the wheel, the Composer zip, the jar, the
# .nupkg) is read with readelf --dyn-syms (any architecture: the arm64 files too); any
# GLIBC_ symbol version above 2.17 fails.
# usage: tests/dist/glibc_floor.sh [DIST_DIR]
set -euo pipefail
dist="${1:-dist}"
floor=2.17
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
checked=0 failed=0
for a in "$dist"/*; do
  x="$work/$(basename "$a")"; mkdir -p "$x"
  case "$a" in
    *.tar.gz) tar -C "$x" -xzf "$a" ;;
    *.whl|*.zip|*.jar|*.nupkg) python3 -c 'import sys,zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$a" "$x" ;;
    *) continue ;;
  esac
  while IFS= read -r -d '' f; do
    head -c4 "$f" | grep -q $'^\x7fELF' || continue
    [ -L "$f" ] && continue
    newest="$(readelf --dyn-syms -W "$f" | { grep -o 'GLIBC_[0-9][0-9.]*' || true; } | sed 's/GLIBC_//' | sort -uV | tail -1)"
    top="$(printf '%s\n%s\n' "$floor" "${newest:-0}" | sort -V | tail -1)"
    rel="$(basename "$a")!${f#"$x"/}"
    if [ "$top" != "$floor" ]; then
      echo "FAIL $rel needs GLIBC_$newest (above $floor):" >&2
      readelf --dyn-syms -W "$f" | grep -E "GLIBC_$newest" | head -5 >&2
      failed=$((failed + 1))
    else
      echo "ok   $rel: newest symbol version GLIBC_${newest:-none}"
    fi
    checked=$((checked + 1))
  done < <(find "$x" -type f -print0)
done
[ "$checked" -gt 0 ] || { echo "FAIL no ELF file found in $dist (run make dist)" >&2; exit 1; }
echo "glibc floor: $checked ELF files checked, $failed above GLIBC_$floor"
[ "$failed" -eq 0 ]
