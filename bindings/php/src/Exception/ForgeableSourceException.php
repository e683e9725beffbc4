<?php

declare(strict_types=1);

namespace Cmpay\Exception;

/**
 * FORGEABLE_SOURCE: the request was not signed, because its signature
 * source reads as a message the gateway sends this merchant (a paid
 * notification, an answer), so its hmac would forge one. Change the
 * free-text fields (reserved1, reserved2, productName, ...) and sign again.
 */
class ForgeableSourceException extends InvalidInputException
{
}
