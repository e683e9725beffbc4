"""bindings/java's notify endpoint and return page as the jakarta.servlet WAR
in Debian's Tomcat 10.1: the jakarta NotifyServlet and ReturnServlet,
notify.jsp and return.jsp (compiled by Tomcat's Jasper), in a CATALINA_BASE
of its own, recording through JDBC into SQLite or
PostgreSQL; the tests are java_shop's, as for Jetty 9's javax.servlet WAR."""

from __future__ import annotations

import shutil
import time
from typing import Iterator, Tuple

import pytest

from java_shop import (Jsp, endpoint, java_deployment, test_burst_of_notifications_at_several_workers,  # noqa: F401 (run here)
                       test_container_runs_unprivileged, test_page_and_offline_notify_recorded_once,
                       test_paid_notification_resplit_to_another_order_never_pays_it, test_return_page_refuses_a_forgery,
                       test_tampered_or_resplit_notification_answered_fail)
from scenarios import PAID, recorded_once
from servers import Sandbox, Tomcat, http
from shop import KEY, MERCHANT_ID, Store


@pytest.fixture(scope="module", params=["sqlite", "pgsql"])
def java_server(request: pytest.FixtureRequest, java_wars: None, sandbox: Sandbox) -> Iterator[Tuple[Tomcat, Store]]:
    with java_deployment(request, "tomcat", lambda url: Tomcat(
            {"MERCHANT_ID": MERCHANT_ID, "SIGN_KEY": KEY, "JDBC_URL": url, "ENDPOINT": sandbox.endpoint,
             "ALLOW_HTTP": "true"})) as deployed:
        yield deployed


def test_jsp_compiled_by_jasper(java_server: Tuple[Tomcat, Store]) -> None:
    """notify.jsp and return.jsp, as Tomcat's Jasper compiled them into the instance's work/."""
    server, _ = java_server
    for page in ("notify_jsp", "return_jsp"):
        assert list(server.run.glob("base/work/Catalina/localhost/ROOT/org/apache/jsp/%s.class" % page)), server.logs()


def test_servlet_is_the_jakarta_one(java_server: Tuple[Tomcat, Store]) -> None:
    """The jakarta servlet, with HttpServlet's own answers: 405 to a method
    the endpoint does not take; no javax class named in Tomcat's logs."""
    server, _ = java_server
    status, _, _ = http("PUT", server.url + "cmpay/notify", b"x")
    assert status == 405, server.logs()
    assert "javax" not in server.logs()


def test_new_release_redeployed_without_restart(java_server: Tuple[Tomcat, Store], sandbox: Sandbox) -> None:
    """A new release's WAR named in ROOT.xml while Tomcat runs (autoDeploy) is
    deployed in a new class loader, and the endpoint goes on verifying and
    recording through the binding: JNA, in the instance's lib/, is loaded
    once for the JVM (inside the WAR, the redeployed one could not load it)."""
    server, store = java_server
    if store.pg is not None:
        pytest.skip("one redeployment is enough; the store plays no part in it")
    log = server.log
    deployed = log.read_text(errors="replace").count("has finished in")
    release = server.war.with_name("cmpay-notify-jakarta-2.war")
    shutil.copy(server.war, release)
    release.chmod(0o644)
    root_xml = server.run / "base" / "conf" / "Catalina" / "localhost" / "ROOT.xml"
    root_xml.write_text(root_xml.read_text().replace('docBase="%s"' % server.war, 'docBase="%s"' % release))
    deadline = time.monotonic() + 90
    while log.read_text(errors="replace").count("has finished in") == deployed:
        assert time.monotonic() < deadline, server.logs()
        time.sleep(0.2)
    text = log.read_text(errors="replace")
    assert "Undeploying context" in text
    # The binding's cleaner thread outlives the application without holding on to it.
    assert "started a thread named [cmpay-cleaner]" not in text, server.logs()
    recorded_once(server, store, sandbox, PAID)
    recorded_once(Jsp(server), store, sandbox, PAID)
