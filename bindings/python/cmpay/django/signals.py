"""``payment_recorded``: sent once per paid order (``payment``: the
Payment), inside the transaction that records it: the shop fulfils the
order there, in the same database; a receiver that raises undoes the
record, the notification is answered FAIL and the gateway sends it again."""

from django.dispatch import Signal

payment_recorded = Signal()
