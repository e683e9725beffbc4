"""The once-only record: one row per paid order (merchant and orderId
unique), written by the notify view before it answers SUCCESS."""

from django.db import models


class Payment(models.Model):
    merchant_id = models.CharField(max_length=32)
    order_id = models.CharField(max_length=64)
    pay_no = models.CharField("payNo", max_length=64)
    amount_fen = models.BigIntegerField("amount (fen)")
    first_seen_via = models.CharField("first seen via", max_length=16)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["merchant_id", "order_id"], name="cmpay_payment_once")]
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return "%s %s" % (self.order_id, self.pay_no)
