"""The merchant (id and keys), the requests it signs, and what it verifies."""

from __future__ import annotations

import ctypes
import enum
from typing import Optional, Union

from . import _native, _pairs
from ._handle import Handle
from .messages import Notification, Response

Bytes = Union[bytes, bytearray, memoryview, str]

class MessageKind(str, enum.Enum):
    """Message kinds, as the C ABI names them (each member is also its str)."""

    ORDER_REQUEST = "order-request"
    ORDER_RESPONSE = "order-response"
    NOTIFY = "notify"
    QUERY_REQUEST = "query-request"
    QUERY_RESPONSE = "query-response"
    REFUND_REQUEST = "refund-request"
    REFUND_RESPONSE = "refund-response"

    def __str__(self) -> str:
        return str(self.value)


#: The same kinds as plain strings (the names of version 0.1.0).
ORDER_REQUEST = MessageKind.ORDER_REQUEST.value
ORDER_RESPONSE = MessageKind.ORDER_RESPONSE.value
NOTIFY = MessageKind.NOTIFY.value
QUERY_REQUEST = MessageKind.QUERY_REQUEST.value
QUERY_RESPONSE = MessageKind.QUERY_RESPONSE.value
REFUND_REQUEST = MessageKind.REFUND_REQUEST.value
REFUND_RESPONSE = MessageKind.REFUND_RESPONSE.value

_KINDS = {k.value: k.value.encode("ascii") for k in MessageKind}


def _kind(kind: str) -> bytes:
    return _KINDS.get(kind) or _native.cstr(kind, "kind")  # a MessageKind hashes as its str


class SignedRequest(Handle):
    """A completed, validated and signed request, ready to POST."""

    __slots__ = ()

    def __init__(self, ptr: "_native.SignedRequestP") -> None:  # type: ignore[valid-type]
        super().__init__(ptr, _native.lib().cmpay_signed_request_free)

    @property
    def body(self) -> str:
        """The form body to POST (ASCII, percent-encoded in the request's charset)."""
        return _native.out_string(_native.lib().cmpay_signed_request_body, self._p)

    @property
    def content_type(self) -> str:
        """e.g. ``application/x-www-form-urlencoded; charset=GBK``."""
        return _native.out_string(_native.lib().cmpay_signed_request_content_type, self._p)

    @property
    def hmac(self) -> str:
        return _native.out_string(_native.lib().cmpay_signed_request_hmac, self._p)

    @property
    def source(self) -> str:
        """The signature source text (for diagnosing IPS0008)."""
        return _native.out_string(_native.lib().cmpay_signed_request_source, self._p)

    def html_form(self, action: str) -> str:
        """The request as an HTML page whose form the shopper's browser submits
        at once (POST) to ``action``, the gateway's cmpayService URL: how a
        GWDirectPay (bank gateway) order is sent, from the browser."""
        return _native.out_string(_native.lib().cmpay_signed_request_html_form, self._p, _native.cstr(action, "action"))

    def field(self, name: str) -> Optional[str]:
        """A field's value as sent (defaults filled in), or None if absent."""
        return _native.out_string_or_none(_native.lib().cmpay_signed_request_field, self._p, _native.cstr(name, "name"))

    def __getitem__(self, name: str) -> str:
        value = self.field(name)
        if value is None:
            raise KeyError(name)
        return value


class Merchant(Handle):
    """A merchant at the gateway. Immutable; may be shared by threads.

    >>> m = Merchant.md5("888009941120001", sign_key)
    """

    __slots__ = ()

    def __init__(self, ptr: "_native.MerchantP") -> None:  # type: ignore[valid-type]
        super().__init__(ptr, _native.lib().cmpay_merchant_free)

    @classmethod
    def md5(cls, merchant_id: str, sign_key: str) -> "Merchant":
        """A merchant signing with MD5 and its 64-character signKey."""
        lib = _native.lib()
        out = _native.MerchantP()
        _native.check(lib.cmpay_merchant_new_md5(_native.cstr(merchant_id, "merchant_id"), _native.cstr(sign_key, "sign_key"), ctypes.byref(out)))
        return cls(out)

    @classmethod
    def rsa(cls, merchant_id: str, private_key: Bytes, gateway_public_key: Bytes, allow_legacy_1024: bool = False) -> "Merchant":
        """A merchant signing with RSA (SHA1withRSA). Keys as PEM, DER, PKCS#1,
        PKCS#8, X.509 certificate or hex; the gateway's key is what every
        answer and notification is verified with (serverCert is never trusted)."""
        lib = _native.lib()
        key = _native.raw(private_key, "private_key")
        gateway = _native.raw(gateway_public_key, "gateway_public_key")
        out = _native.MerchantP()
        _native.check(lib.cmpay_merchant_new_rsa(_native.cstr(merchant_id, "merchant_id"), key, len(key), gateway, len(gateway), bool(allow_legacy_1024), ctypes.byref(out)))
        return cls(out)

    # ---- requests

    def sign_request(self, kind: str, params: "_pairs.Params") -> SignedRequest:
        """Completes (merchantId, signType, a new requestId when absent, and the
        defaults), validates and signs a request: kind is MessageKind.ORDER_REQUEST,
        QUERY_REQUEST or REFUND_REQUEST."""
        body = _pairs.encode(params)
        out = _native.SignedRequestP()
        _native.check(_native.lib().cmpay_merchant_sign_request(self._p, _kind(kind), body, len(body), ctypes.byref(out)))
        return SignedRequest(out)

    def sign_order(self, params: "_pairs.Params") -> SignedRequest:
        return self.sign_request(ORDER_REQUEST, params)

    def sign_query(self, params: "_pairs.Params") -> SignedRequest:
        return self.sign_request(QUERY_REQUEST, params)

    def sign_refund(self, params: "_pairs.Params") -> SignedRequest:
        return self.sign_request(REFUND_REQUEST, params)

    def hmac(self, kind: str, params: "_pairs.Params") -> str:
        """The hmac over exactly the given fields of any kind: no defaults, no
        validation (like ``cmpay sign``)."""
        body = _pairs.encode(params)
        return _native.out_string(_native.lib().cmpay_merchant_hmac, self._p, _kind(kind), body, len(body))

    # ---- what the gateway sends

    def verify(self, kind: str, body: Bytes) -> None:
        """Verifies a received body of any kind, as it arrived on the wire.
        Raises SignatureError or ParseError; returns None when it holds."""
        data = _native.raw(body)
        _native.check(_native.lib().cmpay_merchant_verify(self._p, _kind(kind), data, len(data)))

    def parse_response(self, kind: str, body: Bytes) -> Response:
        """Parses and verifies a gateway answer (order-response, query-response,
        refund-response). A return code other than success raises GatewayError."""
        data = _native.raw(body)
        out = _native.ResponseP()
        _native.check(_native.lib().cmpay_response_parse(self._p, _kind(kind), data, len(data), ctypes.byref(out)))
        return Response(out)

    def parse_notification(self, body: Bytes) -> Notification:
        """Parses and verifies a PageNotify/OfflineNotify body exactly as it
        arrived (the raw POST body or query string, never a re-encoded form).
        Only a verified notification is returned."""
        data = _native.raw(body)
        out = _native.NotificationP()
        _native.check(_native.lib().cmpay_notification_parse(self._p, data, len(data), ctypes.byref(out)))
        return Notification(out)
