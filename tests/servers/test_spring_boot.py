"""bindings/java/spring-boot-starter in a real Spring Boot application: the
example shop (spring-boot-starter/example) on embedded Tomcat, configured by
its application.properties and the CMPAY_* environment variables, its
notifyUrl the starter's endpoint over the shop's CmpayNotifyHandler, its
return page through the starter's CmpayNotifications; recording through JDBC
into SQLite. The scenarios are every deployment's."""

from __future__ import annotations

import shutil
import subprocess
from typing import Iterator, Tuple

import pytest

from java_shop import java_store
from scenarios import (PAID, burst, paid_notification_resplit_to_another_order, recorded_once, return_page_refuses_a_forgery,
                       return_page_shows, tampered_or_resplit, workers_unprivileged)
from servers import REPO, Sandbox, SpringBoot, give_to_worker, http, run_dir
from shop import KEY, MERCHANT_ID, Store

MVN = ["mvn", "-B", "-ntp", "-q"]


@pytest.fixture(scope="module")
def spring_boot_build() -> None:
    """The binding installed into the local Maven repository (the starter
    depends on it), then the starter and its example compiled and every jar
    of the example's classpath copied to target/example-lib."""
    java = REPO / "bindings" / "java"
    subprocess.run(MVN + ["install", "-DskipTests", "-Dmaven.javadoc.skip=true", "-Dmaven.source.skip=true"],
                   cwd=java, check=True)
    subprocess.run(MVN + ["test-compile", "dependency:copy-dependencies", "-DincludeScope=test",
                          "-DoutputDirectory=target/example-lib"], cwd=java / "spring-boot-starter", check=True)


@pytest.fixture(scope="module")
def shop(request: pytest.FixtureRequest, spring_boot_build: None, sandbox: Sandbox) -> Iterator[Tuple[SpringBoot, Store]]:
    data = run_dir("spring-boot-db")
    secrets = run_dir("spring-boot-secrets")
    try:
        store, url = java_store(request, "sqlite", data, "spring")
        # The signKey in a file the shop's user reads (a BOM and CRLF, as Notepad saves it).
        key_file = secrets / "cmpay-sign-key.txt"
        key_file.write_bytes(("\ufeff" + KEY + "\r\n").encode("utf-8"))
        give_to_worker(key_file).chmod(0o400)
        server = SpringBoot({"CMPAY_MERCHANT_ID": MERCHANT_ID, "CMPAY_SIGN_KEY_FILE": str(key_file),
                             "CMPAY_ENDPOINT": sandbox.endpoint, "CMPAY_ALLOW_HTTP": "true", "CMPAY_TIMEOUT_MS": "10000",
                             "SHOP_JDBC_URL": url})
        try:
            # As after a deployment: the first requests (refusals) warm the endpoints up.
            assert http("POST", server.url + "cmpay/notify", b"")[:3:2] == (400, b"FAIL"), server.logs()
            assert http("POST", server.url + "cmpay/return", b"")[0] == 400, server.logs()
            yield server, store
        finally:
            server.stop()
    finally:
        shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(secrets, ignore_errors=True)


def test_page_and_offline_notify_recorded_once(shop: Tuple[SpringBoot, Store], sandbox: Sandbox) -> None:
    server, store = shop
    order_id, page = recorded_once(server, store, sandbox, PAID)
    return_page_shows(page, store, order_id)
    assert "Started ShopApplication" in server.logs()


def test_return_page_refuses_a_forgery(shop: Tuple[SpringBoot, Store]) -> None:
    server, _ = shop
    return_page_refuses_a_forgery(server)


def test_burst_of_notifications_at_several_workers(shop: Tuple[SpringBoot, Store], sandbox: Sandbox) -> None:
    server, store = shop
    burst(server, store, sandbox, PAID)


def test_tampered_or_resplit_notification_answered_fail(shop: Tuple[SpringBoot, Store], sandbox: Sandbox) -> None:
    server, store = shop
    tampered_or_resplit(server, store, sandbox)


def test_paid_notification_resplit_to_another_order_never_pays_it(shop: Tuple[SpringBoot, Store], sandbox: Sandbox) -> None:
    server, store = shop
    paid_notification_resplit_to_another_order(server, store, sandbox, PAID)
    # Spring Boot's log says why (the starter logs through commons-logging, i.e. Logback here).
    assert "cmpay notify not confirmed by the gateway, refused: CmpayNotConfirmedException" in server.logs()


def test_unknown_order_and_other_methods(shop: Tuple[SpringBoot, Store]) -> None:
    """Spring MVC's own answer to a method the endpoint does not take; never SUCCESS to anything unverified."""
    server, _ = shop
    status, _, body = http("PUT", server.url + "cmpay/notify", b"x")
    assert status == 405 and b"SUCCESS" not in body, (status, body)


def test_runs_unprivileged(shop: Tuple[SpringBoot, Store]) -> None:
    server, _ = shop
    workers_unprivileged(server, at_least=1)
