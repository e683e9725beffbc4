<?php

declare(strict_types=1);

namespace Cmpay\Exception;

/**
 * The gateway did not answer in time. An order may still have been created:
 * query it before creating it again. (It extends the deprecated
 * TimeoutException, its name in version 0.1.0, so old catch blocks still match.)
 */
class NetworkTimeoutException extends TimeoutException
{
}
