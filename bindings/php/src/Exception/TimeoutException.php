<?php

declare(strict_types=1);

namespace Cmpay\Exception;

/** The gateway did not answer in time. An order may still have been created: query it before creating it again. */
class TimeoutException extends NetworkException
{
}
