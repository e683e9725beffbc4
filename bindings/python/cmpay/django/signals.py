"""``payment_recorded``: sent once per paid order, after the record is
committed (``payment``: the Payment). The shop fulfils the order there."""

from django.dispatch import Signal

payment_recorded = Signal()
