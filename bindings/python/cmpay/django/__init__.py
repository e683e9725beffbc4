"""cmpay's Django app: settings, the OfflineNotify view, the once-only
payment record (a model with its migration) and its admin page.

    INSTALLED_APPS = [..., "cmpay.django"]
    CMPAY = {"ORDER_AMOUNT": "shop.payments.order_amount"}   # the rest from CMPAY_* variables
    urlpatterns = [..., path("cmpay/", include("cmpay.django.urls"))]

Installed with ``pip install cmpay[django]``; see README.md, "Django".
"""
