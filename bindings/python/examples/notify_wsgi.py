#!/usr/bin/env python3
"""A CMPay notify endpoint as a shop would deploy it: a WSGI application
(standard library only) that receives PageNotify and OfflineNotify, verifies
them through libcmpay, checks them against the shop's own order, records the
payment once (keyed by payNo), and only then answers exactly ``SUCCESS``.

Configuration (environment):
    CMPAY_MERCHANT_ID     the merchant id at the gateway
    CMPAY_SIGN_KEY        the 64-character MD5 signKey, or, for RSA:
    CMPAY_PRIVATE_KEY_FILE and CMPAY_GATEWAY_KEY_FILE (PEM files)
    CMPAY_SHOP_DB         the shop's SQLite database (the example's order store)
    CMPAY_LIB             where libcmpay is, if not found by itself

Run it with any WSGI server (gunicorn, uWSGI, mod_wsgi: ``application``), or
stand-alone for a test:  python3 notify_wsgi.py 127.0.0.1 8080  (port 0: any
free port, printed on the first line).
"""

from __future__ import annotations

import os
import socketserver
import sqlite3
import sys
import time
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))  # the package, when not installed

import cmpay  # noqa: E402

StartResponse = Callable[[str, List[Tuple[str, str]]], object]
MAX_BODY = 64 * 1024


def _merchant() -> cmpay.Merchant:
    merchant_id = os.environ["CMPAY_MERCHANT_ID"]
    if os.environ.get("CMPAY_SIGN_KEY"):
        return cmpay.Merchant.md5(merchant_id, os.environ["CMPAY_SIGN_KEY"])
    with open(os.environ["CMPAY_PRIVATE_KEY_FILE"], "rb") as k, open(os.environ["CMPAY_GATEWAY_KEY_FILE"], "rb") as g:
        return cmpay.Merchant.rsa(merchant_id, k.read(), g.read())


MERCHANT: Optional[cmpay.Merchant] = None  # built once per process, shared by threads


def shop_db() -> sqlite3.Connection:
    """The example's order store; a real shop uses its own database."""
    db = sqlite3.connect(os.environ.get("CMPAY_SHOP_DB", "shop.sqlite3"), timeout=10, isolation_level=None)
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS orders (order_id TEXT PRIMARY KEY, amount_fen INTEGER NOT NULL,
                                           status TEXT NOT NULL DEFAULT 'new', pay_no TEXT);
        CREATE TABLE IF NOT EXISTS payments (pay_no TEXT PRIMARY KEY, order_id TEXT NOT NULL, amount_fen INTEGER NOT NULL,
                                             status TEXT NOT NULL, first_seen_via TEXT NOT NULL, recorded_at REAL NOT NULL);
        """
    )
    return db


def _raw_body(environ: Dict[str, Any]) -> bytes:
    """The notification exactly as it arrived: the POST body, or the query
    string of the browser's redirect (never a re-encoded form)."""
    if environ.get("REQUEST_METHOD") == "POST":
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length <= 0:
            return b""
        data = environ["wsgi.input"].read(min(length, MAX_BODY + 1))
        return bytes(data)
    # WSGI gives QUERY_STRING as a latin-1 "native string": this restores its bytes.
    return str(environ.get("QUERY_STRING", "")).encode("latin-1")


def _answer(start_response: StartResponse, status: str, text: str) -> Iterable[bytes]:
    body = text.encode("utf-8")
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]


def application(environ: Dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    global MERCHANT
    if MERCHANT is None:
        MERCHANT = _merchant()
    body = _raw_body(environ)
    if len(body) > MAX_BODY:
        return _answer(start_response, "413 Payload Too Large", "FAIL")
    try:
        with MERCHANT.parse_notification(body) as n:  # verified, or an exception
            db = shop_db()
            try:
                row = db.execute("SELECT amount_fen FROM orders WHERE order_id = ?", (n.order_id,)).fetchone()
                if row is None:
                    return _answer(start_response, "404 Not Found", "FAIL unknown order")
                # The notification must be about the order we created, for its amount.
                n.check_order(os.environ["CMPAY_MERCHANT_ID"], n.order_id, int(row[0]))
                paid = n.is_paid
                db.execute("BEGIN IMMEDIATE")
                inserted = db.execute(
                    "INSERT OR IGNORE INTO payments (pay_no, order_id, amount_fen, status, first_seen_via, recorded_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (n.pay_no, n.order_id, n.amount, "paid" if paid else "failed", n.type, time.time()),
                ).rowcount
                if inserted and paid:  # process a payment once, whichever notification comes first
                    db.execute("UPDATE orders SET status = 'paid', pay_no = ? WHERE order_id = ?", (n.pay_no, n.order_id))
                db.execute("COMMIT")
            finally:
                db.close()
            # Recorded: now, and only now, the answer that stops the resends. (For a
            # PageNotify the shopper's browser is here: a shop may render its "thank
            # you" page instead, after the same checks and the same recording.)
            return _answer(start_response, "200 OK", n.ack())
    except cmpay.CmpayError as e:
        print("cmpay notify refused: %r" % (e,), file=sys.stderr, flush=True)
        return _answer(start_response, "400 Bad Request", "FAIL")


class _ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        sys.stderr.write("notify_wsgi: " + format % args + "\n")


def main(argv: List[str]) -> None:
    host = argv[1] if len(argv) > 1 else "127.0.0.1"
    port = int(argv[2]) if len(argv) > 2 else 8080
    shop_db().close()
    with make_server(host, port, application, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler) as server:
        print("listening on http://%s:%d/" % (host, server.server_port), flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main(sys.argv)
