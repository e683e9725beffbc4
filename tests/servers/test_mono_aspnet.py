"""bindings/dotnet's IHttpHandler (Notify.ashx) as an ASP.NET site served by
nginx + fastcgi-mono-server4, from its web.config, recording through ADO.NET
(Mono.Data.Sqlite) into SQLite. (No PostgreSQL: Npgsql is not packaged here.)"""

from __future__ import annotations

import shutil
import subprocess
from typing import Iterator, Tuple

import pytest

from scenarios import burst, recorded_once, tampered_or_resplit
from servers import REPO, MonoFastCgiNginx, Sandbox, http, run_dir
from shop import KEY, MERCHANT_ID, Store, shop_env

CREATE = ["php", "-r", "require $argv[1]; cmpay_db();", str(REPO / "bindings" / "php" / "examples" / "shop.php")]


@pytest.fixture(scope="module")
def site(sandbox: Sandbox) -> Iterator[Tuple[MonoFastCgiNginx, Store]]:
    subprocess.run([str(REPO / "bindings" / "dotnet" / "build.sh")], check=True, stdout=subprocess.DEVNULL)
    data = run_dir("dotnet-db")
    db = data / "shop.sqlite3"
    store = Store(shop_env(CMPAY_DB_DSN="sqlite:%s" % db), CREATE, sqlite=db)
    server = MonoFastCgiNginx({"MERCHANT_ID": MERCHANT_ID, "SIGN_KEY": KEY, "SHOP_DB": "Data Source=%s" % db})
    try:
        # As after a deployment: the first request compiles Notify.ashx (a refusal).
        assert http("POST", server.url + "Notify.ashx", b"")[:3:2] == (400, b"FAIL"), server.logs()
        yield server, store
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)


def test_page_and_offline_notify_recorded_once(site: Tuple[MonoFastCgiNginx, Store], sandbox: Sandbox) -> None:
    server, store = site
    recorded_once(server, store, sandbox, b"SUCCESS")


def test_burst_of_notifications_at_several_workers(site: Tuple[MonoFastCgiNginx, Store], sandbox: Sandbox) -> None:
    server, store = site
    burst(server, store, sandbox, b"SUCCESS")


def test_tampered_or_resplit_notification_answered_fail(site: Tuple[MonoFastCgiNginx, Store], sandbox: Sandbox) -> None:
    server, store = site
    tampered_or_resplit(server, store, sandbox)
