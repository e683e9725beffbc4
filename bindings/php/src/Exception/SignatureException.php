<?php

declare(strict_types=1);

namespace Cmpay\Exception;

/** A message's hmac does not match its contents. Never answer SUCCESS to it. */
class SignatureException extends CmpayException
{
}
