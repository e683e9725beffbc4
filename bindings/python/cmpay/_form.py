"""The bulk-parameter convention of the C ABI: one UTF-8 form body
("name=value&..."). This is marshalling only: the library decides which
fields exist, their order on the wire, their charset and their signature.

Only the characters the form syntax itself needs are percent-encoded ('%',
'&', '=', '+', and NUL); everything else crosses as UTF-8, which the library's
parser takes as is. That keeps the crossing a handful of C-level string
operations instead of urllib's per-byte quoting.
"""

from __future__ import annotations

from typing import Dict, List, Mapping, Sequence, Tuple, Union
from urllib.parse import parse_qsl

from .errors import InvalidInputError, Status

Value = Union[str, int]
Params = Union[Mapping[str, Value], Sequence[Tuple[str, Value]]]

_PAIR = "\x01"  # stand-ins for '&' and '=' while escaping; checked below
_EQ = "\x02"
_ESCAPES = {"%": "%25", "&": "%26", "=": "%3D", "+": "%2B", "\0": "%00", _PAIR: "%01", _EQ: "%02"}


def _bad(message: str, status: int = Status.INVALID_ARGUMENT) -> InvalidInputError:
    return InvalidInputError(message, status, "CMPAY_" + Status(status).name)


def _escape(text: str) -> str:
    return "".join(_ESCAPES.get(c, c) for c in text)


def encode(params: Params) -> bytes:
    if isinstance(params, Mapping):
        try:
            # Fast path, all in C: a mapping's items are pairs; join refuses
            # anything but str (ints, bools...), which the slow path sorts out.
            return _join(list(map(_EQ.join, params.items())))  # type: ignore[arg-type]
        except TypeError:
            pass
    return _join(_parts(params))


def _parts(params: Params) -> List[str]:
    """Names and values checked one by one (ints become text)."""
    items = params.items() if isinstance(params, Mapping) else params
    parts: List[str] = []
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
            parts.append(name + _EQ + value)
    except (TypeError, ValueError) as e:
        if isinstance(e, InvalidInputError):
            raise
        raise _bad("parameters must be a mapping or (name, value) pairs") from None
    return parts


def _join(parts: List[str]) -> bytes:
    try:
        body = _PAIR.join(parts).encode("utf-8", "strict")
    except UnicodeEncodeError as e:
        raise _bad("parameter is not valid Unicode text: %s" % e, Status.INVALID_UTF8) from None
    if body.count(b"\x01") != len(parts) - (1 if parts else 0) or body.count(b"\x02") != len(parts):
        # A name or value holds one of the stand-ins: escape pair by pair.
        text = "&".join(_escape(p.split(_EQ, 1)[0]) + "=" + _escape(p.split(_EQ, 1)[1]) for p in parts)
        return text.encode("utf-8")
    # Byte-level replaces (UTF-8 never has these bytes inside a multi-byte character).
    return (body.replace(b"%", b"%25").replace(b"&", b"%26").replace(b"=", b"%3D").replace(b"+", b"%2B")
            .replace(b"\0", b"%00").replace(b"\x01", b"&").replace(b"\x02", b"="))


def decode(body: str) -> Dict[str, str]:
    return dict(parse_qsl(body, keep_blank_values=True, strict_parsing=True, encoding="utf-8", errors="strict"))
