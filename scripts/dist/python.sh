#!/usr/bin/env bash
# dist/cmpay-VERSION-py3-none-<tag>.whl, one wheel per platform of
# scripts/dist/common.sh (manylinux2014_x86_64, manylinux2014_aarch64,
# win_amd64, win32): the binding with that platform's library inside the
# package (cmpay/libcmpay.so or cmpay/cmpay.dll, found by the loader with
# nothing set), built by setuptools through `python -m build` (pinned in
# scripts/install-dist-tools.sh). `auditwheel show` checks each manylinux
# wheel. Also dist/cmpay-VERSION.tar.gz, the sdist, without any library
# (CMPAY_LIB; its loader says which wheels exist). tests/dist/python.sh
# checks them as PyPI will (`twine check --strict`).
source "$(dirname "$0")/common.sh"
src_version="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' bindings/python/cmpay/__init__.py)"
[ "$src_version" = "$VERSION" ] || { echo "bindings/python/cmpay/__init__.py has $src_version, Cargo.toml $VERSION" >&2; exit 1; }
require_natives
same_repository bindings/python/pyproject.toml
s="$STAGE/python"
rm -rf "$s"; mkdir -p "$s" "$DIST"
cp -r bindings/python/. "$s/"
rm -rf "$s/tests" "$s/build" "$s"/*.egg-info
find "$s" -name __pycache__ -prune -exec rm -rf {} +
# The examples the README cites, inside the package (cmpay/examples/; pyproject.toml's package-data).
mv "$s/examples" "$s/cmpay/examples"
cp LICENSE-MIT LICENSE-APACHE "$s/"
# The sdist first, while the package holds no library.
"$TOOLS/python" -m build --no-isolation --sdist --outdir "$DIST" "$s" >"$STAGE/python-sdist.log" 2>&1 \
  || { cat "$STAGE/python-sdist.log" >&2; exit 1; }
mapfile -t rows < <(platforms)
for row in "${rows[@]}"; do
  read -r platform dir file tag rest <<<"$row"
  rm -f "$s/cmpay/libcmpay.so" "$s/cmpay/cmpay.dll"
  rm -rf "$s/build" "$s"/*.egg-info
  install -m 755 "$(native_lib "$platform")" "$s/cmpay/$file"
  CMPAY_WHEEL_PLAT="$tag" "$TOOLS/python" -m build --no-isolation --wheel --outdir "$DIST" "$s" \
    >"$STAGE/python-wheel-$tag.log" 2>&1 || { cat "$STAGE/python-wheel-$tag.log" >&2; exit 1; }
  whl="$DIST/cmpay-$VERSION-py3-none-$tag.whl"
  [ -f "$whl" ] || { echo "expected $whl" >&2; ls "$DIST" >&2; exit 1; }
  if [ "${tag#manylinux2014_}" != "$tag" ]; then
    arch="${tag#manylinux2014_}"
    "$TOOLS/auditwheel" show "$whl" > "$STAGE/auditwheel-$tag.txt"
    tr -s " \n" "  " < "$STAGE/auditwheel-$tag.txt" | grep -q "consistent with the following platform tag: \"manylinux_2_17_$arch\"" \
      || { cat "$STAGE/auditwheel-$tag.txt" >&2; echo "auditwheel does not accept $whl as manylinux_2_17_$arch" >&2; exit 1; }
  fi
  echo "wrote $(basename "$whl") (cmpay/$file for $platform)"
done
rm -f "$s/cmpay/libcmpay.so" "$s/cmpay/cmpay.dll"
echo "wrote cmpay-$VERSION.tar.gz (sdist, no library)"
