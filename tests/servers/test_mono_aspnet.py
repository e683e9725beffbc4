"""bindings/dotnet's IHttpHandlers (Notify.ashx, and Return.ashx, the shopper's
return page) as an ASP.NET site served by nginx + fastcgi-mono-server4, from
its web.config, recording through ADO.NET into SQLite (Mono.Data.Sqlite) or
PostgreSQL (System.Data.Odbc with Debian's PostgreSQL ODBC driver, named as in
/etc/odbcinst.ini)."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
from typing import Dict, Iterator, Optional, Tuple

import pytest

from scenarios import (PAID, burst, recorded_once, return_page_refuses_a_forgery, return_page_shows, tampered_or_resplit, paid_notification_resplit_to_another_order,
                       workers_unprivileged)
from servers import REPO, MonoFastCgiNginx, Postgres, Sandbox, give_to_worker, http, render, run_dir
from shop import KEY, MERCHANT_ID, Store, shop_env

CREATE = ["php", "-r", "require $argv[1]; cmpay_db();", str(REPO / "bindings" / "php" / "examples" / "shop.php")]


@pytest.fixture(scope="session")
def build() -> None:
    subprocess.run([str(REPO / "bindings" / "dotnet" / "build.sh")], check=True, stdout=subprocess.DEVNULL)


def odbc_postgres(pg: Postgres, name: str) -> Dict[str, str]:
    """web.config's values for a PostgreSQL database through ODBC, the driver
    named as in /etc/odbcinst.ini (a DSN-less connection string)."""
    return {"SHOP_DB_PROVIDER": "System.Data.Odbc",
            "SHOP_DB": "Driver={PostgreSQL Unicode};Server=127.0.0.1;Port=%d;Database=%s;Uid=%s;Pwd=;CommLog=0" % (pg.port, name, pg.user)}


@contextlib.contextmanager
def deployed(values: Dict[str, str], sandbox: Sandbox, env: Optional[Dict[str, str]] = None) -> Iterator[MonoFastCgiNginx]:
    """The site, its handlers asking ``sandbox`` (the shop's gateway) to confirm what the shop's orders cannot settle."""
    server = MonoFastCgiNginx(dict(values, MERCHANT_ID=MERCHANT_ID, SIGN_KEY=KEY, ENDPOINT=sandbox.endpoint, ALLOW_HTTP="true"), env)
    mono = server.procs[0].proc.pid
    owner = pwd.getpwuid(os.stat("/proc/%d" % mono).st_uid).pw_name
    try:
        yield server
    finally:
        server.stop()
        # Debian's odbcinst.ini has the driver log each process under /tmp (deploy/odbc.ini): not ours to keep.
        for log in glob.glob("/tmp/psqlodbc_*_%s%d.log" % (owner, mono)):
            os.unlink(log)


# PostgreSQL through ODBC, named two ways: the driver of /etc/odbcinst.ini in a
# DSN-less connection string, and a DSN of deploy/odbc.ini (as ~/.odbc.ini).
@pytest.fixture(scope="module", params=["sqlite", "pgsql", "pgsql-dsn"])
def site(request: pytest.FixtureRequest, build: None, sandbox: Sandbox) -> Iterator[Tuple[MonoFastCgiNginx, Store]]:
    data = run_dir("dotnet-db")
    env = {}
    if request.param.startswith("pgsql"):
        pg = request.getfixturevalue("postgres")
        name = pg.database("dotnet_" + request.param.replace("-", "_"))
        store = Store(shop_env(CMPAY_DB_DSN=pg.pdo_dsn(name)), CREATE, pg=pg, dbname=name)
        db = odbc_postgres(pg, name)
        if request.param == "pgsql-dsn":
            ini = render(MonoFastCgiNginx.EXAMPLES / "deploy" / "odbc.ini", data / "odbc.ini", HOST="127.0.0.1",
                         PORT=pg.port, DATABASE=name, USER=pg.user, SSLMODE="disable")
            env["ODBCINI"] = str(give_to_worker(ini))  # the site user's own file, as its ~/.odbc.ini would be
            db["SHOP_DB"] = "DSN=cmpay-shop;Pwd="
    else:
        path = data / "shop.sqlite3"
        store = Store(shop_env(CMPAY_DB_DSN="sqlite:%s" % path), CREATE, sqlite=path)
        db = {"SHOP_DB_PROVIDER": "Mono.Data.Sqlite", "SHOP_DB": "Data Source=%s" % path}
    try:
        with deployed(db, sandbox, env) as server:
            # As after a deployment: the first requests compile Notify.ashx and Return.ashx (refusals).
            assert http("POST", server.url + "Notify.ashx", b"")[:3:2] == (400, b"FAIL"), server.logs()
            assert http("POST", server.url + "Return.ashx", b"")[0] == 400, server.logs()
            yield server, store
    finally:
        shutil.rmtree(data, ignore_errors=True)


def test_page_and_offline_notify_recorded_once(site: Tuple[MonoFastCgiNginx, Store], sandbox: Sandbox) -> None:
    server, store = site
    order_id, page = recorded_once(server, store, sandbox, PAID)
    return_page_shows(page, store, order_id)


def test_return_page_refuses_a_forgery(site: Tuple[MonoFastCgiNginx, Store]) -> None:
    server, _ = site
    return_page_refuses_a_forgery(server)


def test_burst_of_notifications_at_several_workers(site: Tuple[MonoFastCgiNginx, Store], sandbox: Sandbox) -> None:
    server, store = site
    burst(server, store, sandbox, PAID)


def test_tampered_or_resplit_notification_answered_fail(site: Tuple[MonoFastCgiNginx, Store], sandbox: Sandbox) -> None:
    server, store = site
    tampered_or_resplit(server, store, sandbox)


def test_paid_notification_resplit_to_another_order_never_pays_it(site: Tuple[MonoFastCgiNginx, Store], sandbox: Sandbox) -> None:
    server, store = site
    paid_notification_resplit_to_another_order(server, store, sandbox, PAID)
    # The site's log (web.config's trace listener, on fastcgi-mono-server4's stderr) says why.
    log = (server.run / "mono.out").read_text(errors="replace")
    assert "cmpay notify refused: CmpayNotConfirmedException (CMPAY_NOT_CONFIRMED)" in log, server.logs()


def test_database_down_at_start_is_tried_again(build: None, postgres: Postgres, sandbox: Sandbox) -> None:
    """The shop's database server unreachable when the site starts (here: its
    database not there yet): those requests fail, never SUCCESS, and once it
    is back the site works without a restart."""
    name = "dotnet_late"
    with deployed(odbc_postgres(postgres, name), sandbox) as server:
        for _ in range(2):
            status, _, answer = http("POST", server.url + "Notify.ashx", b"")
            assert status == 500 and b"SUCCESS" not in answer, (status, answer)
        postgres.database(name)
        assert http("POST", server.url + "Notify.ashx", b"")[:3:2] == (400, b"FAIL"), server.logs()
        assert postgres.psql("SELECT count(*) FROM payments", name) == [["0"]]  # its tables made on that request


def test_workers_run_unprivileged(site: Tuple[MonoFastCgiNginx, Store]) -> None:
    server, _ = site
    workers_unprivileged(server, at_least=1 + 2)  # fastcgi-mono-server4 and nginx's 2
