"""The notify endpoint and the shopper's return page as Django views, in a
one-file project.

    gunicorn -w 4 -b 127.0.0.1:8080 django_app:application

In a real project the view goes in an app's views.py and the URL in urls.py;
the settings below are the few the view needs. Both views take a
notification through shop_store.handle: verified, the other orders an
ambiguous one reads as ruled out where the shop has no such order, confirmed
with the gateway (CMPAY_ENDPOINT) when still ambiguous, checked against the
shop's order, recorded once; FAIL and a 4xx/5xx otherwise. Configuration: the
environment of shop_store.py. The view reads ``request.body`` (the raw bytes)
or ``request.META["QUERY_STRING"]``, never ``request.POST``/``request.GET``:
those are decoded, and the signature is over what was sent. The gateway posts
without a CSRF token: the view is exempt, its signature is the check.
"""

from __future__ import annotations

import os
import sys

from django.conf import settings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from shop_store import MAX_BODY, handle  # noqa: E402

import cmpay  # noqa: E402  (on sys.path once shop_store is imported)

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", os.urandom(32).hex()),
        ALLOWED_HOSTS=os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(","),
        ROOT_URLCONF=__name__,
        MIDDLEWARE=["django.middleware.common.CommonMiddleware", "django.middleware.csrf.CsrfViewMiddleware"],
        DATA_UPLOAD_MAX_MEMORY_SIZE=MAX_BODY,
    )

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.template import Context, Engine  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402
from django.views.decorators.http import require_http_methods  # noqa: E402


def _raw(request: HttpRequest) -> bytes:
    return request.body if request.method == "POST" else request.META.get("QUERY_STRING", "").encode("latin-1")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def notify(request: HttpRequest) -> HttpResponse:
    status, text, _ = handle(_raw(request))
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


# In a real project: templates/cmpay/return.html. Django's engine escapes
# every {{ value }} (autoescape, its default).
RETURN_PAGE = Engine().from_string("""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title></head><body><main><h1>{{ title }}</h1>
{% if p %}<dl><dt>订单号 Order</dt><dd id="order-id">{{ p.order_id }}</dd>
<dt>金额 Amount</dt><dd id="amount">¥{{ yuan }}</dd>
<dt>支付流水号 Payment number</dt><dd id="pay-no">{{ p.pay_no }}</dd><dt>状态 Status</dt><dd id="status">{{ p.status }}</dd></dl>
{% else %}<p>The payment notification could not be verified.</p>{% endif %}
</main></body></html>""")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def shopper_return(request: HttpRequest) -> HttpResponse:
    """The PageNotify, verified and recorded like the OfflineNotify, shown to the shopper."""
    status, _, payment = handle(_raw(request))
    if payment is None:
        title, yuan = "无法确认支付 Payment not confirmed", ""
    else:
        title = "支付成功 Payment received" if payment["status"] == "paid" else "支付未成功 Payment failed"
        yuan = cmpay.yuan(int(payment["amount_fen"]))  # the library's exact fen-to-yuan
    page = RETURN_PAGE.render(Context({"title": title, "p": payment, "yuan": yuan}))
    return HttpResponse(page, status=status, content_type="text/html; charset=utf-8")


urlpatterns = [path("cmpay/notify", notify), path("cmpay/return", shopper_return)]
application = get_wsgi_application()
