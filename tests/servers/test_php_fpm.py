"""bindings/php/examples (notify.php, return.php, cart.php, checkout.php)
deployed under nginx + PHP-FPM from the documented configs in
examples/deploy, with both FFI settings, recording into SQLite and into
PostgreSQL through PDO."""

from __future__ import annotations

import html.parser
import http.client as http_client
import re
import shutil
import urllib.parse
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Set, Tuple

import pytest

from servers import PhpFpmNginx, Postgres, Sandbox, http, run_dir
from scenarios import (PAID, burst, recorded_once, return_page_refuses_a_forgery, return_page_shows, tampered_or_resplit, paid_notification_resplit_to_another_order,
                       workers_unprivileged)
from shop import Store, shop_env

MODES = ["enable", "preload"]


@pytest.fixture(scope="module", params=[(m, db) for m in MODES for db in ("sqlite", "pgsql")], ids=lambda p: "ffi-%s-%s" % p)
def shop(request: pytest.FixtureRequest, sandbox: Sandbox) -> Iterator[Tuple[PhpFpmNginx, Store]]:
    mode, db = request.param
    pg = request.getfixturevalue("postgres") if db == "pgsql" else None
    data = run_dir("php-db")
    create = ["php", "-r", "require $argv[1]; cmpay_db();", str(PhpFpmNginx.EXAMPLES / "shop.php")]
    if pg is not None:
        name = pg.database("php_" + mode)  # one per deployment
        env = shop_env(CMPAY_DB_DSN=pg.pdo_dsn(name))
        store = Store(env, create, pg=pg, dbname=name)
    else:
        env = shop_env(CMPAY_DB_DSN="sqlite:%s" % (data / "shop.sqlite3"))
        store = Store(env, create, sqlite=data / "shop.sqlite3")
    server = PhpFpmNginx(mode, dict(env, CMPAY_ENDPOINT=sandbox.endpoint))
    try:
        yield server, store
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)


def test_page_and_offline_notify_recorded_once(shop: Tuple[PhpFpmNginx, Store], sandbox: Sandbox) -> None:
    server, store = shop
    order_id, page = recorded_once(server, store, sandbox, PAID)
    return_page_shows(page, store, order_id)


def test_return_page_refuses_a_forgery(shop: Tuple[PhpFpmNginx, Store]) -> None:
    server, _ = shop
    return_page_refuses_a_forgery(server)


def test_burst_of_notifications_at_several_workers(shop: Tuple[PhpFpmNginx, Store], sandbox: Sandbox) -> None:
    server, store = shop
    burst(server, store, sandbox, PAID)


def test_tampered_or_resplit_notification_answered_fail(shop: Tuple[PhpFpmNginx, Store], sandbox: Sandbox) -> None:
    server, store = shop
    tampered_or_resplit(server, store, sandbox)


def test_paid_notification_resplit_to_another_order_never_pays_it(shop: Tuple[PhpFpmNginx, Store], sandbox: Sandbox) -> None:
    server, store = shop
    paid_notification_resplit_to_another_order(server, store, sandbox, PAID)


def test_workers_run_unprivileged(shop: Tuple[PhpFpmNginx, Store]) -> None:
    server, _ = shop
    workers_unprivileged(server, at_least=4 + 2)  # the pool's 4 and nginx's 2


def test_only_the_shop_endpoints_are_served(shop: Tuple[PhpFpmNginx, Store]) -> None:
    server, _ = shop
    for path in ("shop.php", "notify.php", "checkout.php", "cart.php", "shop.sqlite3", "deploy/nginx.conf", "cmpay/other"):
        status, _, body = http("GET", server.url + path)
        assert status == 404, (path, body[:200])
    assert Path(PhpFpmNginx.EXAMPLES / "shop.sqlite3").exists() is False


# --- The checkout: an order is created only by a POST of the
# cart page's form, with its token, from the shop's own origin.

def request(method: str, url: str, body: Optional[bytes] = None,
            headers: Optional[Dict[str, str]] = None) -> Tuple[int, Dict[str, List[str]], bytes]:
    """One request with the given headers (a browser's Cookie, Origin, ...):
    status, every response header by lower-case name, body."""
    u = urllib.parse.urlsplit(url)
    conn = http_client.HTTPConnection(u.hostname or "127.0.0.1", u.port, timeout=15)
    try:
        sent = dict(headers or {})
        if body is not None:
            sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
        conn.request(method, u.path + ("?" + u.query if u.query else ""), body=body, headers=sent)
        r = conn.getresponse()
        got: Dict[str, List[str]] = {}
        for k, v in r.getheaders():
            got.setdefault(k.lower(), []).append(v)
        return r.status, got, r.read()
    finally:
        conn.close()


class CartForm(html.parser.HTMLParser):
    """The cart page's language, title and form: method, action, hidden fields, button."""

    def __init__(self, body: bytes) -> None:
        super().__init__()
        self.lang = self.method = self.action = self.title = self.button = ""
        self.fields: Dict[str, str] = {}
        self._tag = ""
        self.feed(body.decode("utf-8"))
        self.close()

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        a = dict(attrs)
        self._tag = tag
        if tag == "html":
            self.lang = a.get("lang") or ""
        if tag == "form":
            self.method, self.action = (a.get("method") or "").lower(), a.get("action") or ""
        if tag == "input" and a.get("type") == "hidden":
            self.fields[a.get("name") or ""] = a.get("value") or ""

    def handle_data(self, data: str) -> None:
        if self._tag == "title":
            self.title += data
        elif self._tag == "button":
            self.button += data

    def handle_endtag(self, tag: str) -> None:
        self._tag = ""


def web_orders(store: Store) -> Set[Tuple[str, str, str]]:
    """The orders the checkout created (orderId WEB...): (orderId, amount in fen, status)."""
    return {(o, a, st) for o, a, st in store.rows("SELECT order_id, amount_fen, status FROM orders WHERE order_id LIKE 'WEB%'")}


def cart(server: PhpFpmNginx, amount: int) -> Tuple[CartForm, str]:
    """The cart page's form, and the token its cookie holds (checked as a browser keeps it)."""
    status, headers, page = request("GET", server.url + "cmpay/cart?amount=%d" % amount)
    assert status == 200, (page, server.logs())
    assert headers["cache-control"] == ["no-store"]
    (cookie,) = headers["set-cookie"]
    m = re.fullmatch(r"cmpay_checkout=([0-9a-f]{64}); path=/; HttpOnly; SameSite=Strict", cookie)
    assert m, cookie
    form = CartForm(page)
    assert (form.lang, form.title, form.method, form.action) == ("zh-CN", "购物车 Cart", "post", "checkout"), page
    assert form.fields == {"amount": str(amount), "token": m.group(1)}, page
    return form, m.group(1)


def test_checkout_refuses_get_and_cross_site_posts(shop: Tuple[PhpFpmNginx, Store], sandbox: Sandbox) -> None:
    server, store = shop
    checkout = server.url + "cmpay/checkout"
    before = web_orders(store)
    # A link, a prefetch or a crawler: 405, nothing created, the gateway not called.
    for method in ("GET", "HEAD", "PUT"):
        status, headers, _ = request(method, checkout + "?amount=12800")
        assert (status, headers.get("allow")) == (405, ["POST"]), (method, status, headers)
    form, token = cart(server, 12800)
    # The browser sends a fresh cart page's cookie back: the same token, no new cookie.
    status, headers, page = request("GET", server.url + "cmpay/cart?amount=500", headers={"Cookie": "cmpay_checkout=" + token})
    assert status == 200 and "set-cookie" not in headers and CartForm(page).fields == {"amount": "500", "token": token}
    cookie = {"Cookie": "cmpay_checkout=" + token}
    origin = server.url.rstrip("/")
    body = urllib.parse.urlencode(form.fields).encode()
    refused = [
        (body, {}),  # another site's form: a SameSite=Strict cookie is not sent with it
        (body, dict(cookie, Origin="http://shop.example.net")),
        (body, dict(cookie, Origin=origin, **{"Sec-Fetch-Site": "cross-site"})),
        (urllib.parse.urlencode({"amount": "12800"}).encode(), dict(cookie, Origin=origin)),
        (urllib.parse.urlencode({"amount": "12800", "token": "0" * 64}).encode(), dict(cookie, Origin=origin)),
        (urllib.parse.urlencode({"amount": "12800", "token": token.upper()}).encode(), dict(cookie, Origin=origin)),
        (body, {"Cookie": "cmpay_checkout=" + "0" * 64, "Origin": origin}),
    ]
    for sent, headers in refused:
        status, _, answer = request("POST", checkout, sent, headers)
        assert status == 403 and b"<form" not in answer, (sent, headers, status, answer)
    assert web_orders(store) == before
    assert "cmpay checkout refused: from another origin: http://shop.example.net" in server.logs()
    # The cart's form, as the browser posts it: one new order, in the store and at the gateway.
    status, _, page = request("POST", checkout, body, dict(cookie, Origin=origin, **{"Sec-Fetch-Site": "same-origin"}))
    assert status == 200 and b"<form" in page, (page, server.logs())
    (created,) = web_orders(store) - before
    order_id, amount, state = created
    assert re.fullmatch(r"WEB\d{14}[0-9a-f]{8}", order_id) and (amount, state) == ("12800", "new"), created
    at_gateway = sandbox.order(order_id)
    assert (at_gateway["amount"], at_gateway["state"], at_gateway["characterSet"]) == (12800, "PENDING", "02"), at_gateway
    assert at_gateway["notifyUrl"] == server.url + "cmpay/notify" and at_gateway["callbackUrl"] == server.url + "cmpay/return"
    assert at_gateway["sessionId"] in page.decode("utf-8") and ('action="%s' % sandbox.base) in page.decode("utf-8"), page
