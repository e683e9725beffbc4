"""examples/notify_wsgi.py served for real (its own process, wsgiref), fed
PageNotify and OfflineNotify by the sandbox after an order created through
this binding's client and paid on the sandbox's cashier page."""

from __future__ import annotations

import html.parser
import itertools
import logging
import os
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

import pytest

import cmpay
from conftest import KEY, MERCHANT_ID, key_file
from sandbox import Sandbox, http

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "notify_wsgi.py"
_seq = itertools.count(1)


class Endpoint:
    def __init__(self, db: Path, gateway: str) -> None:
        self.db = db
        env = dict(os.environ, CMPAY_MERCHANT_ID=MERCHANT_ID, CMPAY_SIGN_KEY=KEY, CMPAY_SHOP_DB=str(db), PYTHONDONTWRITEBYTECODE="1",
                   CMPAY_ENDPOINT=gateway, CMPAY_ALLOW_HTTP="1")
        self.proc = subprocess.Popen([sys.executable, str(EXAMPLE), "127.0.0.1", "0"], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        assert self.proc.stdout is not None
        first = self.proc.stdout.readline()
        assert first.startswith("listening on http://127.0.0.1:"), first + (self.proc.stderr.read() if self.proc.stderr else "")
        self.url = first.split()[-1]  # http://127.0.0.1:PORT/
        self.log: List[str] = []
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.log.append(line)

    def logged(self, text: str, timeout: float = 10.0) -> bool:
        """Whether the endpoint logged a line containing text; its stderr is
        read by another thread, so a line may arrive just after the answer."""
        deadline = time.monotonic() + timeout
        while True:
            if any(text in line for line in list(self.log)):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)

    def add_order(self, order_id: str, amount_fen: int) -> None:
        """What the shop records when it creates an order."""
        with sqlite3.connect(str(self.db)) as db:
            db.execute("INSERT INTO orders (order_id, amount_fen) VALUES (?, ?)", (order_id, amount_fen))

    def payments(self, order_id: str) -> List[Tuple[Any, ...]]:
        with sqlite3.connect(str(self.db)) as db:
            return db.execute("SELECT pay_no, status, first_seen_via FROM payments WHERE order_id = ?", (order_id,)).fetchall()

    def execute(self, sql: str, params: Tuple[Any, ...]) -> None:
        with sqlite3.connect(str(self.db)) as db:
            db.execute(sql, params)

    def order_status(self, order_id: str) -> Tuple[Any, ...]:
        with sqlite3.connect(str(self.db)) as db:
            return db.execute("SELECT status, pay_no FROM orders WHERE order_id = ?", (order_id,)).fetchone()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    s = Sandbox()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory, sandbox: Sandbox) -> Iterator[Endpoint]:
    e = Endpoint(tmp_path_factory.mktemp("shop") / "shop.sqlite3", sandbox.endpoint)
    yield e
    e.stop()


@pytest.fixture(scope="module")
def client(sandbox: Sandbox, merchant: cmpay.Merchant) -> Iterator[cmpay.Client]:
    with cmpay.Client(merchant, endpoint=sandbox.endpoint, allow_http=True, timeout_ms=10000) as c:
        yield c


class _Form(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.hidden: Dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Any]]) -> None:
        a = dict(attrs)
        if tag == "form" and not self.action:
            self.action = a.get("action") or ""
        if tag == "input" and a.get("type") == "hidden":
            self.hidden[a.get("name") or ""] = a.get("value") or ""


def new_order_id() -> str:
    return "PY%d%03d%d" % (os.getpid(), next(_seq), int(time.time() * 1000) % 100000)


def create_order(client: cmpay.Client, sandbox: Sandbox, endpoint: Endpoint, amount: int = 12800,
                 register: bool = True, registered_amount: int = 0, reserved2: str = "",
                 order_id: str = "") -> Tuple[str, str, str]:
    """Creates an order through the binding and records it in the shop:
    (orderId, the cashier URL, sessionId)."""
    order_id = order_id or new_order_id()
    if register:
        endpoint.add_order(order_id, registered_amount or amount)
    today = time.strftime("%Y%m%d")
    with client.create_order({
        "orderId": order_id, "amount": amount, "orderDate": today, "merAcDate": today,
        "period": 30, "periodUnit": "00", "productName": "测试商品", "ipAddress": "127.0.0.1",
        "reserved1": "自定义1", "reserved2": reserved2, "characterSet": "00",
        "notifyUrl": endpoint.url + "cmpay/notify", "callbackUrl": endpoint.url + "cmpay/return",
    }) as response:
        url, method, session_id = response.pay_url()
        redirect = response.redirect_url()
        assert session_id and url.startswith(sandbox.base)
        assert "sessionId=" + session_id in redirect
        assert session_id in response.html_form()
    return order_id, redirect, session_id


def create_and_pay(client: cmpay.Client, sandbox: Sandbox, endpoint: Endpoint, amount: int = 12800,
                   action: str = "pay", register: bool = True, registered_amount: int = 0,
                   page_notify: str = "get", reserved2: str = "", order_id: str = "",
                   before_paying: Optional[Callable[[str], None]] = None) -> Tuple[str, str]:
    """Creates an order through the binding, records it in the shop, pays (or
    fails) it on the cashier page; returns (orderId, PageNotify URL)."""
    order_id, redirect, session_id = create_order(client, sandbox, endpoint, amount, register, registered_amount,
                                                  reserved2, order_id)
    if before_paying is not None:
        before_paying(order_id)
    # The shopper's browser: the cashier page, then its pay (or fail) button.
    status, _, page = http("GET", redirect)
    assert status == 200
    form = _Form()
    form.feed(page.decode("utf-8"))
    assert form.hidden.get("sessionId") == session_id
    submit = urllib.parse.urljoin(redirect, form.action)
    status, headers, page = http("POST", submit, urllib.parse.urlencode({"sessionId": session_id, "action": action, "pageNotify": page_notify}).encode())
    if page_notify == "post":
        # The live gateway's way: a page whose form the browser submits to callbackUrl.
        back = _Form()
        back.feed(page.decode("utf-8"))
        assert status == 200 and back.action.startswith(endpoint.url + "cmpay/return"), page
        return order_id, back.action + "\n" + urllib.parse.urlencode(back.hidden)
    assert status in (302, 303), status
    location = headers.get("Location") or headers.get("location") or ""
    assert location.startswith(endpoint.url + "cmpay/return?")
    return order_id, location


def test_offline_and_page_notify_answered_success(client: cmpay.Client, sandbox: Sandbox, endpoint: Endpoint) -> None:
    order_id, page_notify = create_and_pay(client, sandbox, endpoint)
    # PageNotify: the browser follows the redirect to the shop.
    status, _, body = http("GET", page_notify)
    assert (status, body) == (200, b"SUCCESS"), endpoint.log
    # OfflineNotify: the sandbox POSTs it at once; the endpoint's answer is recorded.
    deliveries = sandbox.wait_for_delivery(order_id)
    first = deliveries[0]
    assert first["httpStatus"] == 200 and first["answer"] == "SUCCESS" and first["acked"] is True, deliveries
    assert sandbox.order(order_id)["notifyAcked"] is True
    assert sandbox.order(order_id)["state"] == "SUCCESS"
    # Processed once, whichever came first.
    payments = endpoint.payments(order_id)
    assert len(payments) == 1 and payments[0][1] == "paid"
    assert endpoint.order_status(order_id) == ("paid", payments[0][0])
    # The same PageNotify again (a reload): still SUCCESS, still one payment.
    assert http("GET", page_notify)[:3:2] == (200, b"SUCCESS")
    assert len(endpoint.payments(order_id)) == 1
    time.sleep(1.5)  # past the first (scaled) resend: none, since it was acknowledged
    assert len(sandbox.deliveries(order_id)) == 1


def test_page_notify_by_post_form_as_the_live_gateway_sends_it(client: cmpay.Client, sandbox: Sandbox, endpoint: Endpoint) -> None:
    order_id, posted = create_and_pay(client, sandbox, endpoint, page_notify="post")
    action, body = posted.split("\n", 1)
    assert "type=PageNotify" in body
    status, _, answer = http("POST", action, body.encode("ascii"))
    assert (status, answer) == (200, b"SUCCESS"), endpoint.log
    payments = endpoint.payments(order_id)
    assert len(payments) == 1 and payments[0][1] == "paid"
    # Tampered, the same POST is refused.
    status, _, answer = http("POST", action, body.replace("amount=12800", "amount=1").encode("ascii"))
    assert status == 400 and answer != b"SUCCESS"


def test_tampered_notification_is_not_answered_success(client: cmpay.Client, sandbox: Sandbox, endpoint: Endpoint) -> None:
    order_id, page_notify = create_and_pay(client, sandbox, endpoint)
    query = page_notify.split("?", 1)[1]
    assert "amount=12800" in query
    tampered = query.replace("amount=12800", "amount=1")
    # POSTed directly, as an attacker (or a broken proxy) would.
    status, _, body = http("POST", endpoint.url + "cmpay/notify", tampered.encode("ascii"))
    assert status == 400 and body != b"SUCCESS" and b"SUCCESS" not in body
    status, _, body = http("GET", endpoint.url + "cmpay/return?" + tampered)
    assert status == 400 and body != b"SUCCESS"
    # Untampered, the same body is fine (so the 400 was the signature).
    status, _, body = http("POST", endpoint.url + "cmpay/notify", query.encode("ascii"))
    assert (status, body) == (200, b"SUCCESS")
    for garbage in (b"", b"hello", b"merchantId=888009941120001&hmac=00"):
        status, _, body = http("POST", endpoint.url + "cmpay/notify", garbage)
        assert status == 400 and body != b"SUCCESS"


def test_notification_for_another_amount_is_not_answered_success(client: cmpay.Client, sandbox: Sandbox, endpoint: Endpoint) -> None:
    # Genuinely signed, but the shop's order is for another amount: check_order refuses it.
    order_id, page_notify = create_and_pay(client, sandbox, endpoint, amount=12800, registered_amount=12900)
    status, _, body = http("GET", page_notify)
    assert status == 400 and body != b"SUCCESS"
    first = sandbox.wait_for_delivery(order_id)[0]
    assert first["acked"] is False and first["answer"] != "SUCCESS"
    assert endpoint.payments(order_id) == []
    assert endpoint.logged("FIELD_INVALID")


def test_order_paid_already_is_not_paid_again(client: cmpay.Client, sandbox: Sandbox, endpoint: Endpoint) -> None:
    # The shop's order is paid already (by another payment: another payNo). A
    # verified, unambiguous notification for it with a new payNo records no
    # second payment: de-duplicated by the order's state, not only by payNo.
    def paid_meanwhile(order_id: str) -> None:
        endpoint.execute("UPDATE orders SET status = 'paid', pay_no = 'EARLIER1' WHERE order_id = ?", (order_id,))

    order_id, page_notify = create_and_pay(client, sandbox, endpoint, before_paying=paid_meanwhile)
    status, _, body = http("GET", page_notify)
    assert (status, body) == (409, b"FAIL"), endpoint.log[-3:]
    first = sandbox.wait_for_delivery(order_id)[0]
    assert (first["httpStatus"], first["answer"], first["acked"]) == (409, "FAIL", False), first
    assert endpoint.payments(order_id) == []
    assert endpoint.order_status(order_id) == ("paid", "EARLIER1")
    assert endpoint.logged("paid already by payNo EARLIER1")


def test_failed_payment_is_recorded_and_acknowledged(client: cmpay.Client, sandbox: Sandbox, endpoint: Endpoint) -> None:
    order_id, page_notify = create_and_pay(client, sandbox, endpoint, action="fail")
    status, _, body = http("GET", page_notify)
    assert (status, body) == (200, b"SUCCESS")
    assert sandbox.wait_for_delivery(order_id)[0]["acked"] is True
    assert [p[1] for p in endpoint.payments(order_id)] == ["failed"]
    assert endpoint.order_status(order_id)[0] == "new"


def test_client_query_and_refund_against_sandbox(client: cmpay.Client, sandbox: Sandbox, endpoint: Endpoint) -> None:
    order_id, page_notify = create_and_pay(client, sandbox, endpoint, amount=500)
    with client.query_order(order_id) as r:
        assert r["status"] == "SUCCESS" and r["amount"] == "500" and r["orderId"] == order_id
        assert r.order_status is cmpay.OrderStatus.PAID and r.amount == 500 and r.pay_no
    with client.refund(order_id, 200) as r:
        assert r["status"] == "SUCCESS" and r.amount == 200
    with pytest.raises(cmpay.GatewayError) as e:
        client.refund(order_id, 400)  # more than is left
    assert e.value.return_code == "RPM22407"
    with pytest.raises(cmpay.GatewayError) as e:
        client.query_order("NO-SUCH-ORDER")
    assert e.value.return_code == "RPM22201"
    info = cmpay.return_code_info(e.value.return_code)
    assert info is not None and info.chinese == "订单不存在"


def test_rsa_merchant_end_to_end(sandbox: Sandbox) -> None:
    # The sandbox's RSA test merchant uses tests/data/test-keys (merchant key pair, platform = gateway key).
    m = cmpay.Merchant.rsa("888009941120002", key_file("merchant_private_pkcs8.pem"), key_file("platform_public.pem"))
    with m, cmpay.Client(m, endpoint=sandbox.endpoint, allow_http=True) as client:
        today = time.strftime("%Y%m%d")
        order_id = "PYRSA%d%d" % (os.getpid(), next(_seq))
        with client.create_order({
            "orderId": order_id, "amount": 100, "orderDate": today, "merAcDate": today, "period": 1, "periodUnit": "01",
            "productName": "RSA", "ipAddress": "127.0.0.1",
            "notifyUrl": "http://127.0.0.1:9/n", "callbackUrl": "http://127.0.0.1:9/c",
        }) as r:
            assert r["signType"] == "RSA" and r.pay_url().session_id
        with pytest.raises(cmpay.GatewayError) as e:
            client.query_order("NO-SUCH-ORDER")  # a signed RSA error answer
        assert e.value.return_code == "RPM22201"
    # Pinned to the wrong gateway key, nothing from the sandbox verifies.
    wrong = cmpay.Merchant.rsa("888009941120002", key_file("merchant_private_pkcs8.pem"), key_file("merchant_public.pem"))
    with wrong, cmpay.Client(wrong, endpoint=sandbox.endpoint, allow_http=True) as client:
        with pytest.raises(cmpay.SignatureError):
            client.query_order(order_id)


def test_https_with_extra_ca(tmp_path: Path, merchant: cmpay.Merchant) -> None:
    ca = tmp_path / "ca.pem"
    s = Sandbox(ca_out=ca)
    try:
        assert s.endpoint.startswith("https://")
        # Trusted through cmpay_config_add_ca_pem: the TLS handshake holds.
        with cmpay.Client(merchant, endpoint=s.endpoint, ca_pem=ca.read_bytes(), timeout_ms=10000) as client:
            with pytest.raises(cmpay.GatewayError) as e:
                client.query_order("NO-SUCH-ORDER")
            assert e.value.return_code == "RPM22201"
        with cmpay.Client(merchant, endpoint=s.endpoint, ca_pem=[ca.read_text()], timeout_ms=10000) as client:
            with pytest.raises(cmpay.GatewayError):
                client.query_order("NO-SUCH-ORDER")
        # Without it, the certificate is not trusted.
        with cmpay.Client(merchant, endpoint=s.endpoint, timeout_ms=10000) as client:
            with pytest.raises(cmpay.TlsError) as t:
                client.query_order("NO-SUCH-ORDER")
            assert t.value.status == cmpay.Status.TLS
    finally:
        s.stop()


# --- Moved field boundaries (docs/resplit.md) ---------------------------------------
# The gateway signs its values joined with no separator: moving the boundary
# between two adjacent fields keeps the hmac. The library refuses such a
# notification after the signature held; the endpoint must never answer SUCCESS.


def _fields(query: str) -> List[List[str]]:
    """The raw (still percent-encoded) name/value pairs of a form body."""
    return [pair.split("=", 1) for pair in query.split("&")]


def _resplit(query: str, changes: Dict[str, str]) -> str:
    pairs = _fields(query)
    for pair in pairs:
        if pair[0] in changes:
            pair[1] = changes[pair[0]]
    return "&".join("=".join(p) for p in pairs)


def _raw(query: str, name: str) -> str:
    return dict((p[0], p[1]) for p in _fields(query))[name]


def _refused(endpoint: Endpoint, body: str) -> None:
    status, _, answer = http("POST", endpoint.url + "cmpay/notify", body.encode("ascii"))
    assert status == 400 and b"SUCCESS" not in answer, (status, answer, endpoint.log[-3:])


def test_failed_notification_resplit_as_paid_is_refused(client: cmpay.Client, sandbox: Sandbox, endpoint: Endpoint) -> None:
    order_id, page_notify = create_and_pay(client, sandbox, endpoint, action="fail", reserved2="buyer note: SUCCESS")
    query = page_notify.split("?", 1)[1]
    assert "status=FAILED" in query and _raw(query, "reserved2") == "buyer+note%3A+SUCCESS"
    date = _raw(query, "orderDate")
    moved = _resplit(query, {"reserved2": "buyer+note%3A+", "status": "SUCCESS", "orderDate": "FAILED" + date})
    _refused(endpoint, moved)
    assert endpoint.logged("orderDate")
    # The genuine FAILED one is still acknowledged, and the order is not paid.
    status, _, body = http("POST", endpoint.url + "cmpay/notify", query.encode("ascii"))
    assert (status, body) == (200, b"SUCCESS")
    assert endpoint.order_status(order_id)[0] == "new"


def test_order_id_version_and_amount_shifts_are_refused(client: cmpay.Client, sandbox: Sandbox, endpoint: Endpoint) -> None:
    order_id, page_notify = create_and_pay(client, sandbox, endpoint)
    query = page_notify.split("?", 1)[1]
    pay_date, mobile = _raw(query, "payDate"), _raw(query, "mobile")
    assert len(pay_date) == 14 and mobile.count("*") == 4, query
    for changes in (
        {"orderId": order_id + pay_date[0], "payDate": pay_date[1:]},   # orderId takes payDate's first digit
        {"mobile": mobile[:-1], "orderId": mobile[-1] + order_id},      # ... or mobile's last
        {"version": "2.0.", "amount": "012800"},                        # version and amount trade a character
    ):
        _refused(endpoint, _resplit(query, changes))
    assert endpoint.payments(order_id) == [] or all(p[0] for p in endpoint.payments(order_id))
    assert endpoint.order_status(order_id + pay_date[0]) is None


def test_unsigned_extra_pair_is_ignored(client: cmpay.Client, sandbox: Sandbox, endpoint: Endpoint) -> None:
    victim, _ = create_and_pay(client, sandbox, endpoint, action="fail")
    order_id, page_notify = create_and_pay(client, sandbox, endpoint)
    query = page_notify.split("?", 1)[1]
    # "order%2549d" decodes once to "order%49d": never a second orderId.
    status, _, body = http("POST", endpoint.url + "cmpay/notify", (query + "&order%2549d=" + victim).encode("ascii"))
    assert (status, body) == (200, b"SUCCESS")
    assert endpoint.order_status(order_id)[0] == "paid"
    assert endpoint.order_status(victim)[0] == "new"
    with cmpay.Merchant.md5(MERCHANT_ID, KEY) as m, m.parse_notification(query + "&order%2549d=" + victim) as n:
        fields = n.fields()
        assert fields["orderId"] == order_id and "order%49d" not in fields


def test_empty_last_bulk_value_crosses() -> None:
    from cmpay import _pairs

    assert _pairs.encode({"a": "1", "fee": ""}) == b"a\x001\x00fee\x00\x00"
    assert _pairs.decode(b"a\x001\x00fee\x00\x00") == {"a": "1", "fee": ""}
    fields = {"merchantId": MERCHANT_ID, "payNo": "1", "type": "OfflineNotify", "amount": "1"}
    with cmpay.Merchant.md5(MERCHANT_ID, KEY) as m:
        # An empty value adds nothing to the signature: the same hmac with or
        # without "fee" as the last, empty, value.
        assert m.hmac("notify", dict(fields, fee="")) == m.hmac("notify", fields)


def test_many_names_body_is_refused_cheaply(endpoint: Endpoint) -> None:
    # 10,922 distinct four-letter names fill 64 KiB; refused at 256 pairs.
    names = ("".join(chr(97 + (i // 26 ** k) % 26) for k in range(4)) for i in range(10922))
    body = "&".join(n + "=" for n in names) + "&"
    assert len(body) <= 65536
    _refused(endpoint, body)


# --- A paid notification re-split to read as another order (docs/resplit.md) -------
# Order A's id is order B's followed by a date-time: the end of A's orderId,
# its payDate and accountDate slide into reserved1, and A's genuine
# notification reads as paying B, with the same hmac. Only the shop's orders
# or the gateway can tell the two readings apart.

A_TAIL = "20261206234512"


def _resplit_to(query: str, other: str) -> str:
    """A's notification (raw query) re-split to read as paying ``other``."""
    v = dict((p[0], p[1]) for p in _fields(query))
    tail = v["orderId"][len(other):]
    assert v["orderId"] == other + tail and len(tail) == 14, (v["orderId"], other)
    return _resplit(query, {"orderId": other, "payDate": tail, "accountDate": v["payDate"][:8],
                            "reserved1": v["payDate"][8:] + v["accountDate"] + v["reserved1"]})


def test_paid_notification_resplit_to_another_order_is_not_confirmed(client: cmpay.Client, sandbox: Sandbox,
                                                                     endpoint: Endpoint, merchant: cmpay.Merchant) -> None:
    order_b, _, _ = create_order(client, sandbox, endpoint)
    order_a, page_notify = create_and_pay(client, sandbox, endpoint, order_id=order_b + A_TAIL)
    query = page_notify.split("?", 1)[1]
    forged = _resplit_to(query, order_b)
    with merchant.parse_notification(forged) as n:  # the same signed source: it verifies
        assert (n.order_id, n.amount, n.is_paid, n["payDate"]) == (order_b, 12800, True, A_TAIL)
        assert n.is_ambiguous() is True and order_a in n.other_order_ids()
        with pytest.raises(cmpay.AmbiguousError):
            n.check_order(MERCHANT_ID, order_b, 12800)
        # The shop has order A too: that reading cannot be ruled out. The gateway says B is not paid.
        with pytest.raises(cmpay.NotConfirmedError) as e:
            client.confirm(n)
        assert e.value.status == cmpay.Status.NOT_CONFIRMED and e.value.status_name == "CMPAY_NOT_CONFIRMED"
        assert n.is_confirmed() is False and n.is_ambiguous() is True
        with pytest.raises(cmpay.AmbiguousError):
            n.check_order(MERCHANT_ID, order_b, 12800)
    with merchant.parse_notification(query) as g:  # A's genuine one
        assert (g.order_id, g.amount, g.is_paid) == (order_a, 12800, True)
        others = g.other_order_ids()
        assert order_b in others, others
        for other in others:
            if other != order_b:
                g.rule_out(other)  # none of the shop's orders
        assert g.is_ambiguous() is True  # B is
        with pytest.raises(cmpay.AmbiguousError):
            g.check_order(MERCHANT_ID, order_a, 12800)
        client.confirm(g)
        assert g.is_confirmed() is True
        g.check_order(MERCHANT_ID, order_a, 12800)
        with pytest.raises(cmpay.FieldError) as f:  # confirmed for A, for its amount only
            g.check_order(MERCHANT_ID, order_a, 12801)
        assert f.value.field == "amount"
    # The endpoint (the sandbox's OfflineNotify of A has reached it meanwhile): B never paid.
    assert endpoint.order_status(order_b) == ("new", None)
    status, _, answer = http("POST", endpoint.url + "cmpay/notify", forged.encode("ascii"))
    assert (status, answer) == (400, b"FAIL"), endpoint.log[-3:]
    assert endpoint.logged("NOT_CONFIRMED")
    assert http("GET", page_notify)[:3:2] == (200, b"SUCCESS")
    assert [p[1] for p in endpoint.payments(order_a)] == ["paid"] and endpoint.payments(order_b) == []
    assert endpoint.order_status(order_b) == ("new", None)


def test_confirm_needs_a_known_order(client: cmpay.Client, merchant: cmpay.Merchant) -> None:
    # The vectors' notification: its order was never created at the sandbox.
    from conftest import vector

    with merchant.parse_notification(vector("notify-OfflineNotify")["form_body"]) as n:
        with pytest.raises(cmpay.GatewayError) as e:
            client.confirm(n)
        assert e.value.return_code == "RPM22201"
        assert n.is_confirmed() is False and n.is_ambiguous() is True
        with pytest.raises(TypeError):
            client.confirm(None)  # type: ignore[arg-type]


@pytest.fixture
def own_gateway(tmp_path: Path, merchant: cmpay.Merchant) -> Iterator[Tuple[Sandbox, Endpoint, cmpay.Client]]:
    """A sandbox and an endpoint of their own: no other test's OfflineNotify
    resends reach them, so every order query the endpoint sends is this test's."""
    s = Sandbox()
    e = Endpoint(tmp_path / "shop.sqlite3", s.endpoint)
    try:
        with cmpay.Client(merchant, endpoint=s.endpoint, allow_http=True, timeout_ms=10000) as c:
            yield s, e, c
    finally:
        e.stop()
        s.stop()


def _gateway_fault(sandbox: Sandbox, **form: str) -> None:
    status, _, body = http("POST", sandbox.base + "/sandbox/faults", urllib.parse.urlencode(form).encode())
    assert status == 200, body


QUERY_DOWN = {"fault": "http-status", "status": "503", "type": "query"}


def test_endpoint_rules_out_other_orders_without_asking_the_gateway(own_gateway: Tuple[Sandbox, Endpoint, cmpay.Client],
                                                                    merchant: cmpay.Merchant) -> None:
    sandbox, endpoint, client = own_gateway
    _gateway_fault(sandbox, count="1", **QUERY_DOWN)  # an order query would use it up
    order_id, page_notify = create_and_pay(client, sandbox, endpoint)
    with merchant.parse_notification(page_notify.split("?", 1)[1]) as n:
        assert n.is_ambiguous() is True and n.other_order_ids()  # genuine, and ambiguous
    assert http("GET", page_notify)[:3:2] == (200, b"SUCCESS"), endpoint.log[-3:]
    first = sandbox.wait_for_delivery(order_id)[0]
    assert (first["httpStatus"], first["answer"]) == (200, "SUCCESS"), first
    assert [p[1] for p in endpoint.payments(order_id)] == ["paid"]
    # None of the other order ids is the shop's: ruled out, no query sent.
    assert sandbox.json("/sandbox/faults") == [{"fault": "http-status", "count": 1, "type": "query", "detail": {"status": 503}}]
    assert not any("confirming" in line for line in endpoint.log)


def test_endpoint_records_nothing_until_the_gateway_confirms(own_gateway: Tuple[Sandbox, Endpoint, cmpay.Client]) -> None:
    sandbox, endpoint, client = own_gateway
    order_b, _, _ = create_order(client, sandbox, endpoint)
    _gateway_fault(sandbox, count="1000", **QUERY_DOWN)
    order_a, page_notify = create_and_pay(client, sandbox, endpoint, order_id=order_b + A_TAIL)
    query = page_notify.split("?", 1)[1]
    forged = _resplit_to(query, order_b)
    # The gateway cannot be asked: FAIL and 503 to A's genuine notifications (the gateway sends
    # again), and to the forged one; nothing recorded.
    first = sandbox.wait_for_delivery(order_a)[0]
    assert (first["httpStatus"], first["answer"], first["acked"]) == (503, "FAIL", False), first
    for method, url, body in (("GET", page_notify, None), ("POST", endpoint.url + "cmpay/notify", forged.encode("ascii")),
                              ("POST", endpoint.url + "cmpay/notify", query.encode("ascii"))):
        assert http(method, url, body)[:3:2] == (503, b"FAIL"), endpoint.log[-3:]
    assert endpoint.payments(order_a) == [] and endpoint.payments(order_b) == []
    assert endpoint.order_status(order_a) == ("new", None)
    assert endpoint.logged("could not be asked")
    # The gateway back: A's confirmed and recorded once, B refused.
    http("POST", sandbox.base + "/sandbox/faults/clear", b"")
    status, _, answer = http("POST", endpoint.url + "cmpay/notify", forged.encode("ascii"))
    assert (status, answer) == (400, b"FAIL"), endpoint.log[-3:]
    assert http("GET", page_notify)[:3:2] == (200, b"SUCCESS"), endpoint.log[-3:]
    (payment,) = endpoint.payments(order_a)
    assert payment[1] == "paid" and endpoint.order_status(order_a) == ("paid", payment[0])
    assert http("POST", endpoint.url + "cmpay/notify", forged.encode("ascii"))[:3:2] == (400, b"FAIL")
    assert endpoint.payments(order_b) == [] and endpoint.order_status(order_b) == ("new", None)


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: List[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_a_payment_is_logged_through_logging_without_secrets(sandbox: Sandbox, endpoint: Endpoint, merchant: cmpay.Merchant) -> None:
    log = logging.getLogger("cmpay.test_logging")
    log.setLevel(logging.DEBUG)
    log.propagate = False
    capture = _Capture()
    log.addHandler(capture)
    try:
        with cmpay.Client(merchant, endpoint=sandbox.endpoint, allow_http=True, timeout_ms=10000, logger=log) as client:
            order_id, page_notify = create_and_pay(client, sandbox, endpoint)
            query = page_notify.split("?", 1)[1]
            with client.parse_notification(query) as n:
                assert n.order_id == order_id and n.is_paid
                pay_no = n.pay_no
            with pytest.raises(cmpay.SignatureError):
                client.parse_notification(query.replace("amount=12800", "amount=12801"))
            with client.query_order(order_id) as q:
                query_hmac = q["hmac"]
    finally:
        log.removeHandler(capture)
    lines = [(r.levelno, getattr(r, "cmpay_event", ""), r.getMessage()) for r in capture.records]
    assert all(r.name == "cmpay.test_logging" for r in capture.records)

    def find(event: str, *needles: str) -> Tuple[int, str, str]:
        for line in lines:
            if line[1] == event and all(n in line[2] for n in needles):
                return line
        raise AssertionError("no %s record with %r in %r" % (event, needles, lines))

    sent = find("request.sent", order_id, "DirectPayConfirm", sandbox.endpoint)
    assert sent[0] == logging.INFO and sent[2].startswith("request.sent ")
    request_id = sent[2].split("requestId=")[1].split()[0]
    assert len(request_id) > 10
    received = find("answer.received", request_id, order_id, "returnCode=000000")
    assert received[0] == logging.INFO
    verified = find("notify.verified", order_id, pay_no, "amount=12800")
    assert verified[0] == logging.INFO
    assert find("notify.refused", "SignatureMismatch")[0] == logging.WARNING
    assert find("request.body", "hmac=[redacted]")[0] == logging.DEBUG
    assert find("notify.body", "hmac=[redacted]")[0] == logging.DEBUG
    find("request.sent", "OrderQuery", order_id)
    hmacs = [v for k, v in urllib.parse.parse_qsl(query) if k == "hmac"] + [query_hmac]
    assert all(len(h) >= 32 for h in hmacs)
    for _, event, text in lines:
        assert KEY not in text, event
        for h in hmacs:
            assert h not in text, event


def test_logging_follows_the_logger_level_and_can_be_off(sandbox: Sandbox, merchant: cmpay.Merchant) -> None:
    log = logging.getLogger("cmpay.test_logging_levels")
    log.setLevel(logging.WARNING)
    log.propagate = False
    capture = _Capture()
    log.addHandler(capture)
    try:
        with cmpay.Client(merchant, endpoint=sandbox.endpoint, allow_http=True, logger=log) as client:
            with pytest.raises(cmpay.GatewayError):
                client.query_order("NOSUCHORDER%d" % os.getpid())
            with pytest.raises(cmpay.ParseError):
                client.parse_notification(b"garbage")
        with cmpay.Client(merchant, endpoint=sandbox.endpoint, allow_http=True, logger=False) as quiet:
            with pytest.raises(cmpay.ParseError):
                quiet.parse_notification(b"garbage")
        with pytest.raises(TypeError):
            cmpay.Client(merchant, logger="cmpay")  # type: ignore[arg-type]
    finally:
        log.removeHandler(capture)
    events = [(r.levelno, r.cmpay_event) for r in capture.records]  # type: ignore[attr-defined]
    assert events == [(logging.WARNING, "answer.received"), (logging.WARNING, "notify.refused")], events


def test_a_failing_log_handler_does_not_break_the_client(sandbox: Sandbox, merchant: cmpay.Merchant) -> None:
    class Failing(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            raise RuntimeError("the shop's handler failed")

        def handleError(self, record: logging.LogRecord) -> None:
            raise RuntimeError("and so did its error handling")

    log = logging.getLogger("cmpay.test_logging_failing")
    log.setLevel(logging.DEBUG)
    log.propagate = False
    handler = Failing()
    log.addHandler(handler)
    try:
        with cmpay.Client(merchant, endpoint=sandbox.endpoint, allow_http=True, logger=log) as client:
            with pytest.raises(cmpay.GatewayError):
                client.query_order("NOSUCHORDER%d" % os.getpid())
    finally:
        log.removeHandler(handler)


def test_client_from_env(sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key_file = tmp_path / "sign.key"
    key_file.write_bytes(b"\xef\xbb\xbf" + KEY.encode() + b"\r\n")  # a BOM and CRLF, as Notepad saves it
    for name in ("CMPAY_SIGN_KEY", "CMPAY_RSA_PRIVATE_KEY_FILE", "CMPAY_RSA_PUBLIC_KEY_FILE", "CMPAY_PRIVATE_KEY_FILE",
                 "CMPAY_GATEWAY_KEY_FILE", "CMPAY_CHARSET", "CMPAY_PROXY", "CMPAY_EXTRA_CA_FILE", "CMPAY_CONNECT_TIMEOUT_MS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CMPAY_MERCHANT_ID", MERCHANT_ID)
    monkeypatch.setenv("CMPAY_SIGN_KEY_FILE", str(key_file))
    monkeypatch.setenv("CMPAY_ENDPOINT", sandbox.endpoint)
    monkeypatch.setenv("CMPAY_ALLOW_HTTP", "1")
    monkeypatch.setenv("CMPAY_TIMEOUT_MS", "10000")
    with cmpay.Client.from_env(logger=False) as client:
        assert client.merchant.sign_query({"requestId": "r1", "orderId": "o1"}).hmac == \
            cmpay.Merchant.md5(MERCHANT_ID, KEY).sign_query({"requestId": "r1", "orderId": "o1"}).hmac
        # Signed with the key from the file: the sandbox verifies it and answers "no such order".
        with pytest.raises(cmpay.GatewayError) as e:
            client.query_order("NOSUCHORDER%d" % os.getpid())
        assert e.value.return_code == "RPM22201"

    monkeypatch.setenv("CMPAY_TIMEOUT_MS", "ten seconds")
    with pytest.raises(cmpay.InvalidInputError, match="CMPAY_TIMEOUT_MS"):
        cmpay.Client.from_env()
    monkeypatch.setenv("CMPAY_TIMEOUT_MS", "10000")
    key_file.write_bytes(KEY.encode() + b" \n")
    with pytest.raises(cmpay.InvalidKeyError, match="CMPAY_SIGN_KEY_FILE") as k:
        cmpay.Client.from_env()
    assert str(key_file) in str(k.value) and KEY not in str(k.value)
    monkeypatch.delenv("CMPAY_MERCHANT_ID")
    with pytest.raises(cmpay.InvalidInputError, match="CMPAY_MERCHANT_ID is not set"):
        cmpay.Client.from_env()
