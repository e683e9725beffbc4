"""The one carrier of field lists at the C ABI, both ways: NUL pairs
("name\\0value\\0...", UTF-8, every name and value followed by one NUL, no
escaping). Marshalling only: the library decides which fields exist, their
order on the wire, their charset and their signature."""

from __future__ import annotations

from itertools import chain
from typing import Dict, List, Mapping, Sequence, Tuple, Union

from .errors import InvalidInputError, Status

Value = Union[str, int]
Params = Union[Mapping[str, Value], Sequence[Tuple[str, Value]]]


def _bad(message: str, status: int = Status.INVALID_ARGUMENT) -> InvalidInputError:
    return InvalidInputError(message, status, "CMPAY_" + Status(status).name)


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
        name = next(n for n, v in pairs if "\0" in n or "\0" in v)
        raise _bad("parameter %r holds a NUL character, which no field may hold" % name)
    return body


def decode(pairs: bytes) -> Dict[str, str]:
    """NUL pairs from the library as a dict, in the order received."""
    parts = pairs.decode("utf-8").split("\0")[:-1]
    return dict(zip(parts[::2], parts[1::2]))
