"""The OfflineNotify view: the notification verified through the library,
made to mean one order (the other orders its signed bytes read as ruled
out where the shop has no such order, else confirmed with the gateway:
docs/resplit.md), checked against the shop's order and amount, the paid
order recorded once, and only then "SUCCESS". Anything else is "FAIL" and
the gateway sends again: 400 refused (forged, not this merchant's,
ambiguous, the gateway disagrees), 404 no such order, 409 the order is paid
already by another payNo, 503 the gateway could not be asked now."""

from __future__ import annotations

import logging
from typing import Tuple

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

import cmpay

from . import conf
from .models import Payment
from .signals import payment_recorded

log = logging.getLogger("cmpay.django")

MAX_BODY = 64 * 1024  # a notification is a few hundred bytes


def handle(body: bytes) -> Tuple[int, str]:
    """One OfflineNotify body exactly as it arrived: (HTTP status, answer)."""
    if len(body) > MAX_BODY:
        return 413, "FAIL"
    client = conf.client()
    amount_of = conf.order_amount()
    try:
        with client.parse_notification(body) as n:  # verified, or an exception
            amount = amount_of(n.order_id)
            if amount is None:
                log.warning("cmpay notify refused: no order %s", n.order_id)
                return 404, "FAIL"
            for other in n.other_order_ids():
                if amount_of(other) is None:
                    n.rule_out(other)  # a re-split to an order the shop never made pays nothing
            if n.is_ambiguous():
                client.confirm(n)  # raises unless the gateway agrees
            merchant_id = conf.merchant_id()
            n.check_order(merchant_id, n.order_id, amount)
            if not n.is_paid:
                log.info("cmpay notify: order %s not paid (payNo %s); nothing recorded", n.order_id, n.pay_no)
                return 200, n.ack()
            with transaction.atomic():
                payment, created = Payment.objects.get_or_create(
                    merchant_id=merchant_id, order_id=n.order_id,
                    defaults={"pay_no": n.pay_no, "amount_fen": n.amount, "first_seen_via": n.type})
                if created:
                    # Inside the record's transaction: a receiver that raises
                    # undoes the record, the answer is FAIL and the gateway resends.
                    payment_recorded.send(sender=Payment, payment=payment)
            if payment.pay_no != n.pay_no:
                log.warning("cmpay notify refused: order %s is paid already by payNo %s, not %s",
                            n.order_id, payment.pay_no, n.pay_no)
                return 409, "FAIL"
            if not created:
                log.info("cmpay notify: order %s recorded already (payNo %s)", n.order_id, n.pay_no)
            # Recorded: now, and only now, the answer that stops the resends.
            return 200, n.ack()
    except (cmpay.NetworkError, cmpay.GatewayError) as e:
        log.warning("cmpay notify not confirmed now, the gateway could not be asked: %r", e)
        return 503, "FAIL"
    except cmpay.CmpayError as e:
        log.warning("cmpay notify refused: %r", e)
        return 400, "FAIL"


@csrf_exempt  # the gateway posts without a CSRF token: the signature is the check
@require_POST
def notify(request: HttpRequest) -> HttpResponse:
    """Reads ``request.body`` (the raw bytes), never ``request.POST``: the
    signature is over what was sent."""
    status, text = handle(request.body)
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
