<?php

declare(strict_types=1);

namespace Cmpay\Exception;

/** A caller-supplied value is wrong (also NULL pointers and invalid UTF-8). */
class InvalidInputException extends CmpayException
{
}
