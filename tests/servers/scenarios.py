"""The checks every deployed notify endpoint goes through, whatever the
server: notifications recorded once, a concurrent burst, forged ones refused,
and the shopper's return page. ``server`` has ``url`` and ``logs()``; the
endpoints are cmpay/notify and cmpay/return unless it has ``notify_path`` and
``return_path``; ``page_paid`` is what the return page shows for a payment
(PAID for the HTML page every example serves there)."""

from __future__ import annotations

import concurrent.futures
import html.parser
import os
import threading
import time
import urllib.parse
from typing import Any, Dict, List, Optional, Tuple

import pytest

import cmpay
from servers import Sandbox, http, worker_ids
from shop import KEY, MERCHANT_ID, Capture, Store, create_and_pay, create_order, new_order_id


PAID = b'id="status">paid<'  # the return page's status of a payment


def urls(server: Any) -> Tuple[str, str]:
    """notifyUrl and callbackUrl: cmpay/notify and cmpay/return unless the server says otherwise."""
    return (server.url + getattr(server, "notify_path", "cmpay/notify"),
            server.url + getattr(server, "return_path", "cmpay/return"))


def recorded_once(server: Any, store: Store, sandbox: Sandbox, page_paid: bytes) -> Tuple[str, bytes]:
    """The sandbox's PageNotify (the browser) and OfflineNotify: one payment,
    SUCCESS to the gateway. Returns the order and the return page."""
    notify, ret = urls(server)
    order_id, page = create_and_pay(sandbox, store, notify, ret)
    status, _, body = page.send()
    assert status == 200, (body, server.logs())
    assert page_paid in body
    # The OfflineNotify: acknowledged. (A send the sandbox gave up waiting for,
    # e.g. while a fresh worker compiles its JSP, is sent again: each one that
    # was answered must have been answered SUCCESS.)
    deliveries = acked_delivery(sandbox, order_id)
    answered = [(d["httpStatus"], d["answer"]) for d in deliveries if d["httpStatus"] is not None]
    assert answered and set(answered) == {(200, "SUCCESS")}, (deliveries, server.logs())
    (payment,) = store.payments(order_id)
    assert payment[1:] == ["paid", "12800"]
    assert store.order(order_id) == ["paid", payment[0]]
    # A reload of the return page, and the same fields at notify: still one payment.
    assert page.send()[0] == 200
    assert page.send(notify)[:3:2] == (200, b"SUCCESS")
    assert len(store.payments(order_id)) == 1
    return order_id, body


def acked_delivery(sandbox: Sandbox, order_id: str, timeout: float = 60.0) -> List[Any]:
    """The sandbox's OfflineNotify sends for an order, once one was acknowledged."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = sandbox.deliveries(order_id)
        if any(d["acked"] for d in found):
            return found
        time.sleep(0.1)
    raise AssertionError("no OfflineNotify acknowledged for %s: %s" % (order_id, sandbox.deliveries(order_id)))


def burst(server: Any, store: Store, sandbox: Sandbox, page_paid: bytes) -> None:
    """PageNotify, OfflineNotify and resends of both, all at once at the
    server's workers: every valid one answered SUCCESS, exactly one payment."""
    notify, ret = urls(server)
    capture = Capture()
    try:
        order_id, page = create_and_pay(sandbox, store, capture.url, ret)
        offline = capture.first()
    finally:
        capture.stop()
    assert b"type=OfflineNotify" in offline
    jobs: List[Tuple[str, str, bytes]] = [("POST", notify, offline)] * 16
    jobs += [(page.method, ret, page.body or b"")] * 4
    jobs += [("POST", notify, page.raw)] * 4
    barrier = threading.Barrier(len(jobs))

    def fire(job: Tuple[str, str, bytes]) -> Tuple[int, bytes]:
        method, url, body = job
        barrier.wait(30)
        if method == "GET":
            status, _, answer = http("GET", url + "?" + page.raw.decode())
        else:
            status, _, answer = http("POST", url, body)
        return status, answer

    with concurrent.futures.ThreadPoolExecutor(len(jobs)) as pool:
        answers = list(pool.map(fire, jobs))
    for (_, url, _), (status, answer) in zip(jobs, answers):
        assert status == 200, (url, status, answer, server.logs())
        assert answer == b"SUCCESS" if url == notify else page_paid in answer, answer
    (payment,) = store.payments(order_id)
    assert payment[1:] == ["paid", "12800"]
    assert store.order(order_id) == ["paid", payment[0]]


def tampered_or_resplit(server: Any, store: Store, sandbox: Sandbox) -> None:
    """FAIL to a notification with a changed amount, and to a FAILED one
    re-split into SUCCESS; the genuine one, re-encoded the same way, passes."""
    notify, ret = urls(server)
    capture = Capture()
    try:
        # A failed payment whose reserved2 ends in SUCCESS: moving the field
        # boundaries (reserved2|status|orderDate) keeps the hmac.
        order_id, _ = create_and_pay(sandbox, store, capture.url, ret, action="fail", reserved2="noteSUCCESS")
        offline = capture.first().decode("latin-1")
    finally:
        capture.stop()
    fields = urllib.parse.parse_qsl(offline, keep_blank_values=True, encoding="latin-1")  # bytes kept as they are
    values = dict(fields)
    assert values["status"] == "FAILED" and values["reserved2"] == "noteSUCCESS"

    def body(v: dict) -> bytes:
        return urllib.parse.urlencode([(k, v[k]) for k, _ in fields], encoding="latin-1").encode("latin-1")

    resplit = dict(values, reserved2="note", status="SUCCESS", orderDate="FAILED" + values["orderDate"])
    tampered = dict(values, amount="1")
    forgeries = [tampered]
    if library_refuses(body(resplit)):
        forgeries.append(resplit)
    for forged in forgeries:
        status, _, answer = http("POST", notify, body(forged))
        assert (status, answer) == (400, b"FAIL"), (answer, server.logs())
        status, _, answer = http("POST", ret, body(forged))
        assert status == 400 and b"paid" not in answer and b"SUCCESS" not in answer
    assert store.payments(order_id) == []
    assert store.order(order_id) == ["new", ""]
    # The genuine FAILED notification is recorded as such and acknowledged.
    assert http("POST", notify, body(values))[:3:2] == (200, b"SUCCESS"), server.logs()
    assert [p[1] for p in store.payments(order_id)] == ["failed"]
    assert store.order(order_id) == ["new", ""]
    if resplit not in forgeries:
        pytest.xfail("the library itself accepts the re-split FAILED notification (docs/resplit.md); the endpoint was not asked")


def resplit_to_another_order(body: bytes, other: str) -> bytes:
    """A genuine notification of an order whose orderId is ``other``
    followed by a date-time, re-split to read as paying ``other``: the
    orderId's tail becomes payDate, the first 8 digits of payDate become
    accountDate, and the rest slides into reserved1. The signed source, and
    so the hmac, is the same (docs/resplit.md)."""
    fields = urllib.parse.parse_qsl(body.decode("latin-1"), keep_blank_values=True, encoding="latin-1")
    v = dict(fields)
    tail = v["orderId"][len(other):]
    assert v["orderId"] == other + tail and len(tail) == 14, (v["orderId"], other)
    moved = dict(v, orderId=other, payDate=tail, accountDate=v["payDate"][:8],
                 reserved1=v["payDate"][8:] + v["accountDate"] + v["reserved1"])
    source = lambda d: "".join(d[k] for k in ("orderId", "payDate", "accountDate", "reserved1"))  # noqa: E731
    assert source(moved) == source(v)
    return urllib.parse.urlencode([(k, moved[k]) for k, _ in fields], encoding="latin-1").encode("latin-1")


def paid_notification_resplit_to_another_order(server: Any, store: Store, sandbox: Sandbox,
                                               page_paid: bytes) -> None:
    """The re-split attack end to end (docs/resplit.md): the shop has orders B and A = B + a date-time,
    of the same amount, both created at the gateway; the shopper pays A. A's
    genuine PageNotify and OfflineNotify, re-split to read as paying B, keep
    their hmac: the endpoint must not record B paid, before or after A's
    genuine notifications (which it records once, after confirming them
    with the gateway: they are ambiguous themselves)."""
    notify, ret = urls(server)
    order_b = new_order_id()
    order_a = order_b + time.strftime("%Y%m%d%H%M%S")
    create_order(sandbox, store, notify, ret, order_id=order_b)
    capture = Capture()
    try:
        _, page = create_and_pay(sandbox, store, capture.url, ret, order_id=order_a)
        offline = capture.first()
    finally:
        capture.stop()
    assert b"type=OfflineNotify" in offline
    forged_offline = resplit_to_another_order(offline, order_b)
    forged_page = resplit_to_another_order(page.raw, order_b)
    # The library verifies the forged bodies (same hmac) and says they are ambiguous.
    with cmpay.Merchant.md5(MERCHANT_ID, KEY) as m:
        for forged in (forged_offline, forged_page):
            n = m.parse_notification(forged)
            try:
                assert n.field("orderId") == order_b and n.is_ambiguous()
            finally:
                n.close()

    def refused(url: str, body: bytes) -> None:
        _, _, answer = http("POST", url, body)
        assert b"SUCCESS" not in answer and page_paid not in answer, (url, answer, server.logs())

    for url, forged in ((notify, forged_offline), (ret, forged_page), (notify, forged_page)):
        refused(url, forged)
    assert store.payments(order_b) == [] and store.order(order_b) == ["new", ""]
    # A's genuine notifications: confirmed with the gateway, recorded once.
    assert http("POST", notify, offline)[:3:2] == (200, b"SUCCESS"), server.logs()
    status, _, body = page.send()
    assert status == 200 and page_paid in body, (body, server.logs())
    (payment,) = store.payments(order_a)
    assert payment[1:] == ["paid", "12800"]
    assert store.order(order_a) == ["paid", payment[0]]
    # And still never B, with A already paid.
    for url, forged in ((notify, forged_offline), (ret, forged_page)):
        refused(url, forged)
    assert store.payments(order_b) == [] and store.order(order_b) == ["new", ""]


def library_refuses(body: bytes) -> bool:
    """Whether the library refuses a notification (in this process, through
    the Python binding): the endpoints can only be as strict as the library."""
    with cmpay.Merchant.md5(MERCHANT_ID, KEY) as m:
        try:
            m.parse_notification(body).close()
        except cmpay.CmpayError:
            return True
    return False


def workers_unprivileged(server: Any, at_least: int = 1) -> None:
    """Every process that serves the shop's requests (the masters' children;
    Jetty and Mono altogether) runs as the workers' user, with no way back
    to root (real, effective, saved and filesystem uid): www-data when the
    test runs as root, the invoking user otherwise."""
    uid, _ = worker_ids()
    if os.geteuid() == 0:
        assert uid != 0
    workers = server.workers()
    assert len(workers) >= at_least, (workers, server.logs())
    for pid, (name, uids) in workers.items():
        assert uids == (uid,) * 4, "%s (pid %d) runs with uids %s, not %d" % (name, pid, uids, uid)


class ReturnPage(html.parser.HTMLParser):
    """The return page's language, charset, title and the text of each element with an id."""

    def __init__(self, body: bytes) -> None:
        super().__init__()
        self.lang = self.charset = self.title = ""
        self.ids: Dict[str, str] = {}
        self._in: List[str] = []
        self.feed(body.decode("utf-8"))
        self.close()

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang") or ""
        if tag == "meta" and a.get("charset"):
            self.charset = a["charset"] or ""
        if tag not in ("meta", "link", "br", "img", "input", "hr"):  # void elements: no end tag to pop them
            self._in.append(a.get("id") or ("title" if tag == "title" else ""))

    def handle_endtag(self, tag: str) -> None:
        if self._in:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "title":
            self.title += data
        elif self._in and self._in[-1]:
            self.ids[self._in[-1]] = self.ids.get(self._in[-1], "") + data


def return_page_shows(body: bytes, store: Store, order_id: str) -> None:
    """The return page of a paid order (recorded_once's): in Chinese, UTF-8,
    titled, showing the order, the amount in yuan, the payNo recorded, paid."""
    page = ReturnPage(body)
    (payment,) = store.payments(order_id)
    assert (page.lang, page.charset.lower(), page.title) == ("zh-CN", "utf-8", "支付成功 Payment received"), body
    assert page.ids == {"order-id": order_id, "amount": "¥128.00", "pay-no": payment[0], "status": "paid"}, body


def return_page_refuses_a_forgery(server: Any) -> None:
    """A notification that does not verify, at the return URL: a 4xx failure
    page (HTML, in Chinese, titled), its markup never reaching the page."""
    _, ret = urls(server)
    forged = b"orderId=%3Cscript%3Ealert(1)%3C%2Fscript%3E&amount=1&hmac=00"
    status, headers, body = http("POST", ret, forged)
    page = ReturnPage(body)
    content_type = {k.lower(): v for k, v in headers.items()}.get("content-type", "")
    assert status == 400 and content_type.startswith("text/html"), (status, headers, body, server.logs())
    assert (page.lang, page.title) == ("zh-CN", "无法确认支付 Payment not confirmed") and page.ids == {}, body
    assert b"<script" not in body and b"paid" not in body and b"SUCCESS" not in body
