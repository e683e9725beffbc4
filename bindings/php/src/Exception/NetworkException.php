<?php

declare(strict_types=1);

namespace Cmpay\Exception;

/** DNS, connect, reset, or an HTTP status without a usable body. */
class NetworkException extends CmpayException
{
}
