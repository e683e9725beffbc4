<?php

declare(strict_types=1);

namespace Cmpay\Exception;

/** The TLS handshake or certificate verification failed. */
class TlsException extends NetworkException
{
}
