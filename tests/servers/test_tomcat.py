"""bindings/java's notify endpoint as the jakarta.servlet WAR in Debian's
Tomcat 10.1: the jakarta NotifyServlet and notify.jsp (compiled by Tomcat's
Jasper), in a CATALINA_BASE of its own, recording through JDBC into SQLite or
PostgreSQL. The same scenarios as Jetty 9's javax.servlet WAR (test_jetty.py)."""

from __future__ import annotations

import shutil
from typing import Any, Iterator, Tuple

import pytest

from java_shop import Jsp, java_store
from scenarios import burst, recorded_once, tampered_or_resplit, workers_unprivileged
from servers import Sandbox, Tomcat, http, run_dir
from shop import KEY, MERCHANT_ID, Store


@pytest.fixture(scope="module", params=["sqlite", "pgsql"])
def tomcat(request: pytest.FixtureRequest, java_wars: None, sandbox: Sandbox) -> Iterator[Tuple[Tomcat, Store]]:
    data = run_dir("tomcat-db")
    store, url = java_store(request, request.param, data, "tomcat")
    server = Tomcat({"MERCHANT_ID": MERCHANT_ID, "SIGN_KEY": KEY, "JDBC_URL": url})
    try:
        # As after a deployment: the JSP compiled by Jasper at a first request (a refusal).
        assert http("POST", server.url + "notify.jsp", b"")[:3:2] == (400, b"FAIL"), server.logs()
        compiled = list(server.run.glob("base/work/Catalina/localhost/ROOT/org/apache/jsp/notify_jsp.class"))
        assert compiled, server.logs()
        yield server, store
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(params=["servlet", "jsp"])
def endpoint(request: pytest.FixtureRequest, tomcat: Tuple[Tomcat, Store]) -> Tuple[Any, Store]:
    server, store = tomcat
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


def test_servlet_is_the_jakarta_one(tomcat: Tuple[Tomcat, Store]) -> None:
    """Tomcat 10 loads no javax.servlet class: the WAR carries the jakarta
    servlet only, and a method the endpoint does not take is HttpServlet's 405."""
    server, _ = tomcat
    status, _, _ = http("PUT", server.url + "cmpay/notify", b"x")
    assert status == 405, server.logs()
    assert "javax" not in server.logs()


def test_tomcat_runs_unprivileged(tomcat: Tuple[Tomcat, Store]) -> None:
    server, _ = tomcat
    workers_unprivileged(server, at_least=1)
