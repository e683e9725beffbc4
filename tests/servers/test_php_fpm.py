"""bindings/php/examples (notify.php, return.php) deployed under nginx +
PHP-FPM from the documented configs in examples/deploy, with both FFI
settings, recording into SQLite and into PostgreSQL through PDO."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterator, Tuple

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
    for path in ("shop.php", "notify.php", "checkout.php", "shop.sqlite3", "deploy/nginx.conf", "cmpay/other"):
        status, _, body = http("GET", server.url + path)
        assert status == 404, (path, body[:200])
    assert Path(PhpFpmNginx.EXAMPLES / "shop.sqlite3").exists() is False
