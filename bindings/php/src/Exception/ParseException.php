<?php

declare(strict_types=1);

namespace Cmpay\Exception;

/** A body or value is malformed. */
class ParseException extends CmpayException
{
}
