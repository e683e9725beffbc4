<?php

declare(strict_types=1);

namespace Cmpay\Exception;

/** The gateway answered with a return code other than success: getReturnCode(). */
class GatewayException extends CmpayException
{
}
