"""What the gateway sends: its answers and its notifications, both verified."""

from __future__ import annotations

import ctypes
import datetime
import enum
from typing import Any, Dict, List, NamedTuple, Optional

from . import _native, _pairs
from ._handle import Handle
from .errors import ParseError, Status


class OrderStatus(enum.IntEnum):
    """An order's state as a query answer gives it (``cmpay_order_status``,
    decided by the library): status SUCCESS is PAID, FAILED is FAILED, any
    other value or none PENDING."""

    PENDING = 0
    PAID = 1
    FAILED = 2


class PayUrl(NamedTuple):
    """The payUrl token of an order response."""

    url: str
    method: str
    session_id: str


class AmtItem(NamedTuple):
    """How a paid amount splits, in fen."""

    cash: int  # CNY_AMT
    prepaid: int  # CMY_AMT
    coupon: int  # RED_AMT
    voucher: int  # VCH_AMT
    points: int  # POT_CHG_AMT


class _Fields(Handle):
    __slots__ = ()
    _field_fn = ""
    _fields_fn = ""

    def field(self, name: str) -> Optional[str]:
        """A field's decoded value, or None when absent."""
        fn = getattr(_native.lib(), self._field_fn)
        return _native.out_string_or_none(fn, self._p, _native.cstr(name, "name"))

    def fields(self) -> Dict[str, str]:
        """Every field, decoded, in the order received."""
        return _pairs.decode(_native.out_bytes(getattr(_native.lib(), self._fields_fn), self._p))

    def __getitem__(self, name: str) -> str:
        value = self.field(name)
        if value is None:
            raise KeyError(name)
        return value

    def get(self, name: str, default: Optional[str] = None) -> Optional[str]:
        value = self.field(name)
        return default if value is None else value


    # ---- typed getters shared by answers and notifications (None when absent or empty)

    @property
    def pay_no(self) -> Optional[str]:
        """The gateway's transaction number: the key for processing a payment once."""
        return self.field("payNo") or None

    @property
    def order_id(self) -> Optional[str]:
        return self.field("orderId") or None

    @property
    def merchant_id(self) -> Optional[str]:
        return self.field("merchantId") or None

    @property
    def order_date(self) -> Optional[datetime.date]:
        """orderDate (YYYYMMDD) as a date."""
        return _date(self.field("orderDate"), "orderDate", "%Y%m%d")

    @property
    def pay_date(self) -> Optional[datetime.datetime]:
        """payDate (YYYYMMDDHHmmss, the gateway's time) as a timezone-aware
        datetime in China Standard Time (``tzinfo`` UTC+08:00, :data:`CST`)."""
        return _date(self.field("payDate"), "payDate", "%Y%m%d%H%M%S")


#: China Standard Time (UTC+08:00), the gateway's clock: the ``tzinfo`` of every
#: datetime this package returns (as the PHP, Java and .NET bindings do).
CST = datetime.timezone(datetime.timedelta(hours=8), "CST")


def _date(value: Optional[str], name: str, fmt: str) -> "Optional[datetime.datetime]":
    if not value:
        return None
    try:
        parsed = datetime.datetime.strptime(value, fmt)
    except ValueError:
        raise ParseError("%s %r is not a %s date" % (name, value, fmt), Status.PARSE, "CMPAY_PARSE") from None
    return parsed.replace(tzinfo=CST) if "%H" in fmt else parsed.date()  # type: ignore[return-value]


class Response(_Fields):
    """A verified gateway answer with return code success."""

    __slots__ = ()
    _field_fn = "cmpay_response_field"
    _fields_fn = "cmpay_response_fields_into"

    def __init__(self, ptr: "_native.ResponseP") -> None:  # type: ignore[valid-type]
        super().__init__(ptr, _native.lib().cmpay_response_free)

    def pay_url(self) -> PayUrl:
        """The payUrl token (order responses only)."""
        lib = _native.lib()
        url, method, session = ctypes.c_void_p(), ctypes.c_void_p(), ctypes.c_void_p()
        status = lib.cmpay_response_pay_url(self._p, ctypes.byref(url), ctypes.byref(method), ctypes.byref(session))
        try:
            _native.check(status)
            return PayUrl(_native.take_string(url), _native.take_string(method), _native.take_string(session))
        finally:
            _native.free_strings([url, method, session])

    def redirect_url(self) -> str:
        """Where to redirect the shopper's browser: ``url?sessionId=...``."""
        return _native.out_string(_native.lib().cmpay_response_redirect_url, self._p)

    def html_form(self) -> str:
        """An auto-submitting HTML page that POSTs the sessionId to the cashier."""
        return _native.out_string(_native.lib().cmpay_response_html_form, self._p)

    # ---- query and refund answers

    @property
    def order_status(self) -> Optional[OrderStatus]:
        """A query (or refund) answer's order state: PAID, FAILED or PENDING;
        None for an order-creation answer, which has no order state."""
        out = ctypes.c_int()
        p = self._p
        status = _native.lib().cmpay_response_order_status(p, ctypes.byref(out))
        if status == Status.INVALID_ARGUMENT and p:
            return None
        _native.check(status)
        return OrderStatus(out.value)

    @property
    def amount(self) -> Optional[int]:
        """amount in fen (a query answer: paid; a refund answer: refunded), None when absent."""
        out = ctypes.c_uint64()
        status = _native.lib().cmpay_response_amount(self._p, ctypes.byref(out))
        if status == Status.NOT_FOUND:
            return None
        _native.check(status)
        return int(out.value)


class Notification(_Fields):
    """A PageNotify or OfflineNotify whose signature has held."""

    __slots__ = ()
    _field_fn = "cmpay_notification_field"
    _fields_fn = "cmpay_notification_fields_into"

    def __init__(self, ptr: "_native.NotificationP") -> None:  # type: ignore[valid-type]
        super().__init__(ptr, _native.lib().cmpay_notification_free)

    @property
    def type(self) -> str:
        """"PageNotify" or "OfflineNotify"."""
        return self["type"]

    @property
    def pay_no(self) -> str:  # type: ignore[override]
        """The gateway's transaction number: the key for processing a payment once."""
        return self["payNo"]

    @property
    def order_id(self) -> str:  # type: ignore[override]
        return self["orderId"]

    @property
    def merchant_id(self) -> str:  # type: ignore[override]
        return self["merchantId"]

    @property
    def amount(self) -> int:
        """The amount paid, in fen."""
        out = ctypes.c_uint64()
        _native.check(_native.lib().cmpay_notification_amount(self._p, ctypes.byref(out)))
        return int(out.value)

    @property
    def amt_item(self) -> AmtItem:
        out = _native.AmtItemStruct()
        _native.check(_native.lib().cmpay_notification_amt_item(self._p, ctypes.byref(out)))
        return AmtItem(int(out.cash), int(out.prepaid), int(out.coupon), int(out.voucher), int(out.points))

    @property
    def fee_fen(self) -> Optional[int]:
        """The merchant fee in fen (exact), or None when the gateway left it empty."""
        out = ctypes.c_uint64()
        status = _native.lib().cmpay_notification_fee_fen(self._p, ctypes.byref(out))
        if status == Status.NOT_FOUND:
            return None
        _native.check(status)
        return int(out.value)

    @property
    def is_paid(self) -> bool:
        out = ctypes.c_bool()
        _native.check(_native.lib().cmpay_notification_is_paid(self._p, ctypes.byref(out)))
        return bool(out.value)

    # ---- ambiguity (the signed source is the values joined with no separator)

    def is_ambiguous(self) -> bool:
        """Whether the signed source has another reading (another orderId,
        amount, payNo, returnCode, status or type) that is neither ruled out
        (``rule_out``) nor settled by the gateway (``Client.confirm``): the
        bytes cannot say which was meant. Asked anew at each call."""
        return self._bool(_native.lib().cmpay_notification_is_ambiguous)

    def other_readings(self) -> List[str]:
        """The other readings of the signed source (ruled out or not), one a
        string (``merchantId=... payNo=... returnCode=... type=... amount=...
        orderId=... status=...``); empty when there is none."""
        return _lines(_native.out_string(_native.lib().cmpay_notification_other_readings, self._p))

    def other_order_ids(self) -> List[str]:
        """The orderIds the other readings name (not this notification's own).
        For each one that is none of the shop's orders, call ``rule_out``."""
        return _lines(_native.out_string(_native.lib().cmpay_notification_other_order_ids, self._p))

    def rule_out(self, order_id: str) -> None:
        """The shop says ``order_id`` is none of its orders: the readings that
        name it are set aside. Readings that keep this notification's orderId
        (another amount, payNo or status) cannot be ruled out: those need
        ``Client.confirm``. InvalidInputError when no other reading names it."""
        _native.check(_native.lib().cmpay_notification_rule_out(self._p, _native.cstr(order_id, "order_id")))

    def is_confirmed(self) -> bool:
        """Whether the gateway has confirmed this notification (``Client.confirm``)."""
        return self._bool(_native.lib().cmpay_notification_is_confirmed)

    def _bool(self, fn: Any) -> bool:
        out = ctypes.c_bool()
        _native.check(fn(self._p, ctypes.byref(out)))
        return bool(out.value)

    def check_order(self, merchant_id: str, order_id: str, amount_fen: int) -> None:
        """Raises FieldError unless merchantId, orderId and amount match the
        order the merchant created, and AmbiguousError while the notification
        is ambiguous (``is_ambiguous``): rule out the other order ids that are
        none of the shop's, or confirm it with ``Client.confirm``, first."""
        _native.check(_native.lib().cmpay_notification_check_order(
            self._p, _native.cstr(merchant_id, "merchant_id"), _native.cstr(order_id, "order_id"), _amount(amount_fen)))

    def ack(self) -> str:
        """The exact answer ("SUCCESS") that stops the gateway resending; send it
        only after the payment is recorded."""
        return _native.out_string(_native.lib().cmpay_notification_ack, self._p)


def _lines(text: str) -> List[str]:
    """The library's lists: each item ended by a newline ("" for none)."""
    return text.split("\n")[:-1]


def _amount(value: int) -> int:
    from .errors import InvalidInputError

    if value is None:
        raise TypeError("amount must be an int number of fen, not None")
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value >= 1 << 64:
        raise InvalidInputError("amount must be a non-negative integer number of fen, not %r" % (value,), Status.INVALID_ARGUMENT, "CMPAY_INVALID_ARGUMENT")
    return value
