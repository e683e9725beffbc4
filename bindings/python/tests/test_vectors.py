"""The shared vectors (tests/data/cmpay-vectors.json), through the binding."""

from __future__ import annotations

import urllib.parse

import pytest

import cmpay
from conftest import KEY, MERCHANT_ID, key_file, vector, vectors


@pytest.mark.parametrize("v", vectors("md5_sign"), ids=lambda v: v["name"])
def test_md5_primitive(merchant: cmpay.Merchant, v: dict) -> None:
    # The hmac over exactly the given fields: one field whose value is the source.
    params = {"merchantId": v["source"]} if v["source"] else {}
    assert merchant.hmac(cmpay.QUERY_REQUEST, params) == v["hmac"]


@pytest.mark.parametrize("v", vectors("order_request"), ids=lambda v: v["name"])
def test_order_request(merchant: cmpay.Merchant, v: dict) -> None:
    with merchant.sign_order(v["params"]) as signed:
        assert signed.hmac == v["hmac"]
        assert signed.source == v["source"]
        assert signed.body == v["form_body"]
        assert signed.content_type == v["content_type"]
        assert signed.field("productName") == v["params"]["productName"]
        assert signed["hmac"] == v["hmac"]
        assert signed.field("merchantCert") is None
        assert signed.field("noSuchField") is None
    assert merchant.hmac(cmpay.ORDER_REQUEST, v["params"]) == v["hmac"]
    merchant.verify(cmpay.ORDER_REQUEST, v["form_body"].encode("ascii"))


def test_order_request_defaults_filled(merchant: cmpay.Merchant) -> None:
    params = dict(vector("order-request-md5-charset00")["params"])
    for name in ("merchantId", "signType", "type", "version", "characterSet", "currency"):
        del params[name]
    with merchant.sign_order(params) as signed:
        assert signed.hmac == vector("order-request-md5-charset00")["hmac"]
        assert signed.field("type") == "DirectPayConfirm"


def test_order_request_accepts_pairs_and_ints(merchant: cmpay.Merchant) -> None:
    v = vector("order-request-md5-charset02")
    pairs = [(k, int(x) if k == "amount" else x) for k, x in v["params"].items()]
    with merchant.sign_request(cmpay.ORDER_REQUEST, pairs) as signed:
        assert signed.hmac == v["hmac"]


def test_order_request_rsa() -> None:
    v = vector("order-request-rsa")
    with cmpay.Merchant.rsa(MERCHANT_ID, key_file("merchant_private_pkcs8.pem"), key_file("platform_public.pem")) as m:
        with m.sign_order(v["params"]) as signed:
            assert signed.hmac == v["hmac"]
            assert signed.source == v["source"]
            cert = signed.field("merchantCert")
            assert cert and all(c in "0123456789abcdef" for c in cert.lower())
            body = signed.body
    # PKCS#1 private key, same signature; the gateway side verifies with the merchant's public key.
    with cmpay.Merchant.rsa(MERCHANT_ID, key_file("merchant_private_pkcs1.pem"), key_file("platform_cert.pem")) as m:
        assert m.sign_order(v["params"]).hmac == v["hmac"]
    with cmpay.Merchant.rsa(MERCHANT_ID, key_file("platform_private_pkcs8.pem"), key_file("merchant_public.pem")) as gateway_view:
        gateway_view.verify(cmpay.ORDER_REQUEST, body)
        with pytest.raises(cmpay.SignatureError):
            gateway_view.verify(cmpay.ORDER_REQUEST, body.replace("amount=12800", "amount=12801"))


def test_order_response_ok(merchant: cmpay.Merchant) -> None:
    v = vector("order-response-ok")
    merchant.verify(cmpay.ORDER_RESPONSE, v["body"])
    with merchant.parse_response(cmpay.ORDER_RESPONSE, v["body"].encode()) as r:
        assert r.pay_url() == cmpay.PayUrl(v["pay_url"]["url"], v["pay_url"]["method"], v["pay_url"]["sessionId"])
        assert r.redirect_url() == v["redirect_get"]
        html = r.html_form()
        assert v["pay_url"]["sessionId"] in html and v["pay_url"]["url"] in html and "<form" in html
        assert '<html lang="zh-CN">' in html and '<button type="submit">继续支付 Continue to payment</button>' in html
        assert r["returnCode"] == "000000"
        assert r.get("hmac") == v["hmac"]
        assert r.field("nothing") is None
        assert r.get("nothing", "x") == "x"
        with pytest.raises(KeyError):
            r["nothing"]
        fields = r.fields()
        assert fields["merchantId"] == MERCHANT_ID
        assert fields["payUrl"].startswith("url<hi:=>https://")
        assert list(fields)[:3] == ["merchantId", "requestId", "signType"]


def test_order_response_tampered(merchant: cmpay.Merchant) -> None:
    body = vector("order-response-tampered")["body"]
    with pytest.raises(cmpay.SignatureError) as e:
        merchant.parse_response(cmpay.ORDER_RESPONSE, body)
    assert e.value.status == cmpay.Status.SIGNATURE_MISMATCH
    assert e.value.status_name == "CMPAY_SIGNATURE_MISMATCH"
    with pytest.raises(cmpay.SignatureError):
        merchant.verify(cmpay.ORDER_RESPONSE, body)


def test_order_response_gateway_error(merchant: cmpay.Merchant) -> None:
    v = vector("order-response-gateway-error")
    merchant.verify(cmpay.ORDER_RESPONSE, v["body"])  # it is signed correctly
    with pytest.raises(cmpay.GatewayError) as e:
        merchant.parse_response(cmpay.ORDER_RESPONSE, v["body"])
    assert e.value.return_code == "IPS0008"
    assert e.value.status == cmpay.Status.GATEWAY
    assert e.value.message
    assert isinstance(e.value, cmpay.CmpayError)


@pytest.mark.parametrize("name", ["notify-PageNotify", "notify-OfflineNotify"])
def test_notification(merchant: cmpay.Merchant, name: str) -> None:
    v = vector(name)
    with merchant.parse_notification(v["form_body"].encode("ascii")) as n:
        fields = n.fields()
        for k, value in v["fields"].items():
            assert fields[k] == value, k
            assert n[k] == value
        assert n.type == v["fields"]["type"]
        assert n.pay_no == v["fields"]["payNo"]
        assert n.order_id == v["fields"]["orderId"]
        assert n.merchant_id == MERCHANT_ID
        assert n.amount == 12800
        a = v["amt_item"]
        assert n.amt_item == cmpay.AmtItem(a["CNY_AMT"], a["CMY_AMT"], a["RED_AMT"], a["VCH_AMT"], a["POT_CHG_AMT"])
        assert n.fee_fen == 12
        assert n.is_paid is True
        # Genuine, and ambiguous: bankAbbr and mobile can slide into orderId,
        # and orderId's tail into payDate (docs/resplit.md).
        assert n.is_ambiguous() is True and n.is_confirmed() is False
        assert n.other_order_ids() == OTHER_ORDER_IDS
        readings = n.other_readings()
        assert [r.split(" orderId=")[1].split(" ")[0] for r in readings] == OTHER_ORDER_IDS
        for r in readings:
            assert r == ("merchantId=%s payNo=201911250005378468 returnCode=000000 type=%s amount=12800 orderId=%s status=SUCCESS"
                         % (MERCHANT_ID, n.type, r.split(" orderId=")[1].split(" ")[0]))
        with pytest.raises(cmpay.AmbiguousError) as e:
            n.check_order(MERCHANT_ID, "ORD20261125000001", 12800)
        assert e.value.status == cmpay.Status.AMBIGUOUS and e.value.status_name == "CMPAY_AMBIGUOUS"
        assert "ICBC138****8000ORD" in e.value.message
        # The shop has none of those orders: each ruled out, the last one settles it.
        for i, order_id in enumerate(OTHER_ORDER_IDS):
            assert n.is_ambiguous() is True, order_id
            with pytest.raises(cmpay.AmbiguousError):
                n.check_order(MERCHANT_ID, "ORD20261125000001", 12800)
            n.rule_out(order_id)
        assert n.is_ambiguous() is False and n.is_confirmed() is False
        assert n.other_order_ids() == OTHER_ORDER_IDS  # still listed, ruled out
        n.check_order(MERCHANT_ID, "ORD20261125000001", 12800)
        # Its own orderId, or one no reading names, cannot be ruled out.
        for not_other in ("ORD20261125000001", "ORD2026112500000"):
            with pytest.raises(cmpay.InvalidInputError) as bad:
                n.rule_out(not_other)
            assert bad.value.status == cmpay.Status.INVALID_ARGUMENT
        assert n.ack() == v["ack"] == "SUCCESS"
    merchant.verify(cmpay.NOTIFY, v["form_body"])


# The vectors' notifications read as paying these orders too (their mobile
# 138****8000 and bankAbbr ICBC moved into orderId, orderId's date-time tail
# into payDate), in the library's order.
OTHER_ORDER_IDS = ["138****8000ORD", "138****8000ORD20261125000001", "ICBC138****8000ORD",
                   "ICBC138****8000ORD20261125000001", "ORD"]


def test_notification_ruled_out_in_part_stays_ambiguous(merchant: cmpay.Merchant) -> None:
    with merchant.parse_notification(vector("notify-OfflineNotify")["form_body"]) as n:
        for order_id in OTHER_ORDER_IDS[:-1]:
            n.rule_out(order_id)
        # "ORD" could be one of the shop's orders: until it is ruled out, no pass.
        assert n.is_ambiguous() is True
        with pytest.raises(cmpay.AmbiguousError) as e:
            n.check_order(MERCHANT_ID, "ORD20261125000001", 12800)
        assert "orderId=ORD status=SUCCESS" in e.value.message
        # A mismatch is still named as such, ambiguous or not.
        with pytest.raises(cmpay.FieldError) as f:
            n.check_order(MERCHANT_ID, "ORD20261125000001", 12801)
        assert f.value.field == "amount"


@pytest.mark.parametrize("name", ["notify-PageNotify", "notify-OfflineNotify"])
def test_notification_check_order_mismatch(merchant: cmpay.Merchant, name: str) -> None:
    n = merchant.parse_notification(vector(name)["form_body"])
    for args, field in [
        ((MERCHANT_ID, "ORD20261125000001", 12801), "amount"),
        ((MERCHANT_ID, "ORD-OTHER", 12800), "orderId"),
        (("888009941120002", "ORD20261125000001", 12800), "merchantId"),
    ]:
        with pytest.raises(cmpay.FieldError) as e:
            n.check_order(*args)
        assert e.value.field == field
        assert e.value.status == cmpay.Status.FIELD_INVALID
        assert isinstance(e.value, cmpay.InvalidInputError)


@pytest.mark.parametrize("name", ["notify-PageNotify-tampered-amount", "notify-OfflineNotify-tampered-amount"])
def test_notification_tampered(merchant: cmpay.Merchant, name: str) -> None:
    body = vector(name)["form_body"]
    with pytest.raises(cmpay.SignatureError):
        merchant.parse_notification(body)
    with pytest.raises(cmpay.SignatureError):
        merchant.verify(cmpay.NOTIFY, body)


def test_notification_wrong_key() -> None:
    other = KEY[::-1]
    with cmpay.Merchant.md5(MERCHANT_ID, other) as m:
        with pytest.raises(cmpay.SignatureError):
            m.parse_notification(vector("notify-OfflineNotify")["form_body"])


def test_query_and_refund_requests(merchant: cmpay.Merchant) -> None:
    for name, sign in (("query-request", merchant.sign_query), ("refund-request", merchant.sign_refund)):
        v = vector(name)
        with sign(v["params"]) as signed:
            assert signed.hmac == v["hmac"]
            assert signed.source == v["source"]
            assert "charset=UTF-8" in signed.content_type
            assert signed.body.endswith("&hmac=" + v["hmac"])


@pytest.mark.parametrize("kind,name", [(cmpay.QUERY_RESPONSE, "query-response"), (cmpay.REFUND_RESPONSE, "refund-response")])
def test_query_and_refund_responses(merchant: cmpay.Merchant, kind: str, name: str) -> None:
    v = vector(name)
    merchant.verify(kind, v["body"])
    with merchant.parse_response(kind, v["body"]) as r:
        assert r["status"] == "SUCCESS"
        assert r["orderId"] == "ORD20261125000001"
        with pytest.raises(cmpay.InvalidInputError):
            r.pay_url()  # order responses only
    if name == "query-response":
        assert merchant.parse_response(kind, v["body"])["reserved1"] == "保留数据1"
    with pytest.raises(cmpay.SignatureError):
        merchant.parse_response(kind, v["body"].replace("amount=12800", "amount=12000"))


def test_params_cross_unaltered(merchant: cmpay.Merchant) -> None:
    params = dict(vector("order-request-md5-charset02")["params"])
    tricky = "100% + 税 & more=1 %41 a+b"
    params["productDesc"] = tricky
    params["reserved2"] = "="
    with merchant.sign_order(params) as signed:
        assert signed.field("productDesc") == tricky
        assert signed.field("reserved2") == "="
        assert tricky in signed.source
    pairs = list(params.items())
    assert merchant.hmac(cmpay.ORDER_REQUEST, pairs) == merchant.hmac(cmpay.ORDER_REQUEST, params)
    # The encoder's own stand-in characters cross unaltered too (hmac() does not validate).
    assert merchant.hmac(cmpay.QUERY_REQUEST, {"merchantId": "a\x01b\x02c"}) == \
        merchant.hmac(cmpay.QUERY_REQUEST, [("merchantId", "a\x01b\x02c")])
    assert merchant.hmac(cmpay.QUERY_REQUEST, {"merchantId": "a\x01b\x02c"}) != merchant.hmac(cmpay.QUERY_REQUEST, {"merchantId": "abc"})


def test_readings_beyond_the_listed_ones_keep_it_ambiguous(merchant: cmpay.Merchant) -> None:
    # The vectors' paid notification for order A = B + a date-time, where B
    # itself ends in two date-times: signed as the gateway would, then
    # re-split to read as paying B. Twelve readings; the library lists eight,
    # and A (the genuine one) is not among them.
    t = "20261125103055"
    order_b = "ORD" + t + t
    order_a = order_b + t
    fields = dict(vector("notify-OfflineNotify")["fields"], orderId=order_a)
    hmac = merchant.hmac(cmpay.NOTIFY, list(fields.items()))
    forged = dict(fields, orderId=order_b, payDate=t, accountDate=fields["payDate"][:8],
                  reserved1=fields["payDate"][8:] + fields["accountDate"] + fields["reserved1"])
    assert "".join(forged.values()) == "".join(fields.values())
    body = urllib.parse.urlencode(list(forged.items()) + [("serverCert", ""), ("hmac", hmac)])
    with merchant.parse_notification(body) as n:
        assert (n.order_id, n.is_paid, n.amount) == (order_b, True, 12800)
        shop = {order_a, order_b}
        for other in n.other_order_ids():
            if other not in shop:
                n.rule_out(other)
        # A's reading was never ruled out: B must not pass unconfirmed.
        assert n.is_ambiguous() is True
        with pytest.raises(cmpay.AmbiguousError):
            n.check_order(MERCHANT_ID, order_b, 12800)
