"""The shop's side of a notification, shared by the examples (notify_wsgi.py,
flask_app.py, django_app.py): the merchant from the environment, and the
order store through the standard DB-API, where a payment is recorded once.

    CMPAY_MERCHANT_ID     the merchant id at the gateway
    CMPAY_SIGN_KEY        the 64-character MD5 signKey, or, for RSA:
    CMPAY_PRIVATE_KEY_FILE and CMPAY_GATEWAY_KEY_FILE (PEM files)
    CMPAY_SHOP_DB         the shop's SQLite database (the default store)
    CMPAY_PG_DSN          or a PostgreSQL connection string (psycopg), the
                          store that several web servers share
    CMPAY_LIB             where libcmpay is, if not found by itself

The same SQL runs on both (payNo the primary key, the insert and the order's
update one transaction, INSERT ... ON CONFLICT DO NOTHING).
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any, Dict, Optional, Sequence

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))  # the package, when not installed

import cmpay  # noqa: E402

MAX_BODY = 64 * 1024
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS orders (order_id TEXT PRIMARY KEY, amount_fen BIGINT NOT NULL,"
    " status TEXT NOT NULL DEFAULT 'new', pay_no TEXT)",
    "CREATE TABLE IF NOT EXISTS payments (pay_no TEXT PRIMARY KEY, order_id TEXT NOT NULL, amount_fen BIGINT NOT NULL,"
    " status TEXT NOT NULL, first_seen_via TEXT NOT NULL, recorded_at DOUBLE PRECISION NOT NULL)",
)

_merchant: Optional[cmpay.Merchant] = None  # built once per process, shared by threads


def merchant() -> cmpay.Merchant:
    global _merchant
    if _merchant is None:
        merchant_id = os.environ["CMPAY_MERCHANT_ID"]
        if os.environ.get("CMPAY_SIGN_KEY"):
            _merchant = cmpay.Merchant.md5(merchant_id, os.environ["CMPAY_SIGN_KEY"])
        else:
            with open(os.environ["CMPAY_PRIVATE_KEY_FILE"], "rb") as k, open(os.environ["CMPAY_GATEWAY_KEY_FILE"], "rb") as g:
                _merchant = cmpay.Merchant.rsa(merchant_id, k.read(), g.read())
    return _merchant


class Store:
    """A DB-API connection to the shop's database, in autocommit mode (each
    transaction is explicit)."""

    def __init__(self) -> None:
        dsn = os.environ.get("CMPAY_PG_DSN")
        if dsn:
            import psycopg  # the PostgreSQL DB-API driver

            self.db: Any = psycopg.connect(dsn, autocommit=True)
            self.begin, self.qmark = "BEGIN", False
        else:
            import sqlite3

            self.db = sqlite3.connect(os.environ.get("CMPAY_SHOP_DB", "shop.sqlite3"), timeout=10, isolation_level=None)
            self.begin, self.qmark = "BEGIN IMMEDIATE", True  # take the write lock at once: no upgrade deadlock
        for sql in SCHEMA:
            self.execute(sql)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        cur = self.db.cursor()
        cur.execute(sql.replace("%s", "?") if self.qmark else sql, tuple(params))
        return cur

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def record_payment(store: Store, n: cmpay.Notification) -> Optional[Dict[str, Any]]:
    """Checks a verified notification against the shop's order and records its
    payment once, whichever of PageNotify, OfflineNotify or a resend comes
    first, from whichever worker or server. None for an unknown order; raises
    cmpay.CmpayError when the notification is not about that order and amount."""
    rows = store.execute("SELECT amount_fen FROM orders WHERE order_id = %s", (n.order_id,)).fetchall()  # no cursor left open
    if not rows:
        return None
    row = rows[0]
    # The notification must be about the order we created, for its amount.
    n.check_order(os.environ["CMPAY_MERCHANT_ID"], n.order_id, int(row[0]))
    paid = n.is_paid
    store.execute(store.begin)
    try:
        inserted = store.execute(
            "INSERT INTO payments (pay_no, order_id, amount_fen, status, first_seen_via, recorded_at)"
            " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (pay_no) DO NOTHING",
            (n.pay_no, n.order_id, n.amount, "paid" if paid else "failed", n.type, time.time()),
        ).rowcount
        if inserted == 1 and paid:  # the first time this payment is seen
            store.execute("UPDATE orders SET status = 'paid', pay_no = %s WHERE order_id = %s", (n.pay_no, n.order_id))
        store.execute("COMMIT")
    except BaseException:
        store.execute("ROLLBACK")
        raise
    cols = ("pay_no", "order_id", "amount_fen", "status", "first_seen_via")
    (found,) = store.execute("SELECT %s FROM payments WHERE pay_no = %%s" % ", ".join(cols), (n.pay_no,)).fetchall()
    return dict(zip(cols, found))


def handle(body: bytes) -> "tuple[int, str, Optional[Dict[str, Any]]]":
    """One notification as it arrived (the raw POST body, or the raw query
    string of a GET): (HTTP status, answer text, the payment recorded)."""
    if len(body) > MAX_BODY:
        return 413, "FAIL", None
    try:
        with merchant().parse_notification(body) as n:  # verified, or an exception
            with Store() as store:
                payment = record_payment(store, n)
            if payment is None:
                return 404, "FAIL unknown order", None
            # Recorded: now, and only now, the answer that stops the resends.
            return 200, n.ack(), payment
    except cmpay.CmpayError as e:
        print("cmpay notify refused: %r" % (e,), file=sys.stderr, flush=True)
        return 400, "FAIL", None
