"""bindings/java's notify endpoint as a WAR in Jetty 9: the NotifyServlet
and notify.jsp (compiled by Jetty's JSP engine), recording through JDBC into
SQLite or PostgreSQL."""

from __future__ import annotations

import shutil
from typing import Any, Iterator, Tuple

import pytest

from scenarios import burst, recorded_once, tampered_or_resplit, workers_unprivileged
from java_shop import Jsp, java_store
from servers import Jetty, Sandbox, http, run_dir
from shop import Store, KEY, MERCHANT_ID


@pytest.fixture(scope="module", params=["sqlite", "pgsql"])
def jetty(request: pytest.FixtureRequest, java_wars: None, sandbox: Sandbox) -> Iterator[Tuple[Jetty, Store]]:
    data = run_dir("java-db")
    store, url = java_store(request, request.param, data, "java")
    server = Jetty({"cmpay.merchantId": MERCHANT_ID, "cmpay.signKey": KEY, "cmpay.jdbcUrl": url})
    try:
        # As after a deployment: the JSP compiled by a first request (a refusal).
        assert http("POST", server.url + "notify.jsp", b"")[:3:2] == (400, b"FAIL"), server.logs()
        yield server, store
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)


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
