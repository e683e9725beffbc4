"""bindings/java's notify endpoint as a WAR in Jetty 9: the NotifyServlet
and notify.jsp (compiled by Jetty's JSP engine), recording through JDBC into
SQLite or PostgreSQL."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any, Iterator, Tuple

import pytest

from scenarios import burst, recorded_once, tampered_or_resplit, workers_unprivileged
from servers import REPO, Jetty, Sandbox, http, run_dir
from shop import Store, shop_env, KEY, MERCHANT_ID


@pytest.fixture(scope="session")
def war() -> None:
    subprocess.run([str(REPO / "bindings" / "java" / "build-war.sh")], check=True, stdout=subprocess.DEVNULL)


# The Java example creates its tables itself (JdbcShopOrders); the test's Store
# creates the same ones, so that it can add orders before Jetty starts.
CREATE = ["php", "-r", "require $argv[1]; cmpay_db();", str(REPO / "bindings" / "php" / "examples" / "shop.php")]


@pytest.fixture(scope="module", params=["sqlite", "pgsql"])
def jetty(request: pytest.FixtureRequest, war: None, sandbox: Sandbox) -> Iterator[Tuple[Jetty, Store]]:
    data = run_dir("java-db")
    if request.param == "pgsql":
        pg = request.getfixturevalue("postgres")
        name = pg.database("java")
        store = Store(shop_env(CMPAY_DB_DSN=pg.pdo_dsn(name)), CREATE, pg=pg, dbname=name)
        url = "jdbc:postgresql://127.0.0.1:%d/%s?user=%s" % (pg.port, name, pg.user)
    else:
        db = data / "shop.sqlite3"
        store = Store(shop_env(CMPAY_DB_DSN="sqlite:%s" % db), CREATE, sqlite=db)
        url = "jdbc:sqlite:%s" % db
    server = Jetty({"cmpay.merchantId": MERCHANT_ID, "cmpay.signKey": KEY, "cmpay.jdbcUrl": url})
    try:
        # As after a deployment: the JSP compiled by a first request (a refusal).
        assert http("POST", server.url + "notify.jsp", b"")[:3:2] == (400, b"FAIL"), server.logs()
        yield server, store
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)


class Jsp:
    """The same Jetty, with notify.jsp as both notifyUrl and callbackUrl."""

    def __init__(self, jetty: Jetty) -> None:
        self.jetty, self.url = jetty, jetty.url
        self.notify_path = self.return_path = "notify.jsp"

    def logs(self) -> str:
        return self.jetty.logs()


@pytest.fixture(params=["servlet", "jsp"])
def endpoint(request: pytest.FixtureRequest, jetty: Tuple[Jetty, Store]) -> Tuple[Any, Store]:
    server, store = jetty
    return (server if request.param == "servlet" else Jsp(server)), store


def test_page_and_offline_notify_recorded_once(endpoint: Tuple[Any, Store], sandbox: Sandbox) -> None:
    server, store = endpoint
    recorded_once(server, store, sandbox, b"SUCCESS")


def test_burst_of_notifications_at_several_workers(endpoint: Tuple[Any, Store], sandbox: Sandbox) -> None:
    server, store = endpoint
    burst(server, store, sandbox, b"SUCCESS")


def test_tampered_or_resplit_notification_answered_fail(endpoint: Tuple[Any, Store], sandbox: Sandbox) -> None:
    server, store = endpoint
    tampered_or_resplit(server, store, sandbox)


def test_jetty_runs_unprivileged(jetty: Tuple[Jetty, Store]) -> None:
    server, _ = jetty
    workers_unprivileged(server, at_least=1)
