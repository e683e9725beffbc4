<?php

declare(strict_types=1);

namespace Cmpay\Exception;

/** A field fails its rule: getField() names it, getReturnCode() is the code the gateway would have answered with (MCG01033, ...) if any. */
class FieldException extends InvalidInputException
{
}
