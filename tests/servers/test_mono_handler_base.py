"""Cmpay.Web under fastcgi-mono-server4 behind nginx: examples/handler-base,
a shop's Notify.ashx and Return.ashx subclassing NotifyHandlerBase, its
merchant and gateway in web.config's <cmpay> section (the signKey file left
out there, read from CMPAY_SIGN_KEY_FILE in the server's environment),
recording through ADO.NET into SQLite; the scenarios are every deployment's.
A <cmpay> section with a bad value fails every request, never SUCCESS,
the log naming the variable and its attribute."""

from __future__ import annotations

import shutil
from typing import Iterator, Tuple

import pytest

from scenarios import (PAID, burst, paid_notification_resplit_to_another_order, recorded_once, return_page_refuses_a_forgery,
                       return_page_shows, tampered_or_resplit, workers_unprivileged)
from servers import REPO, MonoFastCgiNginx, Sandbox, give_to_worker, http, run_dir
from shop import KEY, MERCHANT_ID, Store, shop_env
from test_mono_aspnet import CREATE, build  # noqa: F401 (the build fixture, run here)

EXAMPLE = REPO / "bindings" / "dotnet" / "examples" / "handler-base"
DLLS = ("Cmpay.Web.dll", "Cmpay.Examples.Web.dll")


@pytest.fixture(scope="module")
def secrets() -> Iterator[str]:
    """The signKey in a file only the site's user reads (a BOM and CRLF, as Notepad saves it)."""
    d = run_dir("dotnet-base-secrets")
    key_file = d / "cmpay-sign-key.txt"
    key_file.write_bytes(("\ufeff" + KEY + "\r\n").encode("utf-8"))
    give_to_worker(key_file).chmod(0o400)
    yield str(key_file)
    shutil.rmtree(d, ignore_errors=True)


def start(sandbox: Sandbox, key_file: str, db: str, **values: str) -> MonoFastCgiNginx:
    return MonoFastCgiNginx(dict(dict(MERCHANT_ID=MERCHANT_ID, ENDPOINT=sandbox.endpoint, ALLOW_HTTP="true",
                                      SHOP_DB_PROVIDER="Mono.Data.Sqlite", SHOP_DB="Data Source=%s" % db), **values),
                            env={"CMPAY_SIGN_KEY_FILE": key_file}, dlls=DLLS, example=EXAMPLE)


@pytest.fixture(scope="module")
def site(build: None, sandbox: Sandbox, secrets: str) -> Iterator[Tuple[MonoFastCgiNginx, Store]]:
    data = run_dir("dotnet-base-db")
    path = data / "shop.sqlite3"
    store = Store(shop_env(CMPAY_DB_DSN="sqlite:%s" % path), CREATE, sqlite=path)
    server = start(sandbox, secrets, str(path))
    try:
        assert http("POST", server.url + "Notify.ashx", b"")[:3:2] == (400, b"FAIL"), server.logs()
        assert http("POST", server.url + "Return.ashx", b"")[0] == 400, server.logs()
        yield server, store
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)


def test_page_and_offline_notify_recorded_once(site: Tuple[MonoFastCgiNginx, Store], sandbox: Sandbox) -> None:
    server, store = site
    order_id, page = recorded_once(server, store, sandbox, PAID)
    return_page_shows(page, store, order_id)


def test_return_page_refuses_a_forgery(site: Tuple[MonoFastCgiNginx, Store]) -> None:
    server, _ = site
    return_page_refuses_a_forgery(server)


def test_burst_of_notifications(site: Tuple[MonoFastCgiNginx, Store], sandbox: Sandbox) -> None:
    server, store = site
    burst(server, store, sandbox, PAID)


def test_tampered_or_resplit_notification_answered_fail(site: Tuple[MonoFastCgiNginx, Store], sandbox: Sandbox) -> None:
    server, store = site
    tampered_or_resplit(server, store, sandbox)


def test_paid_notification_resplit_to_another_order_never_pays_it(site: Tuple[MonoFastCgiNginx, Store], sandbox: Sandbox) -> None:
    server, store = site
    paid_notification_resplit_to_another_order(server, store, sandbox, PAID)
    # NotifyHandlerBase's TraceSource "cmpay.web", on fastcgi-mono-server4's stderr (web.config), says why.
    log = (server.run / "mono.out").read_text(errors="replace")
    assert "cmpay notify refused: CmpayNotConfirmedException (CMPAY_NOT_CONFIRMED)" in log, server.logs()


def test_other_methods_refused(site: Tuple[MonoFastCgiNginx, Store]) -> None:
    server, _ = site
    status, _, body = http("PUT", server.url + "Notify.ashx", b"x")
    assert status == 405 and b"SUCCESS" not in body, (status, body)


def test_workers_run_unprivileged(site: Tuple[MonoFastCgiNginx, Store]) -> None:
    server, _ = site
    workers_unprivileged(server, at_least=1 + 2)  # fastcgi-mono-server4 and nginx's 2


def test_bad_section_fails_every_request_naming_the_attribute(build: None, sandbox: Sandbox, secrets: str) -> None:
    data = run_dir("dotnet-base-bad", workers_write=True)
    try:
        server = start(sandbox, secrets, str(data / "shop.sqlite3"), ALLOW_HTTP="perhaps")
        try:
            for _ in range(2):
                status, _, body = http("POST", server.url + "Notify.ashx", b"type=OfflineNotify&hmac=00")
                assert (status, body) == (500, b"FAIL"), (status, body, server.logs())
            log = (server.run / "mono.out").read_text(errors="replace")
            assert "<cmpay>: invalid argument: CMPAY_ALLOW_HTTP (allowHttp)" in log, server.logs()
            assert KEY not in log, server.logs()
        finally:
            server.stop()
    finally:
        shutil.rmtree(data, ignore_errors=True)
