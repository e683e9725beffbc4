"""A 2011-style merchant against ``cmpay sandbox``, in plain Python (hmac,
hashlib, http.client; no library), written from protocol.md §8 the way the
gateway's Java/JSP kit (and, for raw values, the ASP.NET and ASP kits) work:

- the request encoded in its declared charset, Content-Type with that
  charset, hmac first (Java), or the values raw in GBK (ASP);
- the answer split on ``&`` and the first ``=``; payUrl and amtItem never
  decoded; message (and, in query answers, reserved1/reserved2) URL-decoded
  as UTF-8 before signing; the hmac compared case-sensitively;
- the browser sent to ``url?sessionId=…``; the PageNotify read from the POST
  fields of the page after paying, the OfflineNotify from the server's POST,
  both verified and answered SUCCESS;
- then a query and a refund, verified.

Every step at characterSet 00, 01 and 02, with Chinese productName and
reserved fields, including 同学 and 小品 (GBK bytes that are valid UTF-8).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import http.server
import json
import os
import re
import subprocess
import threading
import time
import urllib.parse
from html import unescape
from typing import Dict, Iterator, List, Optional, Tuple

import pytest

MERCHANT_ID = "888009941120001"
KEY = "Qm7X2vT9pL4sK8dR1fG6hJ3wZ5cN0bV7yU2iO9aE4tS6mP1qW8xC3kD5lH7jF0gB"
ORDER_FIELDS = ("characterSet callbackUrl notifyUrl ipAddress merchantId requestId signType type version amount bankAbbr "
                "currency orderDate orderId merAcDate period periodUnit merchantAbbr productDesc productId productName "
                "productNum reserved1 reserved2 userToken showUrl couponsFlag").split()
ANSWER_FIELDS = "merchantId requestId signType type version returnCode message payUrl".split()
NOTIFY_FIELDS = ("merchantId payNo returnCode message signType type version amount amtItem bankAbbr mobile orderId payDate "
                 "accountDate reserved1 reserved2 status orderDate fee").split()
QUERY_FIELDS = ("merchantId payNo returnCode message signType type version amount amtItem bankAbbr mobile orderId payDate "
                "reserved1 reserved2 status payType orderDate fee").split()
REFUND_FIELDS = "merchantId payNo returnCode message signType type version amount orderId status".split()
CHARSETS = {"00": "gbk", "01": "gb2312", "02": "utf-8"}


def kit_hmac(source: str) -> str:
    """hex(HMAC-MD5(signKey, hex(HMAC-MD5("", source)))), the source as UTF-8."""
    inner = hmac.new(b"", source.encode("utf-8"), hashlib.md5).hexdigest()
    return hmac.new(KEY.encode("utf-8"), inner.encode("ascii"), hashlib.md5).hexdigest()


def source(names: List[str], values: Dict[str, str]) -> str:
    return "".join(values.get(n, "") for n in names)


def parse_answer(body: bytes, decode: Tuple[str, ...]) -> Dict[str, str]:
    """Split on & and at the first =; only the names in ``decode`` are URL-decoded (UTF-8)."""
    out: Dict[str, str] = {}
    for pair in body.decode("ascii", errors="strict").strip().split("&"):
        if not pair:
            continue
        name, _, value = pair.partition("=")
        out[name] = urllib.parse.unquote_plus(value, errors="strict") if name in decode else value
    return out


def request(url: str, method: str, body: bytes = b"", content_type: str = "application/x-www-form-urlencoded",
            version: int = 11) -> Tuple[int, Dict[str, str], bytes]:
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    conn._http_vsn, conn._http_vsn_str = (10, "HTTP/1.0") if version == 10 else (11, "HTTP/1.1")  # type: ignore[attr-defined]
    path = u.path + ("?" + u.query if u.query else "")
    headers = {"Content-Type": content_type} if method == "POST" else {}
    conn.request(method, path, body=body if method == "POST" else None, headers=headers)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, data


def send(endpoint: str, names: List[str], values: Dict[str, str], code: str, raw: bool) -> bytes:
    """Signs and POSTs like the Java kit (hmac first, charset in Content-Type) or the ASP kit (raw GBK)."""
    charset = CHARSETS[code]
    digest = kit_hmac(source(names, values))
    pairs = [b"hmac=" + digest.encode("ascii")]
    for n in names:
        if n in values:
            v = values[n].encode(charset)
            pairs.append(n.encode("ascii") + b"=" + (v if raw else urllib.parse.quote_plus(v).encode("ascii")))
    content_type = "application/x-www-form-urlencoded" + ("" if raw else ";charset=" + charset.upper())
    status, _, body = request(endpoint, "POST", b"&".join(pairs), content_type)
    assert status == 200, body
    return body


class Shop:
    """back_url and notify_url: POST fields decoded once (UTF-8), verified, answered SUCCESS."""

    def __init__(self) -> None:
        self.seen: List[Dict[str, object]] = []
        shop = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                n = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(n)
                fields = dict(urllib.parse.parse_qsl(raw.decode("ascii"), keep_blank_values=True, errors="strict"))
                ok = hmac.compare_digest(fields.get("hmac", ""), kit_hmac(source(NOTIFY_FIELDS, fields)))
                # The kit decodes reserved1/reserved2 once more, as UTF-8, for display only.
                shown = {k: urllib.parse.unquote(fields.get(k, "")) for k in ("reserved1", "reserved2")}
                shop.seen.append({"path": self.path, "ok": ok, "fields": fields, "shown": shown})
                answer = b"SUCCESS" if ok else b"FAIL"
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def find(self, path: str, order_id: str) -> Optional[Dict[str, object]]:
        for s in self.seen:
            if s["path"] == path and s["fields"].get("orderId") == order_id:  # type: ignore[union-attr]
                return s
        return None


@pytest.fixture(scope="module")
def sandbox() -> Iterator[str]:
    binary = os.environ.get("CMPAY_BIN", "target/debug/cmpay")
    proc = subprocess.Popen([binary, "sandbox", "--time-factor", "600"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    first = proc.stdout.readline()
    m = re.search(r"listening on (http://\S+)", first)
    assert m, first
    yield m.group(1)
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def shop() -> Iterator[Shop]:
    s = Shop()
    yield s
    s.server.shutdown()


_seq = iter(range(1, 10_000))


@pytest.mark.parametrize("raw", [False, True], ids=["encoded", "raw"])
@pytest.mark.parametrize("text", ["同学", "小品", "测试商品"])
@pytest.mark.parametrize("code", ["00", "01", "02"])
def test_every_step_holds(sandbox: str, shop: Shop, code: str, text: str, raw: bool) -> None:
    endpoint = sandbox + "/ips/cmpayService"
    order_id = "PYKIT%d%04d" % (os.getpid(), next(_seq))
    today = time.strftime("%Y%m%d")
    order = {
        "characterSet": code, "callbackUrl": shop.url + "/back_url", "notifyUrl": shop.url + "/notify_url",
        "ipAddress": "127.0.0.1", "merchantId": MERCHANT_ID, "requestId": "R" + order_id, "signType": "MD5",
        "type": "DirectPayConfirm", "version": "2.0.0", "amount": "1200", "currency": "00", "orderDate": today,
        "orderId": order_id, "merAcDate": today, "period": "1", "periodUnit": "02", "productName": text,
        "reserved1": text, "reserved2": text + "2",
    }
    # 1-2. The order; the answer verified as the Java kit does (message decoded, payUrl not).
    a = parse_answer(send(endpoint, ORDER_FIELDS, order, code, raw), ("message",))
    assert (a["returnCode"], a["message"]) == ("000000", "SUCCESS"), a
    assert a["hmac"] == kit_hmac(source(ANSWER_FIELDS, a)), "the answer's hmac"
    assert a["payUrl"].startswith("url<hi:=>http"), a["payUrl"]
    token = dict(part.split("<hi:=>", 1) for part in a["payUrl"].split("<hi:$$>"))
    token = {k.strip(): v.strip() for k, v in token.items()}
    # 3. The browser: url?sessionId=…, pay, then the page's form POSTed to back_url.
    status, _, page = request(token["url"] + "?sessionId=" + token["sessionId"], "GET")
    assert status == 200 and b'value="pay"' in page
    status, _, paid = request(sandbox + "/ips/cashier/submit", "POST",
                              urllib.parse.urlencode({"sessionId": token["sessionId"], "action": "pay"}).encode())
    html = paid.decode("utf-8")
    assert status == 200 and 'onload="document.forms[0].submit()"' in html, html
    action = unescape(re.search(r'<form method="post" action="([^"]+)"', html).group(1))  # type: ignore[union-attr]
    inputs = [(unescape(n), unescape(v)) for n, v in re.findall(r'<input type="hidden" name="([^"]*)" value="([^"]*)">', html)]
    status, _, back = request(action, "POST", urllib.parse.urlencode(inputs).encode())
    assert (status, back) == (200, b"SUCCESS")
    page_notify = shop.find("/back_url", order_id)
    assert page_notify and page_notify["ok"] and page_notify["shown"] == {"reserved1": text, "reserved2": text + "2"}
    # 4. The OfflineNotify, from the server's POST.
    deadline = time.time() + 10
    while shop.find("/notify_url", order_id) is None and time.time() < deadline:
        time.sleep(0.02)
    offline = shop.find("/notify_url", order_id)
    assert offline and offline["ok"], offline
    assert offline["fields"]["reserved1"] == text  # type: ignore[index]
    status, _, deliveries = request(sandbox + "/sandbox/deliveries?orderId=" + order_id, "GET")
    deadline = time.time() + 10
    while not any(d["acked"] for d in json.loads(deliveries)) and time.time() < deadline:
        time.sleep(0.02)
        status, _, deliveries = request(sandbox + "/sandbox/deliveries?orderId=" + order_id, "GET")
    assert any(d["acked"] for d in json.loads(deliveries)), deliveries
    # 5. Query and refund (they carry no characterSet: UTF-8), verified.
    query = {"merchantId": MERCHANT_ID, "requestId": "Q" + order_id, "signType": "MD5", "type": "OrderQuery",
             "version": "2.0.0", "orderId": order_id}
    q = parse_answer(send(endpoint, list(query), query, "02", False), ("message", "reserved1", "reserved2"))
    assert q["hmac"] == kit_hmac(source(QUERY_FIELDS, q)), q
    assert (q["status"], q["reserved1"], q["amount"]) == ("SUCCESS", text, "1200")
    refund = {"merchantId": MERCHANT_ID, "requestId": "F" + order_id, "signType": "MD5", "type": "OrderRefund",
              "version": "2.0.0", "orderId": order_id, "amount": "200"}
    r = parse_answer(send(endpoint, list(refund), refund, "02", False), ("message",))
    assert r["hmac"] == kit_hmac(source(REFUND_FIELDS, r)), r
    assert (r["returnCode"], r["amount"], r["status"]) == ("000000", "200", "SUCCESS")


def test_an_answer_with_a_wrong_hmac_is_refused_by_the_kit(sandbox: str) -> None:
    """The comparison can fail: a request signed with another key is IPS0008, and
    an answer whose hmac is changed does not pass the kit's check."""
    order = {"merchantId": MERCHANT_ID, "requestId": "X%d" % time.time_ns(), "signType": "MD5", "type": "OrderQuery",
             "version": "2.0.0", "orderId": "NONE"}
    a = parse_answer(send(sandbox + "/ips/cmpayService", list(order), order, "02", False), ("message",))
    assert a["returnCode"] == "RPM22201"
    assert a["hmac"] == kit_hmac(source(QUERY_FIELDS, a))
    assert a["hmac"].upper() != kit_hmac(source(QUERY_FIELDS, a)), "compared case-sensitively"
    bad = dict(order, requestId=order["requestId"] + "b")
    body = urllib.parse.urlencode(dict(bad, hmac="0" * 32)).encode()
    _, _, answer = request(sandbox + "/ips/cmpayService", "POST", body, version=10)
    assert parse_answer(answer, ())["returnCode"] == "IPS0008"


# --- What integrations in production send (protocol.md §8.9) ----------------


def order_values(shop_url: str, code: str, text: str) -> Dict[str, str]:
    order_id = "PYREAL%d%04d" % (os.getpid(), next(_seq))
    today = time.strftime("%Y%m%d")
    return {
        "characterSet": code, "callbackUrl": shop_url + "/back_url", "notifyUrl": shop_url + "/notify_url",
        "ipAddress": "unknown", "merchantId": MERCHANT_ID, "requestId": "R" + order_id, "signType": "MD5",
        "type": "WAPDirectPayConfirm", "version": "2.0.0", "amount": "1200", "currency": "00", "orderDate": today,
        "orderId": order_id, "merAcDate": today, "period": "9999", "periodUnit": "02", "productName": text,
        "reserved1": text, "reserved2": "",
    }


def signed_pairs(values: Dict[str, str], charset: str) -> bytes:
    """hmac first, then every value percent-encoded from the bytes of ``charset``."""
    pairs = [b"hmac=" + kit_hmac(source(ORDER_FIELDS, values)).encode("ascii")]
    for n in ORDER_FIELDS:
        if n in values:
            pairs.append(n.encode("ascii") + b"=" + urllib.parse.quote_plus(values[n].encode(charset)).encode("ascii"))
    return b"&".join(pairs)


def explain(body: bytes) -> str:
    binary = os.environ.get("CMPAY_BIN", "target/debug/cmpay")
    out = subprocess.run([binary, "explain", "--key", KEY, "--kind", "order-request"], input=body,
                         capture_output=True, check=False)
    return out.stdout.decode("utf-8")


def test_a_merchant_posting_every_parameter_in_the_query_string(sandbox: str, shop: Shop) -> None:
    """The 2016 capture: POST …/ips/cmpayService?hmac=…&characterSet=02&…, empty body, answered 000000."""
    values = order_values(shop.url, "02", "话费充值")
    query = signed_pairs(values, "utf-8").decode("ascii")
    status, _, body = request(sandbox + "/ips/cmpayService?" + query, "POST", b"")
    assert status == 200, body
    a = parse_answer(body, ("message",))
    assert (a["returnCode"], a["message"], a["requestId"]) == ("000000", "SUCCESS", values["requestId"]), a
    assert a["hmac"] == kit_hmac(source(ANSWER_FIELDS, a))
    # The same name in the query string and the body: refused, with the gateway's answer.
    status, _, body = request(sandbox + "/ips/cmpayService?amount=1", "POST", signed_pairs(values, "utf-8"))
    a = parse_answer(body, ("message",))
    assert status == 200 and a["returnCode"] == "IPS0008" and "amount" in a["message"], a


@pytest.mark.parametrize("how", ["percent-encoded", "raw-body"])
def test_a_merchant_sending_gbk_under_character_set_02(sandbox: str, shop: Shop, how: str) -> None:
    """characterSet 02, GBK bytes: IPS0008, a signed gateway answer naming the cause and the fix; explain agrees."""
    values = order_values(shop.url, "02", "话费充值")
    if how == "percent-encoded":
        body, content_type = signed_pairs(values, "gbk"), "application/x-www-form-urlencoded"
    else:
        body = b"hmac=" + kit_hmac(source(ORDER_FIELDS, values)).encode("ascii") + b"".join(
            b"&" + n.encode("ascii") + b"=" + values[n].encode("gbk") for n in ORDER_FIELDS if n in values)
        content_type = "application/x-www-form-urlencoded; charset=GBK"
    status, _, answer = request(sandbox + "/ips/cmpayService", "POST", body, content_type)
    assert status == 200, answer
    a = parse_answer(answer, ("message",))
    assert a["returnCode"] == "IPS0008", a
    assert "the bytes are GBK but characterSet says 02" in a["message"], a["message"]
    assert "declare characterSet 00, or encode UTF-8" in a["message"], a["message"]
    assert a["hmac"] == kit_hmac(source(ANSWER_FIELDS, a)), "signed, as the gateway's IPS0008 answers are"
    report = explain(body)
    assert "gateway: REFUSED, it answers IPS0008" in report and "declare characterSet 00, or encode UTF-8" in report, report
    # Declared as 00, the same GBK bytes are the order.
    values["characterSet"], values["requestId"] = "00", values["requestId"] + "b"
    a = parse_answer(send(sandbox + "/ips/cmpayService", ORDER_FIELDS, values, "00", how == "raw-body"), ("message",))
    assert a["returnCode"] == "000000", a


def test_a_merchant_writing_a_byte_order_mark(sandbox: str, shop: Shop) -> None:
    """The .NET kit under Mono: EF BB BF before the body. IPS0008 naming the mark; explain names it too."""
    values = order_values(shop.url, "02", "话费充值")
    body = b"\xef\xbb\xbf" + signed_pairs(values, "utf-8")
    status, _, answer = request(sandbox + "/ips/cmpayService", "POST", body)
    assert status == 200, answer
    a = parse_answer(answer, ("message",))
    assert a["returnCode"] == "IPS0008" and "byte-order mark" in a["message"], a
    report = explain(body)
    assert "result: MATCH" in report and "byte-order mark (EF BB BF)" in report, report
    # Without the mark, the same body is the order.
    status, _, answer = request(sandbox + "/ips/cmpayService", "POST", body[3:])
    assert parse_answer(answer, ("message",))["returnCode"] == "000000", answer
