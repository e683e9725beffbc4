"""bindings/python/examples under gunicorn: the plain WSGI application, the
Flask views and the Django view, each reading the raw body through its
framework's request object, recording through the DB-API into SQLite
(sqlite3) or PostgreSQL (psycopg)."""

from __future__ import annotations

import shutil
import sys
from typing import Iterator, Tuple

import pytest

from servers import Gunicorn, Sandbox, http, run_dir
from shop import Store, shop_env
from scenarios import (PAID, burst, recorded_once, return_page_refuses_a_forgery, return_page_shows, tampered_or_resplit, paid_notification_resplit_to_another_order,
                       workers_unprivileged)

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
    # The gateway that confirms an ambiguous notification: the sandbox the orders are created at.
    server = Gunicorn(APPS[app], dict(env, CMPAY_ENDPOINT=sandbox.endpoint, CMPAY_ALLOW_HTTP="1"))
    try:
        yield server, store, app
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)


PAGES = ("flask", "django")  # the others answer SUCCESS at the return URL too


def _page_paid(app: str) -> bytes:
    return PAID if app in PAGES else b"SUCCESS"


def test_page_and_offline_notify_recorded_once(shop: Tuple[Gunicorn, Store, str], sandbox: Sandbox) -> None:
    server, store, app = shop
    order_id, body = recorded_once(server, store, sandbox, _page_paid(app))
    if app in PAGES:
        return_page_shows(body, store, order_id)


def test_return_page_refuses_a_forgery(shop: Tuple[Gunicorn, Store, str]) -> None:
    server, _, app = shop
    if app not in PAGES:
        pytest.skip("%s answers SUCCESS/FAIL at its return URL, no page" % app)
    return_page_refuses_a_forgery(server)


def test_burst_of_notifications_at_several_workers(shop: Tuple[Gunicorn, Store, str], sandbox: Sandbox) -> None:
    server, store, app = shop
    burst(server, store, sandbox, _page_paid(app))


def test_tampered_or_resplit_notification_answered_fail(shop: Tuple[Gunicorn, Store, str], sandbox: Sandbox) -> None:
    server, store, app = shop
    tampered_or_resplit(server, store, sandbox)


def test_paid_notification_resplit_to_another_order_never_pays_it(shop: Tuple[Gunicorn, Store, str], sandbox: Sandbox) -> None:
    server, store, app = shop
    paid_notification_resplit_to_another_order(server, store, sandbox, _page_paid(app))


def test_workers_run_unprivileged(shop: Tuple[Gunicorn, Store, str]) -> None:
    server, _, _ = shop
    workers_unprivileged(server, at_least=3)
