#!/usr/bin/env bash
# dist/cmpay-VERSION-py3-none-manylinux2014_x86_64.whl: the binding with the
# glibc-2.17 libcmpay.so inside the package (cmpay/libcmpay.so, found by the
# loader with nothing set), built by setuptools through `python -m build`
# (pinned in scripts/install-dist-tools.sh), then checked by `auditwheel show`.
# Also dist/cmpay-VERSION.tar.gz, the sdist, without the library (CMPAY_LIB).
source "$(dirname "$0")/common.sh"
src_version="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' bindings/python/cmpay/__init__.py)"
[ "$src_version" = "$VERSION" ] || { echo "bindings/python/cmpay/__init__.py has $src_version, Cargo.toml $VERSION" >&2; exit 1; }
s="$STAGE/python"
rm -rf "$s"; mkdir -p "$s"
cp -r bindings/python/. "$s/"
rm -rf "$s/tests" "$s/build" "$s"/*.egg-info
find "$s" -name __pycache__ -prune -exec rm -rf {} +
# The examples the README cites, inside the package (cmpay/examples/; pyproject.toml's package-data).
mv "$s/examples" "$s/cmpay/examples"
cp LICENSE-MIT LICENSE-APACHE "$s/"
# The sdist first, while the package holds no library.
"$TOOLS/python" -m build --no-isolation --sdist --outdir "$DIST" "$s" >"$STAGE/python-sdist.log" 2>&1 \
  || { cat "$STAGE/python-sdist.log" >&2; exit 1; }
install -m 755 "$RELDIR/libcmpay.so" "$s/cmpay/libcmpay.so"
CMPAY_WHEEL_PLAT=manylinux2014_x86_64 "$TOOLS/python" -m build --no-isolation --wheel --outdir "$DIST" "$s" \
  >"$STAGE/python-wheel.log" 2>&1 || { cat "$STAGE/python-wheel.log" >&2; exit 1; }
whl="$DIST/cmpay-$VERSION-py3-none-manylinux2014_x86_64.whl"
[ -f "$whl" ] || { echo "expected $whl" >&2; ls "$DIST" >&2; exit 1; }
"$TOOLS/auditwheel" show "$whl" | tee "$STAGE/auditwheel.txt"
tr -s " \n" "  " < "$STAGE/auditwheel.txt" | grep -q "consistent with the following platform tag: \"manylinux_2_17_x86_64\"" \
  || { echo "auditwheel does not accept $whl as manylinux_2_17_x86_64" >&2; exit 1; }
echo "wrote $(basename "$whl") and cmpay-$VERSION.tar.gz"
