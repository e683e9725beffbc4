"""Loading libcmpay and declaring every C function (ctypes ``argtypes`` and
``restype`` for each, so nothing is guessed). Nothing of the protocol is
here: only marshalling, the one ``check(status)``, and owned-string handling.

Where the library is looked for, in order (the first that exists is loaded):

1. the path given to ``cmpay.load_library(path)`` (an explicit option);
2. the ``CMPAY_LIB`` environment variable (a path to the file);
3. next to this package: ``cmpay/libcmpay.so`` (``.dylib``, ``cmpay.dll``);
4. in the source tree this package sits in: ``target/release`` then
   ``target/debug`` of the nearest directory above with a ``Cargo.toml``;
5. the system's search: ``ctypes.util.find_library("cmpay")``, then the bare
   file name (``LD_LIBRARY_PATH``, ``/usr/local/lib``, ``/usr/lib``, ...).

An explicit path or ``CMPAY_LIB`` that cannot be loaded is an error at once:
it never silently falls through to another copy.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import platform as _platform
import sys
import threading
from ctypes import POINTER, c_bool, c_char_p, c_int, c_size_t, c_uint64, c_void_p
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from .errors import CmpayError, InvalidInputError, LibraryNotFoundError, Status, _error_class

ENV_VAR = "CMPAY_LIB"


def library_file_name(platform: Optional[str] = None) -> str:
    """The library's file name on ``platform`` (a ``sys.platform`` value;
    this process's when None): ``cmpay.dll`` on Windows (32- and 64-bit
    alike: pip installs the wheel of the interpreter's own bitness, win32 or
    win_amd64), ``libcmpay.dylib`` on macOS, ``libcmpay.so`` elsewhere."""
    platform = sys.platform if platform is None else platform
    if platform == "win32" or platform == "cygwin":
        return "cmpay.dll"
    if platform == "darwin":
        return "libcmpay.dylib"
    return "libcmpay.so"


#: The platforms a wheel with the library inside is published for, as
#: (wheel platform tag, what it runs on). scripts/dist/python.sh builds these
#: and tests/dist/python.sh checks that they are exactly the wheels built.
WHEEL_PLATFORMS: Tuple[Tuple[str, str], ...] = (
    ("manylinux2014_x86_64", "Linux x86-64, glibc 2.17 or later"),
    ("manylinux2014_aarch64", "Linux arm64, glibc 2.17 or later"),
    ("win_amd64", "Windows x64, 64-bit Python"),
    ("win32", "Windows x86, 32-bit Python (also on 64-bit Windows)"),
)


def not_found_advice(packaged_dir: Optional[str] = None) -> str:
    """What a user is told when no library loads. Inside an installed package
    without the library (pip fell back to the source distribution: no wheel
    for this platform), the wheels that exist and CMPAY_LIB; in a source
    checkout, the library's build."""
    here = Path(packaged_dir) if packaged_dir is not None else Path(__file__).resolve().parent
    if any((parent / "Cargo.toml").is_file() for parent in here.parents):
        return ("Build it with `cargo build --release` at the top of the repository, or set %s to the file's path."
                % ENV_VAR)
    return ("This cmpay package holds no library: pip installed the source distribution because no wheel "
            "matches this platform (%s, %s). Wheels with the library inside exist for:\n  %s\n"
            "On any other platform, set %s to the full path of a %s built for it (the project's README "
            "says how to build one), or call cmpay.load_library(path) first."
            % (sys.platform, _platform.machine() or "unknown CPU",
               "\n  ".join("%s (%s)" % w for w in WHEEL_PLATFORMS), ENV_VAR, library_file_name()))


# Opaque handle types: distinct pointer types, so a merchant can never be
# passed where a response is expected.
class _Merchant(ctypes.Structure):
    pass


class _SignedRequest(ctypes.Structure):
    pass


class _Response(ctypes.Structure):
    pass


class _Notification(ctypes.Structure):
    pass


class _Config(ctypes.Structure):
    pass


class _Client(ctypes.Structure):
    pass


class _Sandbox(ctypes.Structure):
    pass


class AmtItemStruct(ctypes.Structure):
    """``cmpay_amt_item``: five uint64_t, in fen."""

    _fields_ = [
        ("cash", c_uint64),
        ("prepaid", c_uint64),
        ("coupon", c_uint64),
        ("voucher", c_uint64),
        ("points", c_uint64),
    ]


MerchantP = POINTER(_Merchant)
SignedRequestP = POINTER(_SignedRequest)
ResponseP = POINTER(_Response)
NotificationP = POINTER(_Notification)
ConfigP = POINTER(_Config)
ClientP = POINTER(_Client)
SandboxP = POINTER(_Sandbox)

c_status = c_int  # a C enum
c_str = c_char_p  # const char *, NUL-terminated UTF-8 in
c_bytes = c_char_p  # const uint8_t *, always passed with its length
c_out_str = POINTER(c_void_p)  # char **out: owned, freed with cmpay_string_free
# cmpay_log_callback: (void *user_data, int32_t level, const char *event, const char *message)
LogCallback = ctypes.CFUNCTYPE(None, c_void_p, ctypes.c_int32, c_char_p, c_char_p)

# Every function of include/cmpay.h: name -> (restype, argtypes).
# tests/test_abi.py checks this table against the header and the library.
PROTOTYPES: Dict[str, Tuple[Any, List[Any]]] = {
    # library
    "cmpay_version": (c_char_p, []),
    "cmpay_status_name": (c_char_p, [c_status]),
    "cmpay_last_status": (c_status, []),
    "cmpay_last_error": (c_char_p, []),
    "cmpay_last_error_return_code": (c_char_p, []),
    "cmpay_last_error_field": (c_char_p, []),
    "cmpay_string_free": (None, [c_void_p]),
    # merchant
    "cmpay_merchant_new_md5": (c_status, [c_str, c_str, POINTER(MerchantP)]),
    "cmpay_merchant_new_rsa": (c_status, [c_str, c_bytes, c_size_t, c_bytes, c_size_t, c_bool, POINTER(MerchantP)]),
    "cmpay_merchant_free": (None, [MerchantP]),
    "cmpay_merchant_sign_request": (c_status, [MerchantP, c_str, c_bytes, c_size_t, POINTER(SignedRequestP)]),
    "cmpay_merchant_hmac": (c_status, [MerchantP, c_str, c_bytes, c_size_t, c_out_str]),
    "cmpay_merchant_verify": (c_status, [MerchantP, c_str, c_bytes, c_size_t]),
    # signed request
    "cmpay_signed_request_body": (c_status, [SignedRequestP, c_out_str]),
    "cmpay_signed_request_content_type": (c_status, [SignedRequestP, c_out_str]),
    "cmpay_signed_request_hmac": (c_status, [SignedRequestP, c_out_str]),
    "cmpay_signed_request_source": (c_status, [SignedRequestP, c_out_str]),
    "cmpay_signed_request_html_form": (c_status, [SignedRequestP, c_char_p, c_out_str]),
    "cmpay_signed_request_field": (c_status, [SignedRequestP, c_str, c_out_str]),
    "cmpay_signed_request_free": (None, [SignedRequestP]),
    # responses
    "cmpay_response_parse": (c_status, [MerchantP, c_str, c_bytes, c_size_t, POINTER(ResponseP)]),
    "cmpay_response_field": (c_status, [ResponseP, c_str, c_out_str]),
    "cmpay_response_fields_into": (c_status, [ResponseP, c_void_p, c_size_t, POINTER(c_size_t)]),
    "cmpay_response_pay_url": (c_status, [ResponseP, c_out_str, c_out_str, c_out_str]),
    "cmpay_response_redirect_url": (c_status, [ResponseP, c_out_str]),
    "cmpay_response_html_form": (c_status, [ResponseP, c_out_str]),
    "cmpay_response_order_status": (c_status, [ResponseP, POINTER(c_int)]),
    "cmpay_response_amount": (c_status, [ResponseP, POINTER(c_uint64)]),
    "cmpay_response_free": (None, [ResponseP]),
    # notifications
    "cmpay_notification_parse": (c_status, [MerchantP, c_bytes, c_size_t, POINTER(NotificationP)]),
    "cmpay_notification_field": (c_status, [NotificationP, c_str, c_out_str]),
    "cmpay_notification_fields_into": (c_status, [NotificationP, c_void_p, c_size_t, POINTER(c_size_t)]),
    "cmpay_notification_amount": (c_status, [NotificationP, POINTER(c_uint64)]),
    "cmpay_notification_amt_item": (c_status, [NotificationP, POINTER(AmtItemStruct)]),
    "cmpay_notification_fee_fen": (c_status, [NotificationP, POINTER(c_uint64)]),
    "cmpay_notification_is_paid": (c_status, [NotificationP, POINTER(c_bool)]),
    "cmpay_notification_is_ambiguous": (c_status, [NotificationP, POINTER(c_bool)]),
    "cmpay_notification_other_readings": (c_status, [NotificationP, c_out_str]),
    "cmpay_notification_other_order_ids": (c_status, [NotificationP, c_out_str]),
    "cmpay_notification_rule_out": (c_status, [NotificationP, c_str]),
    "cmpay_notification_is_confirmed": (c_status, [NotificationP, POINTER(c_bool)]),
    "cmpay_notification_check_order": (c_status, [NotificationP, c_str, c_str, c_uint64]),
    "cmpay_notification_ack": (c_status, [NotificationP, c_out_str]),
    "cmpay_notification_free": (None, [NotificationP]),
    # client
    "cmpay_config_new": (c_status, [POINTER(ConfigP)]),
    "cmpay_config_set": (c_status, [ConfigP, c_str, c_str]),
    "cmpay_config_add_ca_pem": (c_status, [ConfigP, c_bytes, c_size_t]),
    "cmpay_config_free": (None, [ConfigP]),
    "cmpay_client_new": (c_status, [MerchantP, ConfigP, POINTER(ClientP)]),
    "cmpay_client_create_order": (c_status, [ClientP, c_bytes, c_size_t, POINTER(ResponseP)]),
    "cmpay_client_query_order": (c_status, [ClientP, c_str, POINTER(ResponseP)]),
    "cmpay_client_confirm": (c_status, [ClientP, NotificationP]),
    "cmpay_client_refund": (c_status, [ClientP, c_str, c_uint64, POINTER(ResponseP)]),
    "cmpay_client_free": (None, [ClientP]),
    "cmpay_config_set_logger": (c_status, [ConfigP, LogCallback, c_void_p, ctypes.c_int32]),
    "cmpay_client_parse_notification": (c_status, [ClientP, c_bytes, c_size_t, POINTER(NotificationP)]),
    "cmpay_client_from_env": (c_status, [ConfigP, POINTER(ClientP)]),
    "cmpay_client_from_vars": (c_status, [ConfigP, c_bytes, c_size_t, POINTER(ClientP)]),
    "cmpay_client_merchant": (c_status, [ClientP, POINTER(MerchantP)]),
    # the in-process simulator (cmpay.testing)
    "cmpay_sandbox_start": (c_status, [ctypes.c_uint32, POINTER(SandboxP)]),
    "cmpay_sandbox_endpoint_into": (c_status, [SandboxP, c_void_p, c_size_t, POINTER(c_size_t)]),
    "cmpay_sandbox_ca_pem_into": (c_status, [SandboxP, c_void_p, c_size_t, POINTER(c_size_t)]),
    "cmpay_sandbox_notify_url_into": (c_status, [SandboxP, c_void_p, c_size_t, POINTER(c_size_t)]),
    "cmpay_sandbox_merchant": (c_status, [SandboxP, POINTER(MerchantP)]),
    "cmpay_sandbox_client": (c_status, [SandboxP, POINTER(ClientP)]),
    "cmpay_sandbox_pay": (c_status, [SandboxP, c_str]),
    "cmpay_sandbox_fail": (c_status, [SandboxP, c_str]),
    "cmpay_sandbox_expire": (c_status, [SandboxP, c_str]),
    "cmpay_sandbox_wait_notified": (c_status, [SandboxP, c_str, ctypes.c_uint32]),
    "cmpay_sandbox_deliveries_into": (c_status, [SandboxP, c_void_p, c_size_t, POINTER(c_size_t)]),
    "cmpay_sandbox_free": (None, [SandboxP]),
    # code tables
    "cmpay_return_code_lookup": (c_status, [c_str, c_out_str, c_out_str, c_out_str]),
    "cmpay_bank_name": (c_status, [c_str, c_out_str]),
    # money
    "cmpay_yuan": (c_status, [c_uint64, c_out_str]),
}


class _State:
    lib: Optional[ctypes.CDLL] = None
    path: Optional[str] = None
    lock = threading.Lock()


def candidates(explicit: Optional[Union[str, "os.PathLike[str]"]] = None) -> List[Tuple[str, str, bool]]:
    """The places looked at, in order: (where, path, must_exist_as_given)."""
    name = library_file_name()
    out: List[Tuple[str, str, bool]] = []
    if explicit is not None:
        return [("explicit path", os.fspath(explicit), True)]
    env = os.environ.get(ENV_VAR)
    if env:
        return [("$" + ENV_VAR, env, True)]
    here = Path(__file__).resolve().parent
    out.append(("next to the package", str(here / name), False))
    for parent in here.parents:
        if (parent / "Cargo.toml").is_file():
            out.append(("source tree (release)", str(parent / "target" / "release" / name), False))
            out.append(("source tree (debug)", str(parent / "target" / "debug" / name), False))
            break
    found = ctypes.util.find_library("cmpay")
    if found:
        out.append(("system (find_library)", found, False))
    out.append(("system search path", name, False))
    return out


def _declare(lib: ctypes.CDLL) -> None:
    missing = []
    for fname, (restype, argtypes) in PROTOTYPES.items():
        try:
            fn = getattr(lib, fname)
        except AttributeError:
            missing.append(fname)
            continue
        fn.restype = restype
        fn.argtypes = argtypes
    if missing:
        raise LibraryNotFoundError(
            "the library at %s lacks %s: it is not a libcmpay with the C ABI this package expects (an older or foreign build?)"
            % (getattr(lib, "_name", "?"), ", ".join(missing)))


def load_library(path: Optional[Union[str, "os.PathLike[str]"]] = None) -> ctypes.CDLL:
    """Loads the library once per process and returns it. ``path`` is the
    explicit option; it must be given before the first use of the package,
    and may not name another file once a library is loaded."""
    with _State.lock:
        if _State.lib is not None:
            if path is not None and os.path.realpath(os.fspath(path)) != os.path.realpath(_State.path or ""):
                raise LibraryNotFoundError(
                    "libcmpay is already loaded from %s; load_library(%r) must come before any other use" % (_State.path, os.fspath(path)))
            return _State.lib
        tried = []
        for where, candidate, must in candidates(path):
            is_bare = os.sep not in candidate and (os.altsep is None or os.altsep not in candidate)
            if not is_bare and not os.path.exists(candidate):
                tried.append("%s: %s (no such file)" % (where, candidate))
                if must:
                    break
                continue
            try:
                lib = ctypes.CDLL(candidate)
            except OSError as e:
                tried.append("%s: %s (%s)" % (where, candidate, e))
                if must:
                    break
                continue
            _declare(lib)
            _State.lib, _State.path = lib, candidate
            return lib
        raise LibraryNotFoundError(
            "cannot load the cmpay shared library (%s). Tried:\n  %s\n%s"
            % (library_file_name(), "\n  ".join(tried), not_found_advice()))


def lib() -> ctypes.CDLL:
    l = _State.lib
    return l if l is not None else load_library()


def loaded_path() -> Optional[str]:
    """The path of the shared library this process loaded (public as
    ``cmpay.loaded_path()``), or None before anything has loaded it."""
    return _State.path


# ---------------------------------------------------------------- marshalling

def _text(b: Optional[bytes]) -> str:
    return b.decode("utf-8", "strict") if b else ""


def check(status: int) -> None:
    """The one place a status becomes an exception (with the thread-local
    last error, read right after the failing call on the same thread)."""
    if status == Status.OK:
        return
    l = lib()
    message = _text(l.cmpay_last_error())
    return_code = _text(l.cmpay_last_error_return_code())
    field = _text(l.cmpay_last_error_field())
    name = _text(l.cmpay_status_name(status)) or "CMPAY_STATUS_%d" % status
    raise _error_class(status)(message or name, status, name, return_code, field)


def cstr(value: Any, what: str = "argument") -> bytes:
    """A text argument as NUL-terminated UTF-8: refuses what would be altered
    on the way (embedded NUL, lone surrogates) instead of passing it on.
    ``None`` is a TypeError, as for Python's own functions."""
    if value is None:
        raise TypeError("%s must be str, not None" % what)
    if isinstance(value, bytes):
        data = value
    elif isinstance(value, str):
        try:
            data = value.encode("utf-8", "strict")
        except UnicodeEncodeError as e:
            raise InvalidInputError("%s is not valid Unicode text: %s" % (what, e), Status.INVALID_UTF8, "CMPAY_INVALID_UTF8") from None
    elif isinstance(value, int) and not isinstance(value, bool):
        data = str(value).encode("ascii")
    else:
        raise InvalidInputError("%s must be str, not %s" % (what, type(value).__name__), Status.INVALID_ARGUMENT, "CMPAY_INVALID_ARGUMENT")
    if b"\0" in data:
        raise InvalidInputError("%s contains a NUL character" % what, Status.INVALID_ARGUMENT, "CMPAY_INVALID_ARGUMENT")
    return data


def raw(value: Union[bytes, bytearray, memoryview, str], what: str = "body") -> bytes:
    """Bytes for a (pointer, length) argument. Text is sent as UTF-8; ``None``
    is a TypeError."""
    if value is None:
        raise TypeError("%s must be bytes or str, not None" % what)
    if isinstance(value, bytes):
        return value
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, str):
        try:
            return value.encode("utf-8", "strict")
        except UnicodeEncodeError as e:
            raise InvalidInputError("%s is not valid Unicode text: %s" % (what, e), Status.INVALID_UTF8, "CMPAY_INVALID_UTF8") from None
    raise InvalidInputError("%s must be bytes or str, not %s" % (what, type(value).__name__), Status.INVALID_ARGUMENT, "CMPAY_INVALID_ARGUMENT")


def take_string(ptr: c_void_p) -> str:
    """Copies an owned ``char *`` the library returned, then frees it."""
    if not ptr.value:
        return ""
    try:
        return ctypes.string_at(ptr.value).decode("utf-8", "strict")
    finally:
        lib().cmpay_string_free(ptr.value)
        ptr.value = None


def out_string(fn: Callable[..., int], *args: Any) -> str:
    """Calls ``fn(*args, char **out)`` and returns the owned string."""
    out = c_void_p()
    check(fn(*args, ctypes.byref(out)))
    return take_string(out)


def out_bytes(fn: Callable[..., int], *args: Any) -> bytes:
    """Calls a ``*_into`` function ``fn(*args, buf, buf_len, size_t *needed)``:
    a guess first, then exactly the size it asked for."""
    size = 1024
    for _ in range(2):
        buf = ctypes.create_string_buffer(size)
        needed = c_size_t(0)
        status = fn(*args, buf, size, ctypes.byref(needed))
        if status != Status.BUFFER_TOO_SMALL:
            check(status)
            return buf.raw[: needed.value]
        size = needed.value
    check(status)
    raise AssertionError("unreachable")


def out_string_or_none(fn: Callable[..., int], *args: Any) -> Optional[str]:
    """As ``out_string``, with NOT_FOUND as None."""
    out = c_void_p()
    status = fn(*args, ctypes.byref(out))
    if status == Status.NOT_FOUND:
        return None
    check(status)
    return take_string(out)


def free_strings(ptrs: Sequence[c_void_p]) -> None:
    for p in ptrs:
        if p.value:
            lib().cmpay_string_free(p.value)
            p.value = None
