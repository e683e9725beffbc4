<?php

declare(strict_types=1);

namespace Cmpay\Exception;

/** A key could not be loaded or was refused (too short, wrong type). */
class InvalidKeyException extends InvalidInputException
{
}
