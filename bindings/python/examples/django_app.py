"""The notify endpoint as a Django view, in a one-file project.

    gunicorn -w 4 -b 127.0.0.1:8080 django_app:application

In a real project the view goes in an app's views.py and the URL in urls.py;
the settings below are the few the view needs. Configuration: the
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
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402
from django.views.decorators.http import require_http_methods  # noqa: E402


@csrf_exempt
@require_http_methods(["GET", "POST"])
def notify(request: HttpRequest) -> HttpResponse:
    raw = request.body if request.method == "POST" else request.META.get("QUERY_STRING", "").encode("latin-1")
    status, text, _ = handle(raw)
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


urlpatterns = [path("cmpay/notify", notify), path("cmpay/return", notify)]
application = get_wsgi_application()
