"""The whole payment in a real browser: headless Chromium (Debian's chromium
and chromedriver, driven by Selenium) goes from the shop's cart page, whose
form POSTs to the checkout (nginx + PHP-FPM, examples/cart.php and
checkout.php), through the gateway's
auto-submitting form to the sandbox's cashier page, presses Pay, and comes
back with the PageNotify to the shop's return page, which shows the payment;
and from the cashier back to the return pages of the ASP.NET site (nginx +
fastcgi-mono-server4, Return.ashx) and of the Java WAR (Jetty 9,
ReturnServlet). Screenshots of each page go to target/browser/; any console
error fails."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any, Iterator, List, Tuple

import pytest

from scenarios import acked_delivery, urls
from servers import REPO, Jetty, MonoFastCgiNginx, PhpFpmNginx, Sandbox, run_dir
from shop import KEY, MERCHANT_ID, Store, create_order, shop_env

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

SHOTS = REPO / "target" / "browser"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--window-size=1000,800", "--lang=zh-CN"]


@pytest.fixture(scope="module")
def shop(sandbox: Sandbox) -> Iterator[Tuple[PhpFpmNginx, Store]]:
    data = run_dir("browser-db")
    db = data / "shop.sqlite3"
    env = shop_env(CMPAY_DB_DSN="sqlite:%s" % db)
    store = Store(env, ["php", "-r", "require $argv[1]; cmpay_db();", str(PhpFpmNginx.EXAMPLES / "shop.php")], sqlite=db)
    server = PhpFpmNginx("preload", dict(env, CMPAY_ENDPOINT=sandbox.endpoint))
    try:
        yield server, store
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    for tool in ("/usr/bin/chromium", "/usr/bin/chromedriver"):
        if not Path(tool).exists():
            pytest.fail("%s is missing (scripts/install-deps.sh installs chromium and chromium-driver)" % tool)
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for flag in FLAGS:
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    driver.set_page_load_timeout(30)
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()


def console_errors(driver: Any) -> List[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]


def page(driver: Any, name: str) -> str:
    """Screenshot of the current page; its visible text; no console error so
    far; every page (the forms that submit themselves too) has a language
    and a title."""
    driver.save_screenshot(str(SHOTS / ("%s.png" % name)))
    assert console_errors(driver) == [], name
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang"), "%s: <html> has no lang" % name
    assert driver.title.strip(), "%s: no <title>" % name
    return driver.find_element(By.TAG_NAME, "body").text


def to_checkout(browser: Any, server: PhpFpmNginx, amount: int, shot: str) -> None:
    """The cart page, then its button: the form POSTs to the checkout with the cart's token."""
    browser.get(server.url + "cmpay/cart?amount=%d" % amount)
    text = page(browser, shot)
    assert "购物车" in text and browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN", text
    button = browser.find_element(By.ID, "checkout")
    assert button.is_displayed() and "去支付" in button.accessible_name, button.accessible_name
    button.click()


def test_checkout_cashier_pay_and_return_page(browser: Any, shop: Tuple[PhpFpmNginx, Store], sandbox: Sandbox) -> None:
    server, store = shop
    to_checkout(browser, server, 12800, "0-cart")
    # The gateway's form submitted itself: the browser is at the cashier.
    WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.ID, "pay")))
    assert browser.current_url.startswith(sandbox.base), browser.current_url
    text = page(browser, "1-cashier")
    assert "¥128.00" in text, text
    order_id = re.search(r"(WEB\d{14}[0-9a-f]{8})", text)
    assert order_id, text
    pay = browser.find_element(By.ID, "pay")
    assert pay.is_displayed() and "128.00" in pay.text and pay.accessible_name.strip()
    assert browser.find_element(By.ID, "fail").accessible_name.strip()
    pay.click()
    # The PageNotify brings the browser back to the shop's return page.
    WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.ID, "status")))
    assert browser.current_url == server.url + "cmpay/return", browser.current_url
    text = page(browser, "2-return")
    assert browser.find_element(By.ID, "status").text == "paid", text
    assert browser.find_element(By.ID, "order-id").text == order_id.group(1)
    assert browser.find_element(By.ID, "amount").text == "¥128.00"
    (payment,) = store.payments(order_id.group(1))
    assert payment[1:] == ["paid", "12800"]
    assert browser.find_element(By.ID, "pay-no").text == payment[0]
    assert any(d["acked"] for d in acked_delivery(sandbox, order_id.group(1)))
    assert len(store.payments(order_id.group(1))) == 1


def test_merchant_form_without_javascript(browser: Any, shop: Tuple[PhpFpmNginx, Store], sandbox: Sandbox) -> None:
    """The gateway's auto-submitting form, seen with scripts off: its button
    leads to the cashier all the same."""
    server, _ = shop
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        to_checkout(browser, server, 500, "0-cart-without-javascript")
        WebDriverWait(browser, 20).until(lambda b: b.current_url == server.url + "cmpay/checkout")
        form = browser.find_element(By.TAG_NAME, "form")
        assert form.get_attribute("action").startswith(sandbox.base)
        page(browser, "0-merchant-form")  # in Chinese, with a title
        assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
        button = browser.find_element(By.CSS_SELECTOR, "form button[type=submit]")
        assert button.is_displayed() and "继续支付" in button.accessible_name, button.accessible_name
        button.click()
        WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.ID, "pay")))
        assert "¥5.00" in page(browser, "0-cashier-without-javascript")
    finally:
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


@pytest.fixture(scope="module", params=["aspnet", "jetty"])
def other_shop(request: pytest.FixtureRequest, sandbox: Sandbox) -> Iterator[Tuple[Any, Store, str]]:
    """The .NET and the Java example, each on SQLite (the tables made as the PHP example makes them)."""
    data = run_dir("browser-%s-db" % request.param)
    db = data / "shop.sqlite3"
    store = Store(shop_env(CMPAY_DB_DSN="sqlite:%s" % db), ["php", "-r", "require $argv[1]; cmpay_db();",
                                                            str(PhpFpmNginx.EXAMPLES / "shop.php")], sqlite=db)
    try:
        if request.param == "aspnet":
            subprocess.run([str(REPO / "bindings" / "dotnet" / "build.sh")], check=True, stdout=subprocess.DEVNULL)
            server: Any = MonoFastCgiNginx({"MERCHANT_ID": MERCHANT_ID, "SIGN_KEY": KEY, "SHOP_DB_PROVIDER": "Mono.Data.Sqlite",
                                            "SHOP_DB": "Data Source=%s" % db, "ENDPOINT": sandbox.endpoint, "ALLOW_HTTP": "true"})
        else:
            request.getfixturevalue("java_wars")
            server = Jetty({"cmpay.merchantId": MERCHANT_ID, "cmpay.signKey": KEY, "cmpay.jdbcUrl": "jdbc:sqlite:%s" % db,
                            "cmpay.endpoint": sandbox.endpoint, "cmpay.allowHttp": "true"})
        try:
            yield server, store, request.param
        finally:
            server.stop()
    finally:
        shutil.rmtree(data, ignore_errors=True)


def test_cashier_back_to_the_other_return_pages(browser: Any, other_shop: Tuple[Any, Store, str], sandbox: Sandbox) -> None:
    """The cashier's auto-submitting form brings the PageNotify to the .NET
    and the Java return page, which the browser shows without a console
    error: the order, the amount in yuan, the payment recorded once."""
    server, store, kind = other_shop
    notify, ret = urls(server)
    order_id, redirect, _ = create_order(sandbox, store, notify, ret)
    browser.get(redirect)
    WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.ID, "pay")))
    browser.find_element(By.ID, "pay").click()
    WebDriverWait(browser, 60).until(ec.presence_of_element_located((By.ID, "status")))  # a first request compiles
    assert browser.current_url == ret, browser.current_url
    text = page(browser, "3-return-%s" % kind)
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    assert browser.title == "支付成功 Payment received", text
    assert browser.find_element(By.ID, "status").text == "paid", text
    assert browser.find_element(By.ID, "order-id").text == order_id
    assert browser.find_element(By.ID, "amount").text == "¥128.00"
    (payment,) = store.payments(order_id)
    assert payment[1:] == ["paid", "12800"]
    assert browser.find_element(By.ID, "pay-no").text == payment[0]
    assert any(d["acked"] for d in acked_delivery(sandbox, order_id))
    assert len(store.payments(order_id)) == 1
