"""What a Python user expects: the error names, built-in TypeError and
TimeoutError, the status list, typed answers, a requestId filled in."""

from __future__ import annotations

import datetime
import os
import re
from urllib.parse import parse_qsl, urlencode

import pytest

import cmpay
from cmpay.errors import _error_class
from conftest import KEY, MERCHANT_ID, vector


def test_timeout_error_is_also_the_builtin() -> None:
    e = _error_class(cmpay.Status.TIMEOUT)("connect to 127.0.0.1:9 timed out", cmpay.Status.TIMEOUT, "CMPAY_TIMEOUT")
    assert isinstance(e, cmpay.NetworkTimeoutError)
    assert isinstance(e, cmpay.NetworkError) and isinstance(e, cmpay.CmpayError)
    assert isinstance(e, TimeoutError) and isinstance(e, OSError)
    assert e.status == cmpay.Status.TIMEOUT and e.message == "connect to 127.0.0.1:9 timed out"
    assert str(e) == "CMPAY_TIMEOUT: connect to 127.0.0.1:9 timed out"
    assert e.errno is None  # OSError did not take the status for an errno
    with pytest.raises(TimeoutError):
        raise e


def test_status_list_is_the_librarys() -> None:
    # Every status the wrapper knows has the library's name, and every number
    # the library names is one the wrapper knows.
    for status in cmpay.Status:
        assert cmpay.status_name(status) == "CMPAY_" + status.name
    named = {n for n in range(0, 1024) if cmpay.status_name(n) != "CMPAY_UNKNOWN"}
    assert named == {int(s) for s in cmpay.Status}


def test_none_arguments_are_type_errors(merchant: cmpay.Merchant) -> None:
    n = merchant.parse_notification(vector("notify-OfflineNotify")["form_body"])
    calls = [
        lambda: cmpay.Merchant.md5(None, KEY),  # type: ignore[arg-type]
        lambda: cmpay.Merchant.md5(MERCHANT_ID, None),  # type: ignore[arg-type]
        lambda: cmpay.Merchant.rsa(MERCHANT_ID, None, b"x"),  # type: ignore[arg-type]
        lambda: merchant.sign_order(None),  # type: ignore[arg-type]
        lambda: merchant.sign_request(None, {}),  # type: ignore[arg-type]
        lambda: merchant.parse_notification(None),  # type: ignore[arg-type]
        lambda: merchant.parse_response(cmpay.MessageKind.QUERY_RESPONSE, None),  # type: ignore[arg-type]
        lambda: merchant.verify(cmpay.MessageKind.NOTIFY, None),  # type: ignore[arg-type]
        lambda: n.field(None),  # type: ignore[arg-type]
        lambda: n.check_order(MERCHANT_ID, None, 1),  # type: ignore[arg-type]
        lambda: n.check_order(MERCHANT_ID, "O", None),  # type: ignore[arg-type]
        lambda: cmpay.Client(None),  # type: ignore[arg-type]
        lambda: cmpay.bank_name(None),  # type: ignore[arg-type]
    ]
    for call in calls:
        with pytest.raises(TypeError):
            call()


def test_message_kind_is_its_string(merchant: cmpay.Merchant) -> None:
    assert cmpay.MessageKind.QUERY_REQUEST == "query-request" == cmpay.QUERY_REQUEST
    assert str(cmpay.MessageKind.NOTIFY) == "notify"
    merchant.verify(cmpay.MessageKind.NOTIFY, vector("notify-OfflineNotify")["form_body"])


def assert_request_id(request_id: str) -> None:
    """The library's requestIds: UTC time to the millisecond, the process id
    in hex and a counter, each part ended by a lower-case letter
    (20261206t17h16m19s711p4d2n17); no run of six zeros (it would read as a
    return code) and no capital."""
    m = re.fullmatch(r"([0-9]{8})t([0-9]{2})h([0-9]{2})m([0-9]{2})s([0-9]{1,3})p([0-9a-f]+)n([0-9]{1,5})", request_id)
    assert m, request_id
    assert len(request_id) <= 36 and "000000" not in request_id, request_id
    stamp = datetime.datetime.strptime("".join(m.groups()[:4]), "%Y%m%d%H%M%S").replace(tzinfo=datetime.timezone.utc)
    assert abs((datetime.datetime.now(datetime.timezone.utc) - stamp).total_seconds()) < 120, request_id
    assert int(m.group(6), 16) == os.getpid(), request_id


def test_sign_order_fills_in_a_request_id(merchant: cmpay.Merchant) -> None:
    params = dict(vector("order-request-md5-charset02")["params"])
    del params["requestId"]
    with merchant.sign_order(params) as a, merchant.sign_order(params) as b:
        assert_request_id(a["requestId"])
        assert a["requestId"] != b["requestId"]
        assert "requestId=" + a["requestId"] in a.body
    with merchant.sign_query({"orderId": "ORD1"}) as q:
        assert_request_id(q["requestId"])
    given = vector("order-request-md5-charset02")["params"]
    with merchant.sign_order(given) as kept:
        assert kept["requestId"] == given["requestId"]


def test_query_answer_is_typed(merchant: cmpay.Merchant) -> None:
    with merchant.parse_response(cmpay.MessageKind.QUERY_RESPONSE, vector("query-response")["body"]) as r:
        assert r.order_status is cmpay.OrderStatus.PAID
        assert r.amount == 12800
        assert r.pay_no == "201911250005378468"
        assert r.order_id == "ORD20261125000001"
        assert r.merchant_id == MERCHANT_ID
        assert r.order_date == datetime.date(2026, 11, 25)
        cst = datetime.timezone(datetime.timedelta(hours=8))
        assert r.pay_date == datetime.datetime(2026, 11, 25, 10, 30, 55, tzinfo=cst)
        assert r.pay_date.utcoffset() == datetime.timedelta(hours=8)
        assert r.pay_date.isoformat() == "2026-11-25T10:30:55+08:00"
        assert r.pay_date.tzinfo is cmpay.CST


def test_refund_answer_is_typed(merchant: cmpay.Merchant) -> None:
    with merchant.parse_response(cmpay.MessageKind.REFUND_RESPONSE, vector("refund-response")["body"]) as r:
        assert r.amount == 12800
        assert r.pay_no == "201911250005383897"
        assert r.order_status is cmpay.OrderStatus.PAID
        assert r.order_date is None and r.pay_date is None


def _query_answer(merchant: cmpay.Merchant, status: str) -> bytes:
    """The query-response vector with another status, signed again."""
    pairs = [(k, v) for k, v in parse_qsl(vector("query-response")["body"], keep_blank_values=True) if k != "hmac"]
    pairs = [(k, status if k == "status" else v) for k, v in pairs]
    pairs.append(("hmac", merchant.hmac(cmpay.MessageKind.QUERY_RESPONSE, pairs)))
    return urlencode(pairs).encode("ascii")


@pytest.mark.parametrize("status,expected", [
    ("SUCCESS", cmpay.OrderStatus.PAID), ("FAILED", cmpay.OrderStatus.FAILED),
    ("WAIT", cmpay.OrderStatus.PENDING), ("", cmpay.OrderStatus.PENDING)])
def test_order_status_is_the_librarys(merchant: cmpay.Merchant, status: str, expected: cmpay.OrderStatus) -> None:
    with merchant.parse_response(cmpay.MessageKind.QUERY_RESPONSE, _query_answer(merchant, status)) as r:
        assert r.order_status is expected


def test_order_answer_has_no_order_status(merchant: cmpay.Merchant) -> None:
    v = vector("order-response-ok")
    with merchant.parse_response(cmpay.MessageKind.ORDER_RESPONSE, v["body"]) as r:
        assert r.amount is None
        assert r.order_status is None


def test_notification_dates(merchant: cmpay.Merchant) -> None:
    with merchant.parse_notification(vector("notify-OfflineNotify")["form_body"]) as n:
        assert isinstance(n.order_date, datetime.date)
        assert n.order_date.strftime("%Y%m%d") == n["orderDate"]
        assert n.pay_date is None or n.pay_date.strftime("%Y%m%d%H%M%S") == n["payDate"]
        assert n.pay_date is None or n.pay_date.utcoffset() == datetime.timedelta(hours=8)


def test_notification_pay_date_is_china_standard_time(merchant: cmpay.Merchant) -> None:
    body = vector("notify-OfflineNotify")["form_body"]
    body = body.decode("ascii") if isinstance(body, bytes) else body
    pairs = [(k, v) for k, v in parse_qsl(body, keep_blank_values=True) if k != "hmac"]
    pairs = [(k, "20261125103055" if k == "payDate" else v) for k, v in pairs]
    pairs.append(("hmac", merchant.hmac(cmpay.MessageKind.NOTIFY, pairs)))
    with merchant.parse_notification(urlencode(pairs).encode("ascii")) as n:
        assert n.pay_date is not None and n.pay_date.isoformat() == "2026-11-25T10:30:55+08:00"


def test_gw_direct_pay_is_a_browser_form(merchant: cmpay.Merchant) -> None:
    params = dict(vector("order-request-md5-charset00")["params"], type="GWDirectPay")
    params.pop("bankAbbr", None)
    with pytest.raises(cmpay.FieldError) as e:
        merchant.sign_order(params)
    assert e.value.field == "bankAbbr"
    params["bankAbbr"] = "CMB"
    with merchant.sign_order(params) as signed:
        page = signed.html_form("https://ipos.10086.cn/ips/cmpayService")
        assert '<form method="post" action="https://ipos.10086.cn/ips/cmpayService" accept-charset="GBK">' in page
        assert '<html lang="zh-CN">' in page and "<title>和包支付 CMPay</title>" in page
        assert 'name="hmac" value="%s"' % signed.hmac in page
        assert 'name="type" value="GWDirectPay"' in page
        with pytest.raises(cmpay.InvalidInputError):
            signed.html_form("javascript:alert(1)")
