"""bindings/java's notify endpoint as the jakarta.servlet WAR in Debian's
Tomcat 10.1: the jakarta NotifyServlet and notify.jsp (compiled by Tomcat's
Jasper), in a CATALINA_BASE of its own, recording through JDBC into SQLite or
PostgreSQL; the tests are java_shop's, as for Jetty 9's javax.servlet WAR."""

from __future__ import annotations

from typing import Iterator, Tuple

import pytest

from java_shop import (endpoint, java_deployment, test_burst_of_notifications_at_several_workers,  # noqa: F401 (run here)
                       test_container_runs_unprivileged, test_page_and_offline_notify_recorded_once,
                       test_tampered_or_resplit_notification_answered_fail)
from servers import Sandbox, Tomcat, http
from shop import KEY, MERCHANT_ID, Store


@pytest.fixture(scope="module", params=["sqlite", "pgsql"])
def java_server(request: pytest.FixtureRequest, java_wars: None, sandbox: Sandbox) -> Iterator[Tuple[Tomcat, Store]]:
    with java_deployment(request, "tomcat", lambda url: Tomcat(
            {"MERCHANT_ID": MERCHANT_ID, "SIGN_KEY": KEY, "JDBC_URL": url})) as deployed:
        yield deployed


def test_jsp_compiled_by_jasper(java_server: Tuple[Tomcat, Store]) -> None:
    """notify.jsp, as Tomcat's Jasper compiled it into the instance's work/."""
    server, _ = java_server
    assert list(server.run.glob("base/work/Catalina/localhost/ROOT/org/apache/jsp/notify_jsp.class")), server.logs()


def test_servlet_is_the_jakarta_one(java_server: Tuple[Tomcat, Store]) -> None:
    """The jakarta servlet, with HttpServlet's own answers: 405 to a method
    the endpoint does not take; no javax class named in Tomcat's logs."""
    server, _ = java_server
    status, _, _ = http("PUT", server.url + "cmpay/notify", b"x")
    assert status == 405, server.logs()
    assert "javax" not in server.logs()
