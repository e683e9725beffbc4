<?php

declare(strict_types=1);

namespace Cmpay\Exception;

/**
 * NOT_CONFIRMED: the gateway's answer to the order query (Client::confirm())
 * disagrees with the notification on its status, amount or payNo. Record
 * nothing and do not answer SUCCESS.
 */
class NotConfirmedException extends CmpayException
{
}
