"""The gateway's return codes and bank codes (tables kept in the library)."""

from __future__ import annotations

import ctypes
from typing import NamedTuple, Optional

from . import _native
from .errors import Status


class ReturnCode(NamedTuple):
    code: str  # canonical spelling
    chinese: str
    english: str


def return_code_info(code: str) -> Optional[ReturnCode]:
    """What a gateway return code means (either spelling, e.g. MCG01088 or
    C01088), or None when the library does not know it."""
    lib = _native.lib()
    outs = [ctypes.c_void_p(), ctypes.c_void_p(), ctypes.c_void_p()]
    status = lib.cmpay_return_code_lookup(_native.cstr(code, "code"), *[ctypes.byref(o) for o in outs])
    try:
        if status == Status.NOT_FOUND:
            return None
        _native.check(status)
        return ReturnCode(*[_native.take_string(o) for o in outs])
    finally:
        _native.free_strings(outs)


def bank_name(bank_code: str) -> Optional[str]:
    """The bank's Chinese name for a bankAbbr code (e.g. ICBC), or None."""
    return _native.out_string_or_none(_native.lib().cmpay_bank_name, _native.cstr(bank_code, "bank_code"))
