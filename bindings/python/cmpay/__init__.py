"""cmpay: the merchant side of China Mobile's CMPay (和包) gateway.

A thin wrapper over libcmpay's C ABI (ctypes); all protocol logic lives in the
library. See README.md.
"""

from __future__ import annotations

from ._native import ENV_VAR, load_library, loaded_path
from .client import Client
from .codes import ReturnCode, bank_name, return_code_info
from .money import yuan
from .errors import (
    AmbiguousError,
    CmpayError,
    FieldError,
    ForgeableSourceError,
    GatewayError,
    InternalError,
    InvalidInputError,
    InvalidKeyError,
    LibraryNotFoundError,
    NetworkError,
    NetworkTimeoutError,
    NotConfirmedError,
    NotFoundError,
    ParseError,
    SignatureError,
    Status,
    TlsError,
)
from .merchant import (
    NOTIFY,
    ORDER_REQUEST,
    ORDER_RESPONSE,
    QUERY_REQUEST,
    QUERY_RESPONSE,
    REFUND_REQUEST,
    REFUND_RESPONSE,
    Merchant,
    MessageKind,
    SignedRequest,
)
from .messages import CST, AmtItem, Notification, OrderStatus, PayUrl, Response

__version__ = "0.2.0"


def version() -> str:
    """The loaded library's version (e.g. "0.2.0")."""
    from . import _native

    return (_native.lib().cmpay_version() or b"").decode("utf-8")


def status_name(status: int) -> str:
    """The library's name for a status, e.g. "CMPAY_GATEWAY"."""
    from . import _native

    return (_native.lib().cmpay_status_name(int(status)) or b"").decode("utf-8")


__all__ = [
    "AmbiguousError", "AmtItem", "CST", "Client", "CmpayError", "ENV_VAR", "FieldError", "ForgeableSourceError", "GatewayError", "InternalError",
    "InvalidInputError", "InvalidKeyError", "LibraryNotFoundError", "Merchant", "MessageKind", "NOTIFY", "NetworkError",
    "NetworkTimeoutError", "NotConfirmedError", "NotFoundError", "Notification", "ORDER_REQUEST", "ORDER_RESPONSE", "OrderStatus", "ParseError",
    "PayUrl", "QUERY_REQUEST", "QUERY_RESPONSE", "REFUND_REQUEST", "REFUND_RESPONSE", "Response",
    "ReturnCode", "SignatureError", "SignedRequest", "Status", "TlsError", "bank_name", "load_library",
    "loaded_path", "return_code_info", "status_name", "version", "yuan",
]
