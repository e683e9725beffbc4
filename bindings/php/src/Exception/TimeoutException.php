<?php

declare(strict_types=1);

namespace Cmpay\Exception;

/**
 * @deprecated since 0.2: the name of version 0.1.0; catch NetworkTimeoutException
 * (its only subclass, and what the library throws).
 */
class TimeoutException extends NetworkException
{
}
