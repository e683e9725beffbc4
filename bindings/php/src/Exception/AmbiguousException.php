<?php

declare(strict_types=1);

namespace Cmpay\Exception;

/**
 * AMBIGUOUS: a verified notification whose signed source also reads as
 * another order, amount or payNo (Notification::otherReadings()), neither
 * confirmed by the gateway nor cleared by ruling out the other orderIds; or
 * a gateway answer to Client::confirm() that reads two ways itself. Record
 * nothing; rule out the orderIds that are none of the shop's orders
 * (Notification::ruleOut()), or confirm it (Client::confirm()).
 */
class AmbiguousException extends CmpayException
{
}
