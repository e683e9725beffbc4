"""bindings/dotnet's IHttpHandler (Notify.ashx) as an ASP.NET site served by
nginx + fastcgi-mono-server4, from its web.config, recording through ADO.NET
into SQLite (Mono.Data.Sqlite) or PostgreSQL (System.Data.Odbc with Debian's
PostgreSQL ODBC driver, named as in /etc/odbcinst.ini)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
from typing import Iterator, Tuple

import pytest

from scenarios import burst, recorded_once, tampered_or_resplit
from servers import REPO, MonoFastCgiNginx, Sandbox, http, render, run_dir
from shop import KEY, MERCHANT_ID, Store, shop_env

CREATE = ["php", "-r", "require $argv[1]; cmpay_db();", str(REPO / "bindings" / "php" / "examples" / "shop.php")]


@pytest.fixture(scope="session")
def build() -> None:
    subprocess.run([str(REPO / "bindings" / "dotnet" / "build.sh")], check=True, stdout=subprocess.DEVNULL)


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
        if request.param == "pgsql-dsn":
            env["ODBCINI"] = str(render(MonoFastCgiNginx.EXAMPLES / "deploy" / "odbc.ini", data / "odbc.ini", HOST="127.0.0.1",
                                        PORT=pg.port, DATABASE=name, USER=pg.user, SSLMODE="disable"))
            connection = "DSN=cmpay-shop;Pwd="
        else:
            connection = "Driver={PostgreSQL Unicode};Server=127.0.0.1;Port=%d;Database=%s;Uid=%s;Pwd=;CommLog=0" % (
                pg.port, name, pg.user)
        db = {"SHOP_DB_PROVIDER": "System.Data.Odbc", "SHOP_DB": connection}
    else:
        path = data / "shop.sqlite3"
        store = Store(shop_env(CMPAY_DB_DSN="sqlite:%s" % path), CREATE, sqlite=path)
        db = {"SHOP_DB_PROVIDER": "Mono.Data.Sqlite", "SHOP_DB": "Data Source=%s" % path}
    server = MonoFastCgiNginx(dict(db, MERCHANT_ID=MERCHANT_ID, SIGN_KEY=KEY), env)
    mono = server.procs[0].proc.pid
    owner = pwd.getpwuid(os.stat("/proc/%d" % mono).st_uid).pw_name
    try:
        # As after a deployment: the first request compiles Notify.ashx (a refusal).
        assert http("POST", server.url + "Notify.ashx", b"")[:3:2] == (400, b"FAIL"), server.logs()
        yield server, store
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)
        # Debian's odbcinst.ini has the driver log each process under /tmp (deploy/odbc.ini): not ours to keep.
        for log in glob.glob("/tmp/psqlodbc_*_%s%d.log" % (owner, mono)):
            os.unlink(log)


def test_page_and_offline_notify_recorded_once(site: Tuple[MonoFastCgiNginx, Store], sandbox: Sandbox) -> None:
    server, store = site
    recorded_once(server, store, sandbox, b"SUCCESS")


def test_burst_of_notifications_at_several_workers(site: Tuple[MonoFastCgiNginx, Store], sandbox: Sandbox) -> None:
    server, store = site
    burst(server, store, sandbox, b"SUCCESS")


def test_tampered_or_resplit_notification_answered_fail(site: Tuple[MonoFastCgiNginx, Store], sandbox: Sandbox) -> None:
    server, store = site
    tampered_or_resplit(server, store, sandbox)
