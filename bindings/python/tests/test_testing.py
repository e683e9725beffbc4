"""cmpay.testing: the pytest fixture cmpay_sandbox (the simulator in this
process) pays an order, the shop's notify handler acknowledges it, and the
query answer says paid."""

from __future__ import annotations

import datetime
import http.server
import threading
import time
from typing import Dict, Iterator, List

import pytest

import cmpay
from cmpay.testing import Sandbox, cmpay_sandbox  # noqa: F401  (the fixture, imported explicitly)


def order(order_id: str, notify_url: str, amount: int = 2590) -> Dict[str, str]:
    today = datetime.date.today().strftime("%Y%m%d")
    return {
        "callbackUrl": "https://shop.example.com/return",
        "notifyUrl": notify_url,
        "ipAddress": "203.0.113.7",
        "amount": str(amount),
        "orderDate": today,
        "orderId": order_id,
        "merAcDate": today,
        "period": "30",
        "periodUnit": "00",
        "productName": "测试商品",
    }


def order_id(prefix: str) -> str:
    return "%s%d" % (prefix, time.time_ns() % 10**12)


class ShopNotify:
    """A shop's notify handler served on loopback: verifies each
    notification with the shop's client, records it, answers SUCCESS."""

    def __init__(self, client: cmpay.Client) -> None:
        self.recorded: List[cmpay.Notification] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                notification = client.parse_notification(body)
                outer.recorded.append(notification)
                answer = notification.ack()
                self.send_response(200)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer.encode())

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/cmpay/notify" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def shop_notify(cmpay_sandbox: Sandbox) -> Iterator[ShopNotify]:
    endpoint = ShopNotify(cmpay_sandbox.client)
    yield endpoint
    endpoint.close()


def test_the_fixture_pays_an_order_and_the_shop_records_it(cmpay_sandbox: Sandbox, shop_notify: ShopNotify) -> None:
    client = cmpay_sandbox.client
    assert cmpay_sandbox.endpoint.startswith("http://127.0.0.1:")
    assert cmpay_sandbox.endpoint.endswith("/ips/cmpayService")
    assert cmpay_sandbox.ca_pem is None
    oid = order_id("PYT")
    created = client.create_order(order(oid, shop_notify.url, 2590))
    assert created["returnCode"] == "000000"

    cmpay_sandbox.pay(oid)
    attempts = cmpay_sandbox.wait_notified(oid, timeout=20)
    assert [a["acked"] for a in attempts] == [True]
    assert attempts[0]["url"] == shop_notify.url
    assert attempts[0]["answer"] == "SUCCESS"

    [recorded] = shop_notify.recorded
    assert recorded.order_id == oid
    assert recorded.amount == 2590
    assert recorded["type"] == "OfflineNotify"
    answer = client.query_order(oid)
    assert answer.order_status is cmpay.OrderStatus.PAID
    assert answer.amount == 2590
    assert answer["payNo"] == recorded["payNo"]

    with pytest.raises(cmpay.InvalidInputError, match="already-paid"):
        cmpay_sandbox.pay(oid)
    with pytest.raises(cmpay.NotFoundError, match="unknown-order"):
        cmpay_sandbox.fail("NO-SUCH-ORDER")


def test_fail_expire_and_a_wait_that_times_out(cmpay_sandbox: Sandbox) -> None:
    client = cmpay_sandbox.client
    failed, expired, unheard = order_id("PYF"), order_id("PYE"), order_id("PYU")
    client.create_order(order(failed, cmpay_sandbox.notify_url))
    client.create_order(order(expired, cmpay_sandbox.notify_url))
    # Nobody listens on port 1: the notification is never acknowledged.
    client.create_order(order(unheard, "http://127.0.0.1:1/notify"))

    cmpay_sandbox.fail(failed)
    cmpay_sandbox.wait_notified(failed)
    assert client.query_order(failed).order_status is cmpay.OrderStatus.FAILED

    cmpay_sandbox.expire(expired)
    with pytest.raises(cmpay.GatewayError) as e:
        client.query_order(expired)
    assert e.value.return_code == "RPM99981"
    with pytest.raises(cmpay.InvalidInputError, match="expired"):
        cmpay_sandbox.pay(expired)

    cmpay_sandbox.pay(unheard)
    with pytest.raises(cmpay.NetworkTimeoutError, match="not acknowledged: .*127.0.0.1:1"):
        cmpay_sandbox.wait_notified(unheard, timeout=0.3)
    [attempt] = cmpay_sandbox.deliveries(unheard)
    assert attempt["acked"] is False and attempt["httpStatus"] is None
    # The body the gateway POSTed, for a handler tested in-process.
    notification = client.parse_notification(attempt["body"])
    assert notification.order_id == unheard


def test_over_https_and_without_pytest_fixtures() -> None:
    with Sandbox(https=True) as sandbox:
        assert sandbox.endpoint.startswith("https://127.0.0.1:")
        assert sandbox.ca_pem and "BEGIN CERTIFICATE" in sandbox.ca_pem
        oid = order_id("PYS")
        sandbox.client.create_order(order(oid, sandbox.notify_url, 100))
        sandbox.pay(oid)
        sandbox.wait_notified(oid)
        assert sandbox.client.query_order(oid).order_status is cmpay.OrderStatus.PAID
    assert sandbox.closed
