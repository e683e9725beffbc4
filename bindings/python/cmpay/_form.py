"""The bulk-parameter conventions of the C ABI. This is marshalling only: the
library decides which fields exist, their order on the wire, their charset
and their signature.

Parameters cross as NUL-terminated pairs ("name\\0value\\0...\\0", every
name and value followed by one NUL, so an empty last value survives), UTF-8 with
no escaping: one C-level join here, no decoding in the library. Only when a
name or value itself holds a NUL do they cross as a form body ("name=value&",
with '%', '&', '=', '+' and NUL percent-encoded), which the library also takes.
"""

from __future__ import annotations

from itertools import chain
from typing import Dict, List, Mapping, Sequence, Tuple, Union
from urllib.parse import parse_qsl

from .errors import InvalidInputError, Status

Value = Union[str, int]
Params = Union[Mapping[str, Value], Sequence[Tuple[str, Value]]]

_ESCAPES = {"%": "%25", "&": "%26", "=": "%3D", "+": "%2B", "\0": "%00"}


def _bad(message: str, status: int = Status.INVALID_ARGUMENT) -> InvalidInputError:
    return InvalidInputError(message, status, "CMPAY_" + Status(status).name)


def _escape(text: str) -> str:
    return "".join(_ESCAPES.get(c, c) for c in text)


def encode(params: Params) -> bytes:
    if params is None:
        raise TypeError("parameters must be a mapping or (name, value) pairs, not None")
    if isinstance(params, Mapping):
        try:
            # Fast path, all in C: join refuses anything but str (ints,
            # bools...), which the slow path sorts out.
            return _nul_pairs(list(params.items()))  # type: ignore[arg-type]
        except TypeError:
            pass
    return _nul_pairs(_parts(params))


def _parts(params: Params) -> List[Tuple[str, str]]:
    """Names and values checked one by one (ints become text)."""
    items = params.items() if isinstance(params, Mapping) else params
    parts: List[Tuple[str, str]] = []
    try:
        for pair in items:
            if not isinstance(pair, (tuple, list)) or len(pair) != 2:
                raise TypeError
            name, value = pair
            if type(value) is not str:
                if isinstance(value, bool) or not isinstance(value, (str, int)):
                    raise _bad("parameter %s must be str or int, not %s" % (name, type(value).__name__))
                value = str(value)
            if type(name) is not str:
                raise _bad("parameter names must be str, not %s" % type(name).__name__)
            parts.append((name, value))
    except (TypeError, ValueError) as e:
        if isinstance(e, InvalidInputError):
            raise
        raise _bad("parameters must be a mapping or (name, value) pairs") from None
    return parts


def _nul_pairs(pairs: List[Tuple[str, str]]) -> bytes:
    if not pairs:
        return b""
    try:
        body = ("\0".join(chain.from_iterable(pairs)) + "\0").encode("utf-8", "strict")
    except UnicodeEncodeError as e:
        raise _bad("parameter is not valid Unicode text: %s" % e, Status.INVALID_UTF8) from None
    if body.count(b"\0") != 2 * len(pairs):
        # A name or value holds a NUL itself: a form body keeps it as %00.
        return "&".join(_escape(name) + "=" + _escape(value) for name, value in pairs).encode("utf-8")
    return body


def decode(body: str) -> Dict[str, str]:
    return dict(parse_qsl(body, keep_blank_values=True, strict_parsing=True, encoding="utf-8", errors="strict"))
