"""The shop's own orders (the table tests/servers/shop.py's Store adds to)."""

from django.db import models


class Order(models.Model):
    order_id = models.CharField(max_length=64, primary_key=True)
    amount_fen = models.BigIntegerField()

    class Meta:
        db_table = "orders"
