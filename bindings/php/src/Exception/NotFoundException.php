<?php

declare(strict_types=1);

namespace Cmpay\Exception;

/** A field or code that does not exist. */
class NotFoundException extends CmpayException
{
}
