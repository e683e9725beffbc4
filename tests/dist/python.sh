#!/usr/bin/env bash
# The wheel as a Python shop installs it: a fresh venv, `pip install` of
# dist/*.whl, no CMPAY_LIB, and the binding's shared-vector tests
# (bindings/python/tests/test_vectors.py) run against the installed package;
# a test written here asserts the package and the library both come from the
# venv (cmpay.__file__, cmpay._native.loaded_path()) and cmpay.version().
# Then the sdist, which holds no library, in another venv with CMPAY_LIB, and
# without it: the honest message (the wheels that exist, CMPAY_LIB).
# First, every wheel's file list and metadata: one wheel per platform of
# scripts/dist/common.sh and cmpay._native.WHEEL_PLATFORMS alike, each with the
# file the loader's library_file_name() picks on that wheel's OS at cmpay/,
# built for that platform (tests/dist/binfmt.py), and `twine check --strict`.
# root, version, $work (removed on exit), CMPAY_LIB unset: tests/dist/installed.sh.
source "$(dirname "$0")/installed.sh"
src_version="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' bindings/python/cmpay/__init__.py)"
[ "$src_version" = "$version" ] || { echo "FAIL bindings/python/cmpay/__init__.py says $src_version, Cargo.toml $version" >&2; exit 1; }
unset CMPAY_BIN

"$root/target/dist-tools/bin/twine" check --strict "dist/cmpay-$version.tar.gz" dist/cmpay-"$version"-py3-none-*.whl
platforms | PYTHONPATH="$root/bindings/python:$root/tests/dist" PYTHONDONTWRITEBYTECODE=1 python3 -c '
import sys, zipfile, email.parser, binfmt
from cmpay import _native
version = sys.argv[1]
rows = [l.split() for l in sys.stdin if l.strip()]
assert [r[3] for r in rows] == [t for t, _ in _native.WHEEL_PLATFORMS], (rows, _native.WHEEL_PLATFORMS)
for platform, _, file, tag, *_ in rows:
    whl = "dist/cmpay-%s-py3-none-%s.whl" % (version, tag)
    z = zipfile.ZipFile(whl)
    os_ = "win32" if tag.startswith("win") else "linux"   # sys.platform where pip installs this tag
    name = _native.library_file_name(os_)
    libs = [n for n in z.namelist() if n.endswith((".so", ".dll", ".dylib"))]
    assert libs == ["cmpay/" + name], (whl, libs, name)
    got = binfmt.kind(z.read(libs[0])[:4096])
    assert got == binfmt.PLATFORM_KIND[platform], (whl, got)
    info = "cmpay-%s.dist-info/" % version
    wheel = email.parser.Parser().parsestr(z.read(info + "WHEEL").decode())
    assert wheel.get_all("Tag") == ["py3-none-" + tag] and wheel["Root-Is-Purelib"] == "false", (whl, dict(wheel))
    meta = email.parser.Parser().parsestr(z.read(info + "METADATA").decode())
    assert meta["License-Expression"] == "MIT OR Apache-2.0", meta["License-Expression"]
    assert meta["Author"] == "cmpay contributors", meta["Author"]
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL"))
    assert urls["Homepage"].startswith("https://") and {"Source", "Issues", "Changelog"} <= set(urls), urls
    oses = [c for c in meta.get_all("Classifier") if c.startswith("Operating System")]
    want = "Operating System :: Microsoft :: Windows" if os_ == "win32" else "Operating System :: POSIX :: Linux"
    assert oses == [want], (whl, oses)
    print("%s: cmpay/%s (%s), tag py3-none-%s, %s" % (whl, name, got, tag, want))
' "$version"

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
(cd "$work" && sdist/bin/python -c '
import cmpay
try:
    cmpay.version()
    raise SystemExit("the sdist loaded a library with no CMPAY_LIB")
except cmpay.LibraryNotFoundError as e:
    text = str(e)
for tag in ("manylinux2014_x86_64", "manylinux2014_aarch64", "win_amd64", "win32"):
    assert tag in text, text
assert "CMPAY_LIB" in text and "cargo" not in text, text
print("sdist without CMPAY_LIB: the wheels that exist and CMPAY_LIB, no cargo")')
