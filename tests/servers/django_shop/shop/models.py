"""The shop's own orders (the table tests/servers/shop.py's Store adds to),
fulfilled on cmpay.django's payment_recorded; the fulfilment fails for
orders BAD... (the test's)."""

from typing import Any

from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce
from django.dispatch import receiver

from cmpay.django.models import Payment
from cmpay.django.signals import payment_recorded


class Order(models.Model):
    order_id = models.CharField(max_length=64, primary_key=True)
    amount_fen = models.BigIntegerField()
    fulfilled = models.IntegerField(null=True)

    class Meta:
        db_table = "orders"


@receiver(payment_recorded, sender=Payment)
def fulfil(sender: Any, payment: Payment, **kwargs: Any) -> None:
    if payment.order_id.startswith("BAD"):
        raise RuntimeError("fulfilment failed for " + payment.order_id)
    Order.objects.filter(order_id=payment.order_id).update(fulfilled=Coalesce(F("fulfilled"), 0) + 1)
