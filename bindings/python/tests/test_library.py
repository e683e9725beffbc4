"""The C ABI surface: every function declared, the header agrees, loading."""

from __future__ import annotations

import ctypes
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import cmpay
from cmpay import _native
from conftest import MERCHANT_ID, REPO, vector

HEADER = REPO / "crates" / "cmpay-ffi" / "include" / "cmpay.h"
PKG_ROOT = Path(__file__).resolve().parents[1]


def _header_functions() -> dict:
    text = HEADER.read_text(encoding="utf-8")
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    out = {}
    for m in re.finditer(r"([A-Za-z_][\w \*]*?)\b(cmpay_\w+)\s*\(([^)]*)\)\s*;", text):
        ret, name, args = m.group(1).strip(), m.group(2), m.group(3).strip()
        params = [] if args in ("", "void") else [a.strip() for a in args.split(",")]
        out[name] = (ret, params)
    return out


_C_TO_CTYPES = {
    "cmpay_status": _native.c_status,
    "bool": ctypes.c_bool,
    "size_t": ctypes.c_size_t,
    "uint64_t": ctypes.c_uint64,
    "const char *": ctypes.c_char_p,
    "char *": ctypes.c_void_p,  # cmpay_string_free's, and the *_into functions' buffer
    "size_t *": ctypes.POINTER(ctypes.c_size_t),
    "const uint8_t *": ctypes.c_char_p,
    "char **": _native.c_out_str,
    "uint64_t *": ctypes.POINTER(ctypes.c_uint64),
    "bool *": ctypes.POINTER(ctypes.c_bool),
    "cmpay_amt_item *": ctypes.POINTER(_native.AmtItemStruct),
    "cmpay_order_status *": ctypes.POINTER(ctypes.c_int),  # a C enum
    "void": None,
    "void *": ctypes.c_void_p,
    "int32_t": ctypes.c_int32,
    "uint32_t": ctypes.c_uint32,
    "cmpay_log_callback": _native.LogCallback,
}
_HANDLES = {
    "cmpay_merchant": _native.MerchantP,
    "cmpay_signed_request": _native.SignedRequestP,
    "cmpay_response": _native.ResponseP,
    "cmpay_notification": _native.NotificationP,
    "cmpay_config": _native.ConfigP,
    "cmpay_client": _native.ClientP,
    "cmpay_sandbox": _native.SandboxP,
}


def _ctype(decl: str):
    """The ctypes type for a C parameter or return declaration."""
    decl = re.sub(r"\s+", " ", decl).strip()
    decl = re.sub(r"\s*\*\s*", " *", decl).replace("* *", "**").replace(" **", " **")
    # strip the parameter name
    m = re.match(r"^(.*?[\s\*])(\w+)$", decl)
    if m and m.group(2) not in ("void", "bool", "size_t", "uint64_t", "cmpay_status") and not m.group(2).startswith("cmpay_"):
        decl = m.group(1).strip()
    decl = decl.replace("struct ", "").replace(" *", " *").strip()
    norm = re.sub(r"\s*(\*+)$", lambda mm: " " + mm.group(1), decl)
    for handle, ptr in _HANDLES.items():
        for const in ("", "const "):
            if norm == const + handle + " *":
                return ptr
            if norm == const + handle + " **":
                return ctypes.POINTER(ptr)
    if norm in _C_TO_CTYPES:
        return _C_TO_CTYPES[norm]
    raise AssertionError("unmapped C type %r" % decl)


@pytest.mark.skipif(not HEADER.exists(), reason="crates/cmpay-ffi/include/cmpay.h not generated")
def test_every_header_function_is_declared_exactly() -> None:
    functions = _header_functions()
    assert functions, "no functions found in the header"
    assert sorted(functions) == sorted(_native.PROTOTYPES), "header and cmpay/_native.py PROTOTYPES differ"
    for name, (ret, params) in functions.items():
        restype, argtypes = _native.PROTOTYPES[name]
        expected_ret = _ctype(ret)
        if ret.replace(" ", "") == "constchar*":
            expected_ret = ctypes.c_char_p  # static/borrowed text, copied by ctypes
        assert restype == expected_ret, name
        assert len(argtypes) == len(params), name
        for i, (decl, actual) in enumerate(zip(params, argtypes)):
            assert actual == _ctype(decl), "%s argument %d (%s)" % (name, i, decl)


def test_every_library_function_has_argtypes_and_restype() -> None:
    lib = _native.lib()
    for name, (restype, argtypes) in _native.PROTOTYPES.items():
        fn = getattr(lib, name)
        assert fn.restype == restype, name
        assert fn.argtypes == argtypes, name


def test_exported_symbols_are_all_declared() -> None:
    path = _native.loaded_path()
    assert path and os.path.exists(path)
    try:
        out = subprocess.run(["nm", "-D", "--defined-only", path], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("nm not available")
    exported = {line.split()[-1] for line in out.splitlines() if re.search(r" T cmpay_", line)}
    assert exported, "no cmpay_ symbols exported"
    assert exported == set(_native.PROTOTYPES)


def test_version() -> None:
    v = cmpay.version()
    assert re.match(r"^\d+\.\d+\.\d+", v)
    assert v == cmpay.__version__


def test_codes() -> None:
    info = cmpay.return_code_info("RPM22201")
    assert info is not None
    assert info.code == "RPM22201"
    assert info.chinese == "订单不存在"
    assert "not exist" in info.english
    assert cmpay.return_code_info("C01088") == cmpay.return_code_info("MCG01088")
    assert cmpay.return_code_info("NOPE0000") is None
    assert cmpay.bank_name("ICBC") == "工商银行"
    assert cmpay.bank_name("CMB") == "招商银行"
    assert cmpay.bank_name("NOPE") is None


def test_yuan() -> None:
    assert [cmpay.yuan(f) for f in (0, 5, 12800, 123456789)] == ["0.00", "0.05", "128.00", "1234567.89"]
    assert cmpay.yuan((1 << 64) - 1) == "184467440737095516.15"
    for bad in (-1, 1 << 64, 1.5, True, "100"):
        with pytest.raises(cmpay.InvalidInputError):
            cmpay.yuan(bad)  # type: ignore[arg-type]


def test_threads_share_a_merchant(merchant: cmpay.Merchant) -> None:
    body = vector("notify-OfflineNotify")["form_body"].encode()
    bad = vector("notify-OfflineNotify-tampered-amount")["form_body"].encode()
    errors = []

    def work() -> None:
        try:
            for _ in range(200):
                with merchant.parse_notification(body) as n:
                    assert n.ack() == "SUCCESS"
                try:
                    merchant.parse_notification(bad)
                    errors.append("tampered accepted")
                except cmpay.SignatureError as e:
                    # the thread-local last error belongs to this thread's failure
                    assert e.status == cmpay.Status.SIGNATURE_MISMATCH and e.message
        except Exception as e:  # pragma: no cover
            errors.append(repr(e))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def _python(code: str, env: dict) -> subprocess.CompletedProcess:
    full = dict(os.environ)
    full.pop(_native.ENV_VAR, None)
    full.update(env)
    full["PYTHONPATH"] = str(PKG_ROOT)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=full, timeout=60)


def test_env_var_that_does_not_exist_is_an_error() -> None:
    r = _python("import cmpay\ntry:\n    cmpay.version()\nexcept cmpay.LibraryNotFoundError as e:\n    print('NOTFOUND', e)\n",
                {"CMPAY_LIB": "/nonexistent/libcmpay.so"})
    assert "NOTFOUND" in r.stdout, r.stderr
    assert "/nonexistent/libcmpay.so" in r.stdout and "CMPAY_LIB" in r.stdout


def test_env_var_is_used() -> None:
    path = _native.loaded_path()
    r = _python("import cmpay\ncmpay.version()\nprint(cmpay.loaded_path())\n", {"CMPAY_LIB": str(path)})
    assert r.stdout.strip() == str(path), r.stderr


def test_explicit_path_wins_over_env() -> None:
    path = _native.loaded_path()
    code = "import cmpay\ncmpay.load_library(%r)\nprint(cmpay.loaded_path(), cmpay.version())\n" % str(path)
    r = _python(code, {"CMPAY_LIB": "/nonexistent/libcmpay.so"})
    assert r.stdout.split()[0] == str(path), r.stderr


def test_explicit_path_after_load_is_refused() -> None:
    cmpay.version()
    with pytest.raises(cmpay.LibraryNotFoundError):
        cmpay.load_library("/somewhere/else/libcmpay.so")
    assert cmpay.load_library(_native.loaded_path()) is _native.lib()


def test_search_order_without_env() -> None:
    places = [where for where, _, _ in _native.candidates()] if "CMPAY_LIB" not in os.environ else None
    if places is None:
        r = _python("from cmpay import _native\nprint([w for w, _, _ in _native.candidates()])\n", {})
        places = eval(r.stdout)
    assert places[0] == "next to the package"
    assert places[1:3] == ["source tree (release)", "source tree (debug)"]
    assert places[-1] == "system search path"


def test_source_tree_is_found_without_env() -> None:
    r = _python("import cmpay\nprint(cmpay.version(), cmpay.loaded_path())\n", {})
    assert r.returncode == 0, r.stderr
    assert "/target/" in r.stdout or "libcmpay" in r.stdout


@pytest.mark.parametrize("platform, name", [
    ("linux", "libcmpay.so"),        # manylinux2014_x86_64 and _aarch64 wheels
    ("win32", "cmpay.dll"),          # win_amd64 and win32 wheels (sys.platform is win32 for both)
    ("cygwin", "cmpay.dll"),
    ("darwin", "libcmpay.dylib"),
    ("freebsd14", "libcmpay.so"),
])
def test_library_file_name_per_platform(platform: str, name: str) -> None:
    assert _native.library_file_name(platform) == name


def test_library_file_name_defaults_to_this_process() -> None:
    assert _native.library_file_name() == _native.library_file_name(sys.platform)
    assert _native.library_file_name() == ("cmpay.dll" if sys.platform == "win32" else "libcmpay.so")


def test_wheel_platforms_name_every_published_wheel() -> None:
    tags = [tag for tag, _ in _native.WHEEL_PLATFORMS]
    assert tags == ["manylinux2014_x86_64", "manylinux2014_aarch64", "win_amd64", "win32"]


def test_not_found_outside_a_checkout_names_the_wheels_and_cmpay_lib(tmp_path: Path) -> None:
    site = tmp_path / "site-packages" / "cmpay"
    site.mkdir(parents=True)
    text = _native.not_found_advice(str(site))
    assert "no wheel matches this platform" in text
    for tag, _ in _native.WHEEL_PLATFORMS:
        assert tag in text
    assert "CMPAY_LIB" in text and "cargo" not in text


def test_not_found_inside_a_checkout_says_how_to_build() -> None:
    text = _native.not_found_advice(str(PKG_ROOT / "cmpay"))
    assert "cargo build --release" in text and "CMPAY_LIB" in text


def test_package_syntax_is_python38() -> None:
    import ast

    files = sorted((PKG_ROOT / "cmpay").glob("*.py")) + sorted((PKG_ROOT / "examples").glob("*.py"))
    assert len(files) >= 8
    for f in files:
        ast.parse(f.read_text(encoding="utf-8"), filename=str(f), feature_version=(3, 8))


def test_readme_checks_the_loaded_library_with_public_api() -> None:
    readme = (PKG_ROOT / "README.md").read_text(encoding="utf-8")
    code = "\n".join(re.findall(r"```python\n(.*?)```", readme, re.S))
    assert "cmpay.loaded_path()" in code
    assert not re.search(r"cmpay\._\w+", readme), "the README reaches into a private module"
    assert "loaded_path" in cmpay.__all__ and cmpay.loaded_path.__doc__
    path = _native.loaded_path()
    r = _python("import cmpay\ncmpay.version()\nprint(cmpay.loaded_path())\n", {"CMPAY_LIB": str(path)})
    assert r.stdout.strip() == str(path), r.stderr
