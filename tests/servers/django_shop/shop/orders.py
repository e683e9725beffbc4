"""settings.CMPAY["ORDER_AMOUNT"]: the amount of the shop's order, None when it has none."""

from typing import Optional

from .models import Order


def order_amount(order_id: str) -> Optional[int]:
    found = Order.objects.filter(order_id=order_id).values_list("amount_fen", flat=True).first()
    return None if found is None else int(found)
