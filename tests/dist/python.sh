#!/usr/bin/env bash
# The wheel as a Python shop installs it: a fresh venv, `pip install` of
# dist/*.whl, no CMPAY_LIB, and the binding's shared-vector tests
# (bindings/python/tests/test_vectors.py) run against the installed package;
# a test written here asserts the package and the library both come from the
# venv (cmpay.__file__, cmpay._native.loaded_path()) and cmpay.version().
# Then the sdist, which holds no library, in another venv with CMPAY_LIB.
# root, version, $work (removed on exit), CMPAY_LIB unset: tests/dist/installed.sh.
source "$(dirname "$0")/installed.sh"
src_version="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' bindings/python/cmpay/__init__.py)"
[ "$src_version" = "$version" ] || { echo "FAIL bindings/python/cmpay/__init__.py says $src_version, Cargo.toml $version" >&2; exit 1; }
unset CMPAY_BIN

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --disable-pip-version-check "dist/cmpay-$version-py3-none-manylinux2014_x86_64.whl" 'pytest>=7,<9'
cat > "$work/test_packaged.py" <<PY
import os, cmpay, cmpay._native as native
VENV = os.path.realpath("$work/venv")

def test_library_is_the_packaged_one():
    assert cmpay.version() == "$version"
    assert os.path.realpath(cmpay.__file__).startswith(VENV + os.sep)
    lib = os.path.realpath(native.loaded_path())
    assert lib == os.path.join(os.path.dirname(os.path.realpath(cmpay.__file__)), "libcmpay.so"), lib

def test_the_pytest_fixture_comes_with_the_wheel(cmpay_sandbox, pytestconfig):
    # Registered by the wheel's pytest11 entry point, not imported here.
    assert pytestconfig.pluginmanager.has_plugin("cmpay")
    assert cmpay_sandbox.endpoint.startswith("http://127.0.0.1:")
    assert cmpay_sandbox.deliveries() == []
PY
printf '[pytest]\n' > "$work/pytest.ini"
(cd "$work" && PYTHONDONTWRITEBYTECODE=1 venv/bin/python -m pytest -q -p no:cacheprovider -c pytest.ini --rootdir "$work" \
  test_packaged.py "$root/bindings/python/tests/test_vectors.py")

python3 -m venv "$work/sdist"
"$work/sdist/bin/pip" install -q --disable-pip-version-check "dist/cmpay-$version.tar.gz"
lib="$root/target/x86_64-unknown-linux-gnu/release/libcmpay.so"
(cd "$work" && CMPAY_LIB="$lib" sdist/bin/python -c '
import os, sys, cmpay, cmpay._native as n
assert cmpay.version() == sys.argv[1], cmpay.version()
assert n.loaded_path() == os.environ["CMPAY_LIB"], n.loaded_path()
assert not os.path.exists(os.path.join(os.path.dirname(cmpay.__file__), "libcmpay.so"))
print("sdist: cmpay", cmpay.version(), "from CMPAY_LIB")' "$version")
