"""bindings/java's notify endpoint and return page as the javax.servlet WAR
in Jetty 9: NotifyServlet and ReturnServlet, notify.jsp and return.jsp
(compiled by Jetty's JSP engine), recording through JDBC into SQLite or
PostgreSQL; the tests are java_shop's."""

from __future__ import annotations

from typing import Iterator, Tuple

import pytest

from java_shop import (endpoint, java_deployment, test_burst_of_notifications_at_several_workers,  # noqa: F401 (run here)
                       test_container_runs_unprivileged, test_page_and_offline_notify_recorded_once,
                       test_paid_notification_resplit_to_another_order_never_pays_it, test_return_page_refuses_a_forgery,
                       test_tampered_or_resplit_notification_answered_fail)
from servers import Jetty, Sandbox
from shop import KEY, MERCHANT_ID, Store


@pytest.fixture(scope="module", params=["sqlite", "pgsql"])
def java_server(request: pytest.FixtureRequest, java_wars: None, sandbox: Sandbox) -> Iterator[Tuple[Jetty, Store]]:
    with java_deployment(request, "jetty", lambda url: Jetty(
            {"cmpay.merchantId": MERCHANT_ID, "cmpay.signKey": KEY, "cmpay.jdbcUrl": url,
             "cmpay.endpoint": sandbox.endpoint, "cmpay.allowHttp": "true"})) as deployed:
        yield deployed
