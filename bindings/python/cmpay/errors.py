"""The exception hierarchy: one class per kind of failure, each carrying the
library's status code, its name, the message from ``cmpay_last_error()``, and,
where the library gives them, the gateway's return code and the field name.

::

    CmpayError
    ├── InvalidInputError          INVALID_ARGUMENT, NULL_POINTER, INVALID_UTF8, BUFFER_TOO_SMALL
    │   ├── FieldError             FIELD_INVALID  (.field, .return_code e.g. MCG01033)
    │   ├── InvalidKeyError        KEY
    │   └── ForgeableSourceError   FORGEABLE_SOURCE (signing refused: change the free text)
    ├── SignatureError             SIGNATURE_MISMATCH
    ├── AmbiguousError             AMBIGUOUS      (a verified notification that reads another way too)
    ├── NotConfirmedError          NOT_CONFIRMED  (the gateway's order query disagrees: record nothing)
    ├── ParseError                 PARSE
    ├── GatewayError               GATEWAY        (.return_code e.g. RPM22201)
    ├── NetworkError               TRANSPORT
    │   ├── NetworkTimeoutError    TIMEOUT        (also a built-in TimeoutError)
    │   └── TlsError               TLS
    ├── NotFoundError              NOT_FOUND      (also a LookupError)
    ├── InternalError              PANIC, and any status this version does not know
    └── LibraryNotFoundError       the shared library could not be found or loaded

The names follow one scheme in the four bindings (docs in each README): the
same stem, with each language's affixes: ``NetworkTimeoutError`` here,
``NetworkTimeoutException`` in PHP, ``CmpayNetworkTimeoutException`` in .NET
and Java. Arguments of the wrong Python type (``None`` included) raise the
built-in ``TypeError``, as Python's own functions do.
"""

from __future__ import annotations

import enum
from typing import Dict, Optional, Type


class Status(enum.IntEnum):
    """``cmpay_status`` values (stable; the library only ever appends)."""

    OK = 0
    INVALID_ARGUMENT = 1
    FIELD_INVALID = 2
    KEY = 3
    SIGNATURE_MISMATCH = 4
    PARSE = 5
    GATEWAY = 6
    TRANSPORT = 7
    TIMEOUT = 8
    TLS = 9
    AMBIGUOUS = 10
    NOT_CONFIRMED = 11
    FORGEABLE_SOURCE = 12
    NULL_POINTER = 100
    INVALID_UTF8 = 101
    PANIC = 102
    NOT_FOUND = 103
    BUFFER_TOO_SMALL = 104


class CmpayError(Exception):
    """Base of every error raised by this package."""

    def __init__(
        self,
        message: str,
        status: int = -1,
        status_name: str = "",
        return_code: Optional[str] = None,
        field: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        #: the numeric ``cmpay_status`` (-1 for errors raised by the wrapper itself)
        self.status = status
        #: e.g. ``"CMPAY_GATEWAY"``
        self.status_name = status_name
        #: the gateway's return code (GatewayError, and FieldError where the gateway has one)
        self.return_code = return_code or None
        #: the field at fault (FieldError)
        self.field = field or None

    def __str__(self) -> str:
        return "%s: %s" % (self.status_name, self.message) if self.status_name else self.message

    def __repr__(self) -> str:
        return "%s(status=%d, status_name=%r, message=%r, return_code=%r, field=%r)" % (
            type(self).__name__, self.status, self.status_name, self.message, self.return_code, self.field)


class InvalidInputError(CmpayError, ValueError):
    """A caller-supplied value is wrong (also NULL pointers and invalid UTF-8)."""


class FieldError(InvalidInputError):
    """A field fails its table's rule; ``field`` names it, ``return_code`` is the
    code the gateway itself would have answered with (MCG01033, ...) if any."""


class InvalidKeyError(InvalidInputError):
    """A key could not be loaded or was refused (too short, wrong type)."""


class ForgeableSourceError(InvalidInputError):
    """The request was not signed: its signature source (the values joined
    with no separator) also reads as a message the gateway sends this
    merchant, so its hmac would forge one. Change the free-text fields
    (reserved1, reserved2, productName, ...) and sign again."""


class SignatureError(CmpayError):
    """A message's hmac does not match its contents. Never answer SUCCESS."""


class ParseError(CmpayError):
    """A body or value is malformed."""


class AmbiguousError(CmpayError):
    """A verified notification whose signed source has another reading (another
    order, amount, payNo, status or type) that the shop has not ruled out
    (``Notification.rule_out``) and the gateway has not confirmed
    (``Client.confirm``): the bytes cannot say which was meant. Also raised by
    ``Client.confirm`` when the gateway's answer is itself ambiguous. Record
    nothing; never answer SUCCESS."""


class NotConfirmedError(CmpayError):
    """The gateway's answer to the order query does not confirm the
    notification (another status, amount or payNo, or another order): record
    nothing; never answer SUCCESS."""


class GatewayError(CmpayError):
    """The gateway answered with a return code other than success."""


class NetworkError(CmpayError):
    """DNS, connect, reset, or an HTTP status without a usable body."""


class NetworkTimeoutError(NetworkError, TimeoutError):
    """The gateway did not answer in time. An order may still have been created:
    query it before creating it again. Also a built-in ``TimeoutError`` (so an
    ``except TimeoutError`` around any I/O catches it too)."""

    def __new__(cls, message: str = "", *args: object, **kwargs: object) -> "NetworkTimeoutError":
        # OSError (TimeoutError's base) would read the extra constructor
        # arguments as errno, strerror and filename: give it the message only.
        return TimeoutError.__new__(cls, message)  # type: ignore[return-value]


class TlsError(NetworkError):
    """The TLS handshake or certificate verification failed."""


class NotFoundError(CmpayError, LookupError):
    """A field or code that does not exist."""


class InternalError(CmpayError):
    """A panic inside the library, or a status this version does not know."""


class LibraryNotFoundError(CmpayError):
    """The shared library (libcmpay.so, libcmpay.dylib, cmpay.dll) could not be
    found or loaded; the message lists every place tried."""


_BY_STATUS: Dict[int, Type[CmpayError]] = {
    Status.INVALID_ARGUMENT: InvalidInputError,
    Status.FIELD_INVALID: FieldError,
    Status.KEY: InvalidKeyError,
    Status.SIGNATURE_MISMATCH: SignatureError,
    Status.PARSE: ParseError,
    Status.GATEWAY: GatewayError,
    Status.TRANSPORT: NetworkError,
    Status.TIMEOUT: NetworkTimeoutError,
    Status.TLS: TlsError,
    Status.AMBIGUOUS: AmbiguousError,
    Status.NOT_CONFIRMED: NotConfirmedError,
    Status.FORGEABLE_SOURCE: ForgeableSourceError,
    Status.NULL_POINTER: InvalidInputError,
    Status.INVALID_UTF8: InvalidInputError,
    Status.PANIC: InternalError,
    Status.NOT_FOUND: NotFoundError,
    Status.BUFFER_TOO_SMALL: InvalidInputError,
}


def _error_class(status: int) -> Type[CmpayError]:
    """The exception class for a non-OK status (internal)."""
    return _BY_STATUS.get(status, InternalError)
