"""The shopper's and the gateway's side of a test against a deployed shop:
orders created through the Python binding at the sandbox, paid on its cashier
page, the PageNotify followed like a browser, the OfflineNotify captured."""

from __future__ import annotations

import html.parser
import http.server as http_server
import itertools
import json
import os
import sqlite3
import subprocess
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from servers import REPO, Postgres, Sandbox, give_to_worker, http

import cmpay  # noqa: E402  (bindings/python, put on sys.path by servers)

with open(REPO / "tests" / "data" / "cmpay-vectors.json", encoding="utf-8") as _f:
    KEY: str = json.load(_f)["md5_key"]
MERCHANT_ID = "888009941120001"
_seq = itertools.count(1)


def shop_env(**db: str) -> Dict[str, str]:
    return dict(db, CMPAY_MERCHANT_ID=MERCHANT_ID, CMPAY_SIGN_KEY=KEY)


class Store:
    """The shop's database as the test sees it: a SQLite file or a PostgreSQL
    database, with the tables created by the example itself (``create``)."""

    def __init__(self, env: Dict[str, str], create: List[str], sqlite: Optional[Path] = None,
                 pg: Optional[Postgres] = None, dbname: str = "", cwd: Optional[Path] = None) -> None:
        self.env, self.sqlite, self.pg, self.dbname = env, sqlite, pg, dbname
        subprocess.run(create, env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1", **env), check=True, cwd=cwd)
        if sqlite is not None:
            # The shop's data directory belongs to the servers' workers, who
            # write the database and its WAL beside it. (This process, as
            # root, may still write: SQLite gives the files it adds the
            # database's owner.)
            give_to_worker(sqlite.parent)

    def rows(self, sql: str) -> List[List[str]]:
        if self.pg is not None:
            return self.pg.psql(sql, self.dbname)
        db = sqlite3.connect(str(self.sqlite), timeout=10)
        try:
            rows = [["" if v is None else str(v) for v in r] for r in db.execute(sql).fetchall()]
            db.commit()
            return rows
        finally:
            db.close()

    def add_order(self, order_id: str, amount_fen: int) -> None:
        assert order_id.isalnum()
        self.rows("INSERT INTO orders (order_id, amount_fen) VALUES ('%s', %d)" % (order_id, amount_fen))

    def payments(self, order_id: str) -> List[List[str]]:
        return self.rows("SELECT pay_no, status, amount_fen FROM payments WHERE order_id = '%s'" % order_id)

    def order(self, order_id: str) -> List[str]:
        (row,) = self.rows("SELECT status, pay_no FROM orders WHERE order_id = '%s'" % order_id)
        return row


class _Form(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.fields: List[Tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Any]]) -> None:
        a = dict(attrs)
        if tag == "form" and not self.action:
            self.action = a.get("action") or ""
        if tag == "input" and a.get("type") == "hidden":
            self.fields.append((a.get("name") or "", a.get("value") or ""))


class PageNotify:
    """How the cashier sends the browser back to callbackUrl: a redirect (GET
    with the fields in the query) or an auto-submitting POST form."""

    def __init__(self, method: str, url: str, body: Optional[bytes]) -> None:
        self.method, self.url, self.body = method, url, body

    @property
    def raw(self) -> bytes:
        return self.body if self.body is not None else urllib.parse.urlsplit(self.url).query.encode()

    def send(self, url: Optional[str] = None) -> Tuple[int, Dict[str, str], bytes]:
        """The browser's request to the return page (or, with ``url``, the same fields sent there)."""
        if url is None:
            return http(self.method, self.url, self.body)
        if self.body is None:
            return http("GET", url + "?" + self.raw.decode())
        return http("POST", url, self.body)


def new_order_id() -> str:
    """An orderId no other test of this run uses."""
    return "SRV%d%03d%d" % (os.getpid(), next(_seq), int(time.time() * 1000) % 100000)


def create_order(sandbox: Sandbox, store: Store, notify_url: str, return_url: str, amount: int = 12800,
                 reserved2: str = "", order_id: str = "") -> Tuple[str, str, str]:
    """A new order of the shop's (in its store), created at the sandbox:
    (orderId, the URL the shopper's browser is sent to, the cashier's sessionId)."""
    order_id = order_id or new_order_id()
    store.add_order(order_id, amount)
    today = time.strftime("%Y%m%d")
    fields: Dict[str, Any] = {
        "orderId": order_id, "amount": amount, "orderDate": today, "merAcDate": today,
        "period": 30, "periodUnit": "00", "productName": "测试商品", "ipAddress": "127.0.0.1",
        "reserved1": "自定义1", "characterSet": "00", "notifyUrl": notify_url, "callbackUrl": return_url,
    }
    if reserved2:
        fields["reserved2"] = reserved2
    with cmpay.Merchant.md5(MERCHANT_ID, KEY) as m, \
            cmpay.Client(m, endpoint=sandbox.endpoint, allow_http=True, timeout_ms=10000) as client, \
            client.create_order(fields) as response:
        _, _, session_id = response.pay_url()
        return order_id, response.redirect_url(), session_id


def create_and_pay(sandbox: Sandbox, store: Store, notify_url: str, return_url: str, amount: int = 12800,
                   action: str = "pay", reserved2: str = "", order_id: str = "") -> Tuple[str, PageNotify]:
    """A new order, paid (or failed: ``action``) at the cashier as a browser
    would: the order and the PageNotify the cashier sends back to return_url."""
    order_id, redirect, session_id = create_order(sandbox, store, notify_url, return_url, amount, reserved2, order_id)
    status, _, page = http("GET", redirect)
    assert status == 200, page
    form = _Form()
    form.feed(page.decode("utf-8"))
    submit = urllib.parse.urljoin(redirect, form.action)
    status, headers, page = http("POST", submit, urllib.parse.urlencode({"sessionId": session_id, "action": action}).encode())
    location = headers.get("Location") or headers.get("location") or ""
    if status in (302, 303):
        assert location.startswith(return_url + "?"), location
        return order_id, PageNotify("GET", location, None)
    assert status == 200, (status, page)
    back = _Form()
    back.feed(page.decode("utf-8"))
    assert back.action == return_url, back.action
    return order_id, PageNotify("POST", back.action, urllib.parse.urlencode(back.fields).encode())


class Capture:
    """An OfflineNotify receiver that keeps the bodies and answers FAIL, so a
    test holds the gateway's genuine OfflineNotify to replay."""

    def __init__(self) -> None:
        self.bodies: List[bytes] = []
        bodies = self.bodies

        class Handler(http_server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                bodies.append(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                self.send_response(500)
                self.send_header("Content-Length", "4")
                self.end_headers()
                self.wfile.write(b"FAIL")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http_server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/notify" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def first(self, timeout: float = 20.0) -> bytes:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.bodies:
                return self.bodies[0]
            time.sleep(0.05)
        raise AssertionError("no OfflineNotify captured")

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
