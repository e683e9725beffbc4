"""The framework integrations in their real frameworks: bindings/python's
Django app ``cmpay.django`` in a Django project under gunicorn
(tests/servers/django_shop), and bindings/php's Laravel service provider
Cmpay\\Laravel\\CmpayServiceProvider in a Laravel application booted by
Debian's php-laravel-framework (tests/servers/laravel_shop), each on SQLite
and on PostgreSQL. Each takes a full payment at the sandbox (order, cashier,
the OfflineNotify delivered to the framework's route), records it once in
its own table (its migration) and has the shop fulfil it once (its listener
or receiver), acknowledges a duplicate delivery without a second record,
keeps no record when the fulfilment fails, and refuses a forged
notification and a re-split one (docs/resplit.md) without SUCCESS."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

from servers import REPO, DjangoShop, LaravelShop, Sandbox, deploy_tree, http, lib_path, run_dir, shop_python
from scenarios import acked_delivery, resplit_to_another_order
from shop import KEY, MERCHANT_ID, Store, create_and_pay, create_order, new_order_id, shop_env

HERE = Path(__file__).resolve().parent


class Shop:
    """A framework's shop as the test sees it: the server, the store (the
    shop's ``orders`` and the integration's once-only ``table``)."""

    def __init__(self, server: Any, store: Store, table: str, name: str, app: Path, env: Dict[str, str]) -> None:
        self.server, self.store, self.table, self.name, self.app, self.env = server, store, table, name, app, env

    @property
    def notify(self) -> str:
        return self.server.url + "cmpay/notify"

    def fulfilled(self, order_id: str) -> str:
        """How many times the shop's PaymentRecorded listener / payment_recorded receiver fulfilled the order."""
        assert order_id.isalnum()
        ((count,),) = self.store.rows("SELECT COALESCE(fulfilled, 0) FROM orders WHERE order_id = '%s'" % order_id)
        return count

    def recorded(self, order_id: str) -> List[List[str]]:
        assert order_id.isalnum()
        return self.store.rows("SELECT merchant_id, order_id, pay_no, amount_fen, first_seen_via FROM %s WHERE order_id = '%s'"
                               % (self.table, order_id))


@pytest.fixture(scope="module", params=["django-sqlite", "django-pgsql", "laravel-sqlite", "laravel-pgsql"])
def shop(request: pytest.FixtureRequest, sandbox: Sandbox) -> Iterator[Shop]:
    framework, db = request.param.split("-")
    data = run_dir(framework + "-db")
    env = shop_env(CMPAY_ENDPOINT=sandbox.endpoint, CMPAY_ALLOW_HTTP="1", CMPAY_TIMEOUT_MS="10000")
    if framework == "django":
        app = deploy_tree(HERE / "django_shop", "django")
        env["DJANGO_SECRET_KEY"] = secrets.token_hex(32)
        pg = None
        if db == "pgsql":
            pg = request.getfixturevalue("postgres")
            env.update(SHOP_PG_PORT=str(pg.port), SHOP_PG_DB=pg.database("django_shop"), SHOP_PG_USER=pg.user)
        else:
            env["SHOP_DB"] = str(data / "shop.sqlite3")
        env["PYTHONPATH"] = str(REPO / "bindings" / "python")
        migrate = [shop_python(), "manage.py", "migrate", "--noinput"]
        if pg is not None:
            store = Store(env, migrate, pg=pg, dbname=env["SHOP_PG_DB"], cwd=app)
        else:
            store = Store(env, migrate, sqlite=data / "shop.sqlite3", cwd=app)
        del env["PYTHONPATH"]
        server: Any = DjangoShop(app, env)
        table = "cmpay_payment"
    else:
        app = deploy_tree(HERE / "laravel_shop", "laravel")
        env["CMPAY_PHP"] = str(REPO / "bindings" / "php")
        if db == "pgsql":
            pg = request.getfixturevalue("postgres")
            env.update(DB_CONNECTION="pgsql", DB_PORT=str(pg.port), DB_DATABASE=pg.database("laravel_shop"), DB_USERNAME=pg.user)
        else:
            env.update(DB_DATABASE=str(data / "shop.sqlite3"))
            (data / "shop.sqlite3").touch()
        # artisan's own storage (the framework's caches), apart from the server's.
        for sub in ("logs", "framework"):
            (data / "artisan" / sub).mkdir(parents=True)
        migrate = ["php", "-d", "ffi.enable=1", "artisan", "migrate", "--force", "--no-interaction"]
        artisan_env = dict(env, LARAVEL_STORAGE=str(data / "artisan"), CMPAY_LIB=lib_path())
        if db == "pgsql":
            store = Store(artisan_env, migrate, pg=pg, dbname=env["DB_DATABASE"], cwd=app)
        else:
            store = Store(artisan_env, migrate, sqlite=data / "shop.sqlite3", cwd=app)
        del env["CMPAY_PHP"]
        server = LaravelShop(app, env)
        table = "cmpay_payments"
    try:
        yield Shop(server, store, table, framework, app, env)
    finally:
        server.stop()
        shutil.rmtree(app.parent, ignore_errors=True)
        shutil.rmtree(data, ignore_errors=True)


def duplicate_next_notify(sandbox: Sandbox) -> None:
    """The sandbox sends the next OfflineNotify twice (its duplicate-notify fault)."""
    status, _, body = http("POST", sandbox.base + "/sandbox/faults", b"fault=duplicate-notify&count=1")
    assert status == 200, body


def test_full_payment_recorded_once(shop: Shop, sandbox: Sandbox) -> None:
    """Order, cashier, the OfflineNotify delivered twice by the gateway to the
    framework's route: both answered SUCCESS, one record; the shopper's
    PageNotify of the same payment posted there too: SUCCESS, still one."""
    duplicate_next_notify(sandbox)
    order_id, page = create_and_pay(sandbox, shop.store, shop.notify, shop.server.url + "cmpay/return")
    deliveries = acked_delivery(sandbox, order_id)
    deadline = time.monotonic() + 30
    while len([d for d in deliveries if d["httpStatus"] is not None]) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
        deliveries = sandbox.deliveries(order_id)
    answered = [(d["httpStatus"], d["answer"], d["duplicate"]) for d in deliveries if d["httpStatus"] is not None]
    assert sorted(answered) == [(200, "SUCCESS", False), (200, "SUCCESS", True)], (deliveries, shop.server.logs())
    pay_no = deliveries[0]["payNo"]
    assert pay_no and shop.recorded(order_id) == [[MERCHANT_ID, order_id, pay_no, "12800", "OfflineNotify"]], shop.server.logs()
    status, _, answer = http("POST", shop.notify, page.raw)
    assert (status, answer) == (200, b"SUCCESS"), (answer, shop.server.logs())
    assert shop.recorded(order_id) == [[MERCHANT_ID, order_id, pay_no, "12800", "OfflineNotify"]]
    assert shop.fulfilled(order_id) == "1"
    # The library's log reached the framework's logging (Laravel's log
    # channel; Django's LOGGING, to gunicorn's output), never the signKey.
    logs = shop.server.logs()
    verified = "production.INFO: notify.verified " if shop.name == "laravel" else "notify.verified "
    assert re.search(re.escape(verified) + ".*" + order_id, logs), logs
    assert KEY not in logs


def test_failed_fulfilment_records_nothing(shop: Shop, sandbox: Sandbox) -> None:
    """The shop's fulfilment (the listener / receiver, in the record's
    transaction) fails: no SUCCESS, no record; the gateway sends again."""
    order_id, page = create_and_pay(sandbox, shop.store, sandbox.base + "/nowhere", shop.server.url + "cmpay/return",
                                    order_id="BAD" + new_order_id())
    for _ in range(2):
        status, _, answer = http("POST", shop.notify, page.raw)
        assert status == 500 and b"SUCCESS" not in answer, (status, answer, shop.server.logs())
        assert shop.recorded(order_id) == [] and shop.fulfilled(order_id) == "0"
    assert "fulfilment failed for " + order_id in shop.server.logs()


def test_forged_or_unknown_notification_refused(shop: Shop, sandbox: Sandbox) -> None:
    """A genuine PageNotify with its amount changed (the signature no longer
    holds), and a genuine one for an order the shop does not have: FAIL,
    nothing recorded."""
    order_id, page = create_and_pay(sandbox, shop.store, sandbox.base + "/nowhere", shop.server.url + "cmpay/return")
    fields = urllib.parse.parse_qsl(page.raw.decode("latin-1"), keep_blank_values=True, encoding="latin-1")
    forged = urllib.parse.urlencode([(k, "1" if k == "amount" else v) for k, v in fields], encoding="latin-1").encode("latin-1")
    status, _, answer = http("POST", shop.notify, forged)
    assert (status, answer) == (400, b"FAIL"), (answer, shop.server.logs())
    assert shop.recorded(order_id) == []
    shop.store.rows("DELETE FROM orders WHERE order_id = '%s'" % order_id)
    status, _, answer = http("POST", shop.notify, page.raw)
    assert (status, answer) == (404, b"FAIL"), (answer, shop.server.logs())
    assert shop.recorded(order_id) == []
    status, _, answer = http("GET", shop.notify + "?" + page.raw.decode())
    assert status in (404, 405) and b"SUCCESS" not in answer, (status, answer)


def test_resplit_notification_never_acknowledged(shop: Shop, sandbox: Sandbox) -> None:
    """The shop has orders B and A = B + a date-time; the shopper pays A.
    A's PageNotify re-split to read as paying B keeps its hmac: never
    SUCCESS, B never recorded; A's own notification is confirmed with the
    gateway (it is ambiguous itself) and recorded once."""
    order_b = new_order_id()
    order_a = order_b + time.strftime("%Y%m%d%H%M%S")
    create_order(sandbox, shop.store, shop.notify, shop.server.url + "cmpay/return", order_id=order_b)
    _, page = create_and_pay(sandbox, shop.store, sandbox.base + "/nowhere", shop.server.url + "cmpay/return", order_id=order_a)
    forged = resplit_to_another_order(page.raw, order_b)
    status, _, answer = http("POST", shop.notify, forged)
    assert status != 200 and b"SUCCESS" not in answer, (status, answer, shop.server.logs())
    assert shop.recorded(order_b) == []
    status, _, answer = http("POST", shop.notify, page.raw)
    assert (status, answer) == (200, b"SUCCESS"), (answer, shop.server.logs())
    ((_, recorded_order, _, amount, via),) = shop.recorded(order_a)
    assert (recorded_order, amount, via) == (order_a, "12800", "PageNotify")
    status, _, answer = http("POST", shop.notify, forged)
    assert status != 200 and b"SUCCESS" not in answer
    assert shop.recorded(order_b) == []


@pytest.mark.parametrize("shop", ["django-sqlite", "django-pgsql"], indirect=True)
def test_django_admin_lists_the_payment(shop: Shop, sandbox: Sandbox) -> None:
    """A superuser logs in to the admin and sees the recorded payment in the
    changelist (read-only: no add link)."""
    order_id, page = create_and_pay(sandbox, shop.store, sandbox.base + "/nowhere", shop.server.url + "cmpay/return")
    assert http("POST", shop.notify, page.raw)[:3:2] == (200, b"SUCCESS"), shop.server.logs()
    ((_, _, pay_no, _, _),) = shop.recorded(order_id)
    password = secrets.token_hex(12)
    subprocess.run([shop_python(), "manage.py", "createsuperuser", "--noinput", "--username", "ops", "--email", "ops@shop.example"],
                   cwd=shop.app, check=True, stdout=subprocess.DEVNULL,
                   env=dict(os.environ, PYTHONPATH=str(REPO / "bindings" / "python"), DJANGO_SUPERUSER_PASSWORD=password,
                            **shop.env))
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), urllib.request.ProxyHandler({}))
    login = shop.server.url + "admin/login/?next=/admin/cmpay/payment/"
    form = opener.open(login, timeout=15).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "ops", "password": password,
                                   "next": "/admin/cmpay/payment/"}).encode()
    with opener.open(urllib.request.Request(login, data=body, headers={"Referer": login}), timeout=15) as r:
        assert r.geturl().endswith("/admin/cmpay/payment/"), r.geturl()
        page_html = r.read().decode()
    assert order_id in page_html and pay_no in page_html, page_html[-3000:]
    assert "/admin/cmpay/payment/add/" not in page_html
