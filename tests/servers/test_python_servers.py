"""bindings/python/examples under gunicorn: the plain WSGI application, the
Flask views and the Django view, each reading the raw body through its
framework's request object, recording through the DB-API into SQLite
(sqlite3) or PostgreSQL (psycopg)."""

from __future__ import annotations

import html.parser
import shutil
import sys
from typing import Dict, Iterator, List, Optional, Tuple

import pytest

from servers import Gunicorn, Sandbox, http, run_dir
from shop import Store, shop_env
from scenarios import burst, recorded_once, tampered_or_resplit, workers_unprivileged

APPS = {"wsgi": "notify_wsgi:application", "flask": "flask_app:app", "django": "django_app:application"}
CREATE = [sys.executable, "-c", "import shop_store; shop_store.Store().close()"]


@pytest.fixture(scope="module", params=[(a, db) for a in APPS for db in ("sqlite", "pgsql")], ids=lambda p: "%s-%s" % p)
def shop(request: pytest.FixtureRequest, sandbox: Sandbox) -> Iterator[Tuple[Gunicorn, Store, str]]:
    app, db = request.param
    data = run_dir("py-db")
    create = CREATE
    if db == "pgsql":
        pg = request.getfixturevalue("postgres")
        name = pg.database("py_" + app)
        env = shop_env(CMPAY_PG_DSN=pg.conninfo(name))
        store = Store(env, create, pg=pg, dbname=name, cwd=Gunicorn.EXAMPLES)
    else:
        env = shop_env(CMPAY_SHOP_DB=str(data / "shop.sqlite3"))
        store = Store(env, create, sqlite=data / "shop.sqlite3", cwd=Gunicorn.EXAMPLES)
    server = Gunicorn(APPS[app], env)
    try:
        yield server, store, app
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)


PAGES = ("flask", "django")  # the others answer SUCCESS at the return URL too


def _page_paid(app: str) -> bytes:
    return b'id="status">paid<' if app in PAGES else b"SUCCESS"


class _Page(html.parser.HTMLParser):
    """The return page's language, charset, title and the text of each element with an id."""

    def __init__(self) -> None:
        super().__init__()
        self.lang = self.charset = self.title = ""
        self.ids: Dict[str, str] = {}
        self._in: List[str] = []

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang") or ""
        if tag == "meta" and a.get("charset"):
            self.charset = a["charset"] or ""
        self._in.append(a.get("id") or ("title" if tag == "title" else ""))

    def handle_endtag(self, tag: str) -> None:
        if self._in:
            self._in.pop()

    def handle_data(self, data: str) -> None:
        if self._in and self._in[-1] == "title":
            self.title += data
        elif self._in and self._in[-1]:
            self.ids[self._in[-1]] = self.ids.get(self._in[-1], "") + data


def test_page_and_offline_notify_recorded_once(shop: Tuple[Gunicorn, Store, str], sandbox: Sandbox) -> None:
    server, store, app = shop
    order_id, body = recorded_once(server, store, sandbox, _page_paid(app))
    if app in PAGES:
        page = _Page()
        page.feed(body.decode("utf-8"))
        (payment,) = store.payments(order_id)
        assert (page.lang, page.charset.lower(), page.title) == ("zh-CN", "utf-8", "支付成功 Payment received"), body
        assert page.ids == {"order-id": order_id, "amount": "¥128.00", "pay-no": payment[0], "status": "paid"}, body


def test_return_page_refuses_a_forgery(shop: Tuple[Gunicorn, Store, str], sandbox: Sandbox) -> None:
    """A return page shows a notification that does not verify as such, its
    markup escaped (a forged field never reaches the page)."""
    server, _, app = shop
    if app not in PAGES:
        pytest.skip("%s answers SUCCESS/FAIL at its return URL, no page" % app)
    forged = b"orderId=%3Cscript%3Ealert(1)%3C%2Fscript%3E&amount=1&hmac=00"
    status, headers, body = http("POST", server.url + "cmpay/return", forged)
    page = _Page()
    page.feed(body.decode("utf-8"))
    assert status == 400 and headers.get("Content-Type", headers.get("content-type", "")).startswith("text/html")
    assert (page.lang, page.title) == ("zh-CN", "无法确认支付 Payment not confirmed") and page.ids == {}, body
    assert b"<script" not in body and b"paid" not in body


def test_burst_of_notifications_at_several_workers(shop: Tuple[Gunicorn, Store, str], sandbox: Sandbox) -> None:
    server, store, app = shop
    burst(server, store, sandbox, _page_paid(app))


def test_tampered_or_resplit_notification_answered_fail(shop: Tuple[Gunicorn, Store, str], sandbox: Sandbox) -> None:
    server, store, app = shop
    tampered_or_resplit(server, store, sandbox)


def test_workers_run_unprivileged(shop: Tuple[Gunicorn, Store, str]) -> None:
    server, _, _ = shop
    workers_unprivileged(server, at_least=3)
