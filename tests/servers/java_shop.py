"""The Java example's tests, whatever the servlet container: each container's
test module (test_jetty.py, test_tomcat.py) provides a module fixture
``java_server`` (the deployment and its store, made with java_deployment())
and imports the fixture ``endpoint`` and the tests below, which pytest then
runs there: the servlets (NotifyServlet, ReturnServlet) and the JSP pages
(notify.jsp, return.jsp) through the shared scenarios."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path
from typing import Any, Callable, Iterator, Tuple

import pytest

from scenarios import (PAID, burst, recorded_once, return_page_refuses_a_forgery, return_page_shows, tampered_or_resplit, paid_notification_resplit_to_another_order,
                       workers_unprivileged)
from servers import REPO, Sandbox, http, run_dir
from shop import Store, shop_env

# The Java example creates its tables itself (JdbcShopOrders); the test's Store
# creates the same ones, so that it can add orders before the server starts.
CREATE = ["php", "-r", "require $argv[1]; cmpay_db();", str(REPO / "bindings" / "php" / "examples" / "shop.php")]


def java_store(request: pytest.FixtureRequest, kind: str, data: Path, name: str) -> Tuple[Store, str]:
    """A fresh store of ``kind`` ("sqlite" in ``data``, or "pgsql": database
    ``name`` on the session's PostgreSQL) and the JDBC URL the example uses."""
    if kind == "pgsql":
        pg = request.getfixturevalue("postgres")
        db = pg.database(name)
        return (Store(shop_env(CMPAY_DB_DSN=pg.pdo_dsn(db)), CREATE, pg=pg, dbname=db),
                "jdbc:postgresql://127.0.0.1:%d/%s?user=%s" % (pg.port, db, pg.user))
    path = data / "shop.sqlite3"
    return Store(shop_env(CMPAY_DB_DSN="sqlite:%s" % path), CREATE, sqlite=path), "jdbc:sqlite:%s" % path


@contextlib.contextmanager
def java_deployment(request: pytest.FixtureRequest, name: str, start: Callable[[str], Any]) -> Iterator[Tuple[Any, Store]]:
    """A store of the kind ``request.param`` names and the server ``start``
    deploys with its JDBC URL, after a first request to notify.jsp and to
    return.jsp (refusals) has had the container's JSP engine compile them, as
    after a deployment; both stopped and removed at the end."""
    data = run_dir(name + "-db")
    try:
        store, url = java_store(request, request.param, data, name)
        server = start(url)
        try:
            assert http("POST", server.url + "notify.jsp", b"")[:3:2] == (400, b"FAIL"), server.logs()
            assert http("POST", server.url + "return.jsp", b"")[0] == 400, server.logs()
            yield server, store
        finally:
            server.stop()
    finally:
        shutil.rmtree(data, ignore_errors=True)


class Jsp:
    """The same deployment, with notify.jsp as notifyUrl and return.jsp as callbackUrl."""

    def __init__(self, server: Any) -> None:
        self.server, self.url = server, server.url
        self.notify_path, self.return_path = "notify.jsp", "return.jsp"

    def logs(self) -> str:
        return self.server.logs()


@pytest.fixture(params=["servlet", "jsp"])
def endpoint(request: pytest.FixtureRequest, java_server: Tuple[Any, Store]) -> Tuple[Any, Store]:
    server, store = java_server
    return (server if request.param == "servlet" else Jsp(server)), store


def test_page_and_offline_notify_recorded_once(endpoint: Tuple[Any, Store], sandbox: Sandbox) -> None:
    server, store = endpoint
    order_id, page = recorded_once(server, store, sandbox, PAID)
    return_page_shows(page, store, order_id)


def test_return_page_refuses_a_forgery(endpoint: Tuple[Any, Store]) -> None:
    server, _ = endpoint
    return_page_refuses_a_forgery(server)


def test_burst_of_notifications_at_several_workers(endpoint: Tuple[Any, Store], sandbox: Sandbox) -> None:
    server, store = endpoint
    burst(server, store, sandbox, PAID)


def test_tampered_or_resplit_notification_answered_fail(endpoint: Tuple[Any, Store], sandbox: Sandbox) -> None:
    server, store = endpoint
    tampered_or_resplit(server, store, sandbox)


def test_paid_notification_resplit_to_another_order_never_pays_it(endpoint: Tuple[Any, Store], sandbox: Sandbox) -> None:
    server, store = endpoint
    paid_notification_resplit_to_another_order(server, store, sandbox, PAID)


def test_container_runs_unprivileged(java_server: Tuple[Any, Store]) -> None:
    server, _ = java_server
    workers_unprivileged(server, at_least=1)
