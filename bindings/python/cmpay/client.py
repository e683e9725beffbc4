"""The network client: create order, query, refund (blocking; the GIL is
released while the library waits on the gateway)."""

from __future__ import annotations

import ctypes
from typing import Iterable, Optional, Union

from . import _native, _pairs
from ._handle import Handle
from .merchant import Merchant
from .messages import Notification, Response, _amount

Pem = Union[bytes, str]


class Client(Handle):
    """A client for one merchant. Immutable once built; may be shared by threads.

    Options (all optional; the library's defaults apply otherwise):
    ``endpoint`` (the gateway URL), ``charset`` ("00" GBK, "01" GB2312, "02"
    UTF-8), ``connect_timeout_ms``, ``timeout_ms``, ``proxy``, ``allow_http``
    (only for a test gateway), ``ca_pem`` (extra trusted CA certificates).
    """

    __slots__ = ("merchant",)

    def __init__(
        self,
        merchant: Merchant,
        *,
        endpoint: Optional[str] = None,
        charset: Optional[str] = None,
        connect_timeout_ms: Optional[int] = None,
        timeout_ms: Optional[int] = None,
        proxy: Optional[str] = None,
        allow_http: Optional[bool] = None,
        ca_pem: Union[None, Pem, Iterable[Pem]] = None,
    ) -> None:
        if not isinstance(merchant, Merchant):
            raise TypeError("merchant must be a cmpay.Merchant, not %s" % type(merchant).__name__)
        lib = _native.lib()
        config = _native.ConfigP()
        _native.check(lib.cmpay_config_new(ctypes.byref(config)))
        try:
            settings = [
                ("endpoint", endpoint),
                ("charset", charset),
                ("connect_timeout_ms", connect_timeout_ms),
                ("timeout_ms", timeout_ms),
                ("proxy", proxy),
                ("allow_http", None if allow_http is None else ("true" if allow_http else "false")),
            ]
            for name, value in settings:
                if value is not None:
                    _native.check(lib.cmpay_config_set(config, name.encode(), _native.cstr(value, name)))
            if ca_pem is not None:
                for pem in [ca_pem] if isinstance(ca_pem, (bytes, str)) else ca_pem:
                    data = _native.raw(pem, "ca_pem")
                    _native.check(lib.cmpay_config_add_ca_pem(config, data, len(data)))
            out = _native.ClientP()
            _native.check(lib.cmpay_client_new(merchant._p, config, ctypes.byref(out)))
        finally:
            lib.cmpay_config_free(config)
        super().__init__(out, lib.cmpay_client_free)
        self.merchant = merchant

    def create_order(self, params: "_pairs.Params") -> Response:
        """Signs and sends a DirectPayConfirm (requestId filled in when absent)
        and returns the verified answer; never retried blindly. On
        NetworkTimeoutError the order may exist: query before creating again."""
        body = _pairs.encode(params)
        out = _native.ResponseP()
        _native.check(_native.lib().cmpay_client_create_order(self._p, body, len(body), ctypes.byref(out)))
        return Response(out)

    def query_order(self, order_id: str) -> Response:
        out = _native.ResponseP()
        _native.check(_native.lib().cmpay_client_query_order(self._p, _native.cstr(order_id, "order_id"), ctypes.byref(out)))
        return Response(out)

    def confirm(self, notification: Notification) -> None:
        """Confirms a notification with the gateway: queries its orderId
        (OrderQuery) and marks it confirmed when the verified answer agrees
        (the same merchantId and orderId, one reading, and for a paid
        notification status SUCCESS with the same amount and payNo); then
        ``check_order`` passes it although it is ambiguous. Raises
        NotConfirmedError when the gateway disagrees, AmbiguousError when its
        answer reads another way too, GatewayError (e.g. RPM22201, no such
        order), NetworkError, NetworkTimeoutError or TlsError otherwise: in
        each case the notification stays unconfirmed: record nothing."""
        if not isinstance(notification, Notification):
            raise TypeError("notification must be a cmpay.Notification, not %s" % type(notification).__name__)
        _native.check(_native.lib().cmpay_client_confirm(self._p, notification._p))

    def refund(self, order_id: str, amount_fen: int) -> Response:
        out = _native.ResponseP()
        _native.check(_native.lib().cmpay_client_refund(self._p, _native.cstr(order_id, "order_id"), _amount(amount_fen), ctypes.byref(out)))
        return Response(out)
