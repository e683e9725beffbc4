"""The notify endpoint and the shopper's return page as Flask views.

    gunicorn -w 4 -b 127.0.0.1:8080 flask_app:app

Both take a notification through shop_store.handle: verified, the other
orders an ambiguous one reads as ruled out where the shop has no such order,
confirmed with the gateway (CMPAY_ENDPOINT) when still ambiguous, checked
against the shop's order, recorded once; FAIL and a 4xx/5xx otherwise.
Configuration: the environment of shop_store.py. The views read the raw
body (``request.get_data()``) or the raw query string
(``request.query_string``), never ``request.form``/``request.args``: those
are decoded, and the signature is over what was sent.
"""

from __future__ import annotations

import os
import sys

from flask import Flask, Response, render_template_string, request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from shop_store import MAX_BODY, handle  # noqa: E402

import cmpay  # noqa: E402  (on sys.path once shop_store is imported)

app = Flask(__name__)
app.config["MAX_CONTENT_LENGTH"] = MAX_BODY + 1


def _raw() -> bytes:
    if request.method == "POST":
        return request.get_data(cache=False)
    return request.query_string


@app.route("/cmpay/notify", methods=["POST", "GET"])
def notify() -> Response:
    status, text, _ = handle(_raw())
    return Response(text, status=status, content_type="text/plain; charset=utf-8")


RETURN_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title></head><body><main><h1>{{ title }}</h1>
{% if p %}<dl><dt>订单号 Order</dt><dd id="order-id">{{ p.order_id }}</dd>
<dt>金额 Amount</dt><dd id="amount">¥{{ yuan }}</dd>
<dt>支付流水号 Payment number</dt><dd id="pay-no">{{ p.pay_no }}</dd><dt>状态 Status</dt><dd id="status">{{ p.status }}</dd></dl>{% endif %}
</main></body></html>"""


@app.route("/cmpay/return", methods=["POST", "GET"])
def shopper_return() -> Response:
    """The PageNotify, verified and recorded like the OfflineNotify, shown to the shopper."""
    status, _, payment = handle(_raw())
    if payment is None:
        title, yuan = "无法确认支付 Payment not confirmed", ""
    else:
        title = "支付成功 Payment received" if payment["status"] == "paid" else "支付未成功 Payment failed"
        yuan = cmpay.yuan(int(payment["amount_fen"]))  # the library's exact fen-to-yuan
    page = render_template_string(RETURN_PAGE, title=title, p=payment, yuan=yuan)
    return Response(page, status=status, content_type="text/html; charset=utf-8")
