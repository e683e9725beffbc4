"""bindings/php/examples (notify.php, return.php) deployed under nginx +
PHP-FPM from the documented configs in examples/deploy, with both FFI
settings, recording into SQLite and into PostgreSQL through PDO."""

from __future__ import annotations

import concurrent.futures
import shutil
import threading
import urllib.parse
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest

from servers import PhpFpmNginx, Postgres, Sandbox, http, run_dir
from shop import Capture, Store, create_and_pay, shop_env

MODES = ["enable", "preload"]


@pytest.fixture(scope="module", params=[(m, db) for m in MODES for db in ("sqlite", "pgsql")], ids=lambda p: "ffi-%s-%s" % p)
def shop(request: pytest.FixtureRequest, sandbox: Sandbox) -> Iterator[Tuple[PhpFpmNginx, Store]]:
    mode, db = request.param
    pg = request.getfixturevalue("postgres") if db == "pgsql" else None
    data = run_dir("php-db")
    if pg is not None:
        env = shop_env(pg.database("php_" + mode))  # one per deployment
    else:
        env = shop_env("sqlite:%s" % (data / "shop.sqlite3"))
    store = Store(env, pg)
    server = PhpFpmNginx(mode, env)
    try:
        yield server, store
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)


def urls(server: PhpFpmNginx) -> Tuple[str, str]:
    return server.url + "cmpay/notify", server.url + "cmpay/return"


def test_page_and_offline_notify_recorded_once(shop: Tuple[PhpFpmNginx, Store], sandbox: Sandbox) -> None:
    server, store = shop
    notify, ret = urls(server)
    order_id, page = create_and_pay(sandbox, store, notify, ret)
    status, headers, body = page.send()
    text = body.decode("utf-8")
    assert status == 200, server.logs()
    assert headers.get("Content-Type", "").startswith("text/html")
    assert 'id="status">paid<' in text and order_id in text and "¥128.00" in text
    first = sandbox.wait_for_delivery(order_id)[0]
    assert (first["httpStatus"], first["answer"], first["acked"]) == (200, "SUCCESS", True), server.logs()
    (payment,) = store.payments(order_id)
    assert payment[1:] == ["paid", "12800"]
    assert store.order(order_id) == ["paid", payment[0]]
    assert 'id="pay-no">%s<' % payment[0] in text
    # A reload of the return page, and the same fields at notify: still one payment.
    assert page.send()[0] == 200
    assert page.send(notify)[:3:2] == (200, b"SUCCESS")
    assert len(store.payments(order_id)) == 1


def test_burst_of_notifications_at_several_workers(shop: Tuple[PhpFpmNginx, Store], sandbox: Sandbox) -> None:
    """PageNotify, OfflineNotify and resends of both, all at once at the pool's
    workers: every valid one answered SUCCESS, exactly one payment recorded."""
    server, store = shop
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
        if url == notify:
            assert answer == b"SUCCESS"
        else:
            assert b'id="status">paid<' in answer
    (payment,) = store.payments(order_id)
    assert payment[1:] == ["paid", "12800"]
    assert store.order(order_id) == ["paid", payment[0]]


def test_tampered_or_resplit_notification_answered_fail(shop: Tuple[PhpFpmNginx, Store], sandbox: Sandbox) -> None:
    server, store = shop
    notify, ret = urls(server)
    capture = Capture()
    try:
        # A failed payment whose reserved2 ends in SUCCESS: moving the field
        # boundaries (reserved2|status|orderDate) keeps the hmac.
        order_id, page = create_and_pay(sandbox, store, capture.url, ret, action="fail", reserved2="noteSUCCESS")
        offline = capture.first().decode()
    finally:
        capture.stop()
    fields = urllib.parse.parse_qsl(offline, keep_blank_values=True)
    values = dict(fields)
    assert values["status"] == "FAILED" and values["reserved2"] == "noteSUCCESS"
    resplit = dict(values, reserved2="note", status="SUCCESS", orderDate="FAILED" + values["orderDate"])
    tampered = dict(values, amount="1")
    for forged in (resplit, tampered):
        body = urllib.parse.urlencode([(k, forged[k]) for k, _ in fields]).encode()
        status, _, answer = http("POST", notify, body)
        assert (status, answer) == (400, b"FAIL"), answer
        status, _, answer = http("POST", ret, body)
        assert status == 400 and b"paid" not in answer
    assert store.payments(order_id) == []
    assert store.order(order_id) == ["new", ""]
    # The genuine FAILED notification is recorded as such and acknowledged.
    assert http("POST", notify, offline.encode())[:3:2] == (200, b"SUCCESS")
    assert [p[1] for p in store.payments(order_id)] == ["failed"]
    assert store.order(order_id) == ["new", ""]


def test_only_the_two_endpoints_are_served(shop: Tuple[PhpFpmNginx, Store]) -> None:
    server, _ = shop
    for path in ("shop.php", "notify.php", "shop.sqlite3", "deploy/nginx.conf", "cmpay/other"):
        status, _, body = http("GET", server.url + path)
        assert status == 404, (path, body[:200])
    assert Path(PhpFpmNginx.EXAMPLES / "shop.sqlite3").exists() is False
