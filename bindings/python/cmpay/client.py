"""The network client: create order, query, refund (blocking; the GIL is
released while the library waits on the gateway)."""

from __future__ import annotations

import ctypes
import logging
from typing import Iterable, Optional, Union

from . import _native, _pairs
from ._handle import Handle
from .merchant import Merchant
from .messages import Notification, Response, _amount

Pem = Union[bytes, str]

# A library's logger stays silent until the application configures logging
# (no "last resort" output of its warnings to stderr).
logging.getLogger("cmpay").addHandler(logging.NullHandler())

#: The library's log levels (cmpay_log_level) as the logging module's.
_LEVELS = {1: logging.ERROR, 2: logging.WARNING, 3: logging.INFO, 4: logging.DEBUG}


def _min_level(logger: logging.Logger) -> int:
    """The most verbose cmpay_log_level the logger takes now (0: none)."""
    for native in (4, 3, 2, 1):
        if logger.isEnabledFor(_LEVELS[native]):
            return native
    return 0


def _make_log_callback(logger: logging.Logger) -> "_native.LogCallback":  # type: ignore[name-defined]
    """A callback handing each record to ``logger``; it never raises into
    the library (a failing handler loses that record only)."""

    def callback(_user_data: object, level: int, event: bytes, message: bytes) -> None:
        try:
            name = event.decode("utf-8", "replace")
            logger.log(_LEVELS.get(level, logging.ERROR), "%s %s", name, message.decode("utf-8", "replace"),
                       extra={"cmpay_event": name})
        except BaseException:  # noqa: BLE001 - nothing may unwind into the library
            pass

    return _native.LogCallback(callback)


class Client(Handle):
    """A client for one merchant. Immutable once built; may be shared by threads.

    Options (all optional; the library's defaults apply otherwise):
    ``endpoint`` (the gateway URL), ``charset`` ("00" GBK, "01" GB2312, "02"
    UTF-8), ``connect_timeout_ms``, ``timeout_ms``, ``proxy``, ``allow_http``
    (only for a test gateway), ``ca_pem`` (extra trusted CA certificates).

    Every exchange is logged through the standard ``logging`` module, to the
    logger named ``cmpay`` (or the one given as ``logger``; ``logger=False``
    switches logging off): requests sent, answers received, notifications
    verified or refused (``parse_notification``), retries, timeouts and TLS
    failures at INFO, WARNING and ERROR, the bodies at DEBUG with their hmac
    redacted. Each record's message starts with its event name (e.g.
    ``request.sent``), also in the record's ``cmpay_event`` attribute. The
    levels the logger takes are read when the client is made: configure
    logging first. Never logged: the signKey, a private key, any hmac.
    """

    __slots__ = ("merchant", "_log_callback")

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
        logger: Union[None, bool, logging.Logger] = None,
    ) -> None:
        if not isinstance(merchant, Merchant):
            raise TypeError("merchant must be a cmpay.Merchant, not %s" % type(merchant).__name__)
        self._build(merchant, endpoint, charset, connect_timeout_ms, timeout_ms, proxy, allow_http, ca_pem, logger)

    @classmethod
    def from_env(
        cls,
        *,
        endpoint: Optional[str] = None,
        charset: Optional[str] = None,
        connect_timeout_ms: Optional[int] = None,
        timeout_ms: Optional[int] = None,
        proxy: Optional[str] = None,
        allow_http: Optional[bool] = None,
        ca_pem: Union[None, Pem, Iterable[Pem]] = None,
        logger: Union[None, bool, logging.Logger] = None,
    ) -> "Client":
        """A client configured from the environment: ``CMPAY_MERCHANT_ID``,
        ``CMPAY_SIGN_KEY`` or ``CMPAY_SIGN_KEY_FILE`` (MD5), or
        ``CMPAY_RSA_PRIVATE_KEY_FILE`` and ``CMPAY_RSA_PUBLIC_KEY_FILE`` (RSA),
        and optionally ``CMPAY_ENDPOINT``, ``CMPAY_CHARSET``,
        ``CMPAY_CONNECT_TIMEOUT_MS``, ``CMPAY_TIMEOUT_MS``, ``CMPAY_PROXY``,
        ``CMPAY_EXTRA_CA_FILE``, ``CMPAY_ALLOW_HTTP`` (the library reads them:
        the same names and rules in every language). The keyword options are
        the base the variables override. A bad value raises an error naming
        its variable."""
        self = cls.__new__(cls)
        self._build(None, endpoint, charset, connect_timeout_ms, timeout_ms, proxy, allow_http, ca_pem, logger)
        return self

    def _build(self, merchant: Optional[Merchant], endpoint: Optional[str], charset: Optional[str],
               connect_timeout_ms: Optional[int], timeout_ms: Optional[int], proxy: Optional[str],
               allow_http: Optional[bool], ca_pem: Union[None, Pem, Iterable[Pem]],
               logger: Union[None, bool, logging.Logger]) -> None:
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
            callback = None
            if logger is not False:
                if logger is None or logger is True:
                    logger = logging.getLogger("cmpay")
                if not isinstance(logger, logging.Logger):
                    raise TypeError("logger must be a logging.Logger, None or False, not %s" % type(logger).__name__)
                level = _min_level(logger)
                if level:
                    callback = _make_log_callback(logger)
                    _native.check(lib.cmpay_config_set_logger(config, callback, None, level))
            out = _native.ClientP()
            if merchant is None:
                _native.check(lib.cmpay_client_from_env(config, ctypes.byref(out)))
            else:
                _native.check(lib.cmpay_client_new(merchant._p, config, ctypes.byref(out)))
        finally:
            lib.cmpay_config_free(config)
        Handle.__init__(self, out, lib.cmpay_client_free)
        if merchant is None:
            m = _native.MerchantP()
            _native.check(lib.cmpay_client_merchant(out, ctypes.byref(m)))
            merchant = Merchant(m)
        self.merchant = merchant
        # Kept as long as the client: the library calls it until the client is freed.
        self._log_callback = callback

    def parse_notification(self, body: Union[bytes, str]) -> Notification:
        """As ``Merchant.parse_notification`` for this client's merchant,
        logging ``notify.verified`` (orderId, payNo, amount, status) or
        ``notify.refused`` (why). No network."""
        data = _native.raw(body)
        out = _native.NotificationP()
        _native.check(_native.lib().cmpay_client_parse_notification(self._p, data, len(data), ctypes.byref(out)))
        return Notification(out)

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
