"""The app's configuration: label ``cmpay`` (table ``cmpay_payment``)."""

from django.apps import AppConfig


class CmpayConfig(AppConfig):
    name = "cmpay.django"
    label = "cmpay"
    verbose_name = "CMPay"
    default_auto_field = "django.db.models.BigAutoField"
