<?php

declare(strict_types=1);

namespace Cmpay\Exception;

/** A panic inside the library, or a status this version does not know. */
class InternalException extends CmpayException
{
}
