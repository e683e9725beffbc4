"""The shop's side of a notification, shared by the examples (notify_wsgi.py,
flask_app.py, django_app.py): the merchant and the gateway client from the
environment, and the order store through the standard DB-API, where a
payment is recorded once.

    CMPAY_MERCHANT_ID     the merchant id at the gateway
    CMPAY_SIGN_KEY        the 64-character MD5 signKey, or, for RSA:
    CMPAY_PRIVATE_KEY_FILE and CMPAY_GATEWAY_KEY_FILE (PEM files)
    CMPAY_ENDPOINT        the gateway (default: the production gateway), which
                          confirms an ambiguous notification (an order query)
    CMPAY_ALLOW_HTTP      1 only for a test gateway on plain http (cmpay sandbox)
    CMPAY_SHOP_DB         the shop's SQLite database (the default store)
    CMPAY_PG_DSN          or a PostgreSQL connection string (psycopg), the
                          store that several web servers share
    CMPAY_LIB             where libcmpay is, if not found by itself

A notification, once verified, is taken through these steps (``handle``):

1. the shop's order for its orderId (404 when there is none);
2. each other order id its signed source can be read as (the values are
   signed joined with no separator: mobile or bankAbbr can slide into
   orderId, orderId's tail into payDate): one that is none of the shop's
   orders is ruled out;
3. still ambiguous (another reading names one of the shop's orders, or keeps
   the orderId with another amount, payNo or status): confirmed with the
   gateway (an order query); when it does not agree, or cannot be asked,
   nothing is recorded and the answer is FAIL (the gateway sends again);
4. check_order (merchantId, orderId, amount), then the payment recorded once,
   by payNo and by the order's state, and only then SUCCESS.

The same SQL runs on both stores (payNo the primary key, the order's row
locked, the insert and the order's update one transaction, INSERT ... ON
CONFLICT DO NOTHING).
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any, Dict, Optional, Sequence, Set, Tuple

_checkout = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
if os.path.isdir(os.path.join(_checkout, "cmpay")):  # bindings/python/examples: the package beside it, not installed
    sys.path.insert(0, _checkout)

import cmpay  # noqa: E402

MAX_BODY = 64 * 1024
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS orders (order_id TEXT PRIMARY KEY, amount_fen BIGINT NOT NULL,"
    " status TEXT NOT NULL DEFAULT 'new', pay_no TEXT)",
    "CREATE TABLE IF NOT EXISTS payments (pay_no TEXT PRIMARY KEY, order_id TEXT NOT NULL, amount_fen BIGINT NOT NULL,"
    " status TEXT NOT NULL, first_seen_via TEXT NOT NULL, recorded_at DOUBLE PRECISION NOT NULL)",
)

_merchant: Optional[cmpay.Merchant] = None  # built once per process, shared by threads
_client: Optional[cmpay.Client] = None


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


def client() -> cmpay.Client:
    """The gateway client (the same one the shop creates orders with)."""
    global _client
    if _client is None:
        _client = cmpay.Client(merchant(), endpoint=os.environ.get("CMPAY_ENDPOINT") or None,
                               allow_http=os.environ.get("CMPAY_ALLOW_HTTP") == "1", timeout_ms=10000)
    return _client


class Refused(Exception):
    """A verified notification the shop does not record: the HTTP status to
    answer with, and why (logged)."""

    def __init__(self, status: int, why: str) -> None:
        super().__init__(why)
        self.status = status


class Store:
    """A DB-API connection to the shop's database, in autocommit mode (each
    transaction is explicit)."""

    def __init__(self) -> None:
        dsn = os.environ.get("CMPAY_PG_DSN")
        if dsn:
            import psycopg  # the PostgreSQL DB-API driver

            self.db: Any = psycopg.connect(dsn, autocommit=True)
            self.begin, self.qmark, self.for_update = "BEGIN", False, " FOR UPDATE"
        else:
            import sqlite3

            self.db = sqlite3.connect(os.environ.get("CMPAY_SHOP_DB", "shop.sqlite3"), timeout=10, isolation_level=None)
            # BEGIN IMMEDIATE takes the database's write lock at once (no
            # upgrade deadlock), which also holds the order's row.
            self.begin, self.qmark, self.for_update = "BEGIN IMMEDIATE", True, ""
        for sql in SCHEMA:
            self.execute(sql)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        cur = self.db.cursor()
        cur.execute(sql.replace("%s", "?") if self.qmark else sql, tuple(params))
        return cur

    def order_amount(self, order_id: str) -> Optional[int]:
        """The amount of the shop's order ``order_id``, None when it has none."""
        rows = self.execute("SELECT amount_fen FROM orders WHERE order_id = %s", (order_id,)).fetchall()  # no cursor left open
        return int(rows[0][0]) if rows else None

    def known_orders(self, order_ids: Sequence[str]) -> Set[str]:
        """Which of ``order_ids`` are the shop's orders."""
        if not order_ids:
            return set()
        marks = ", ".join(["%s"] * len(order_ids))
        return {r[0] for r in self.execute("SELECT order_id FROM orders WHERE order_id IN (%s)" % marks, order_ids).fetchall()}

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def settle(store: Store, n: cmpay.Notification) -> None:
    """Makes a verified notification mean one thing, or raises: the other
    order ids it reads as that are none of the shop's orders are ruled out;
    if it is still ambiguous, the gateway confirms it (an order query).
    Raises cmpay.NotConfirmedError or cmpay.AmbiguousError when the gateway's
    answer does not settle it, and cmpay.GatewayError or cmpay.NetworkError
    when the gateway could not be asked."""
    others = n.other_order_ids()
    ours = store.known_orders(others)
    for order_id in others:
        if order_id not in ours:
            n.rule_out(order_id)  # a re-split to an order the shop never made pays nothing
    if n.is_ambiguous():
        print("cmpay notify: %s for order %s also reads as %s; confirming it with the gateway"
              % (n.type, n.order_id, n.other_readings()), file=sys.stderr, flush=True)
        client().confirm(n)


def record_payment(store: Store, n: cmpay.Notification) -> Optional[Dict[str, Any]]:
    """Checks a verified notification against the shop's order and records its
    payment once, whichever of PageNotify, OfflineNotify or a resend comes
    first, from whichever worker or server. None for an unknown order; raises
    cmpay.CmpayError when the notification is not about that order and amount
    or is not settled (``settle``), Refused when the order is paid already
    by another payment."""
    amount = store.order_amount(n.order_id)
    if amount is None:
        return None
    settle(store, n)
    # The notification must be about the order we created, for its amount, and mean only that.
    n.check_order(os.environ["CMPAY_MERCHANT_ID"], n.order_id, amount)
    paid = n.is_paid
    cols = ("pay_no", "order_id", "amount_fen", "status", "first_seen_via")
    store.execute(store.begin)
    try:
        ((status, pay_no),) = store.execute("SELECT status, pay_no FROM orders WHERE order_id = %s" + store.for_update,
                                            (n.order_id,)).fetchall()
        if paid and status == "paid" and pay_no != n.pay_no:
            # One order is paid once: a second payNo for it is no new payment.
            raise Refused(409, "order %s is paid already by payNo %s, not %s" % (n.order_id, pay_no, n.pay_no))
        store.execute(
            "INSERT INTO payments (pay_no, order_id, amount_fen, status, first_seen_via, recorded_at)"
            " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (pay_no) DO NOTHING",
            (n.pay_no, n.order_id, n.amount, "paid" if paid else "failed", n.type, time.time()))
        (found,) = store.execute("SELECT %s FROM payments WHERE pay_no = %%s" % ", ".join(cols), (n.pay_no,)).fetchall()
        if found[1] != n.order_id:
            raise Refused(409, "payNo %s is recorded for order %s, not %s" % (n.pay_no, found[1], n.order_id))
        if paid and status != "paid":  # the first time this order is seen paid
            store.execute("UPDATE orders SET status = 'paid', pay_no = %s WHERE order_id = %s", (n.pay_no, n.order_id))
        store.execute("COMMIT")
    except BaseException:
        store.execute("ROLLBACK")
        raise
    return dict(zip(cols, found))


def handle(body: bytes) -> Tuple[int, str, Optional[Dict[str, Any]]]:
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
    except Refused as e:
        why, status = str(e), e.status
    except (cmpay.NetworkError, cmpay.GatewayError) as e:  # the gateway could not confirm it now: it sends again
        why, status = "not confirmed, the gateway could not be asked: %r" % (e,), 503
    except cmpay.CmpayError as e:  # forged, not ours, ambiguous, or the gateway disagrees
        why, status = repr(e), 400
    print("cmpay notify refused: %s" % why, file=sys.stderr, flush=True)
    return status, "FAIL", None
