<?php

declare(strict_types=1);

namespace Cmpay\Exception;

/**
 * Base of every exception of this package. getCode() is the library's status
 * (cmpay_status); getMessage() is cmpay_last_error(). The hierarchy:
 *
 *   CmpayException
 *   ├── InvalidInputException      INVALID_ARGUMENT, NULL_POINTER, INVALID_UTF8, BUFFER_TOO_SMALL
 *   │   ├── FieldException         FIELD_INVALID (getField(), getReturnCode() e.g. MCG01033)
 *   │   ├── InvalidKeyException    KEY
 *   │   └── ForgeableSourceException FORGEABLE_SOURCE (signing refused: change the free text)
 *   ├── SignatureException         SIGNATURE_MISMATCH
 *   ├── ParseException             PARSE
 *   ├── AmbiguousException         AMBIGUOUS (a verified notification that reads another way too)
 *   ├── NotConfirmedException      NOT_CONFIRMED (the gateway's order query disagrees: record nothing)
 *   ├── GatewayException           GATEWAY (getReturnCode() e.g. RPM22201)
 *   ├── NetworkException           TRANSPORT
 *   │   ├── NetworkTimeoutException TIMEOUT
 *   │   └── TlsException           TLS
 *   ├── NotFoundException          NOT_FOUND
 *   ├── InternalException          PANIC, or a status this version does not know
 *   └── LibraryNotFoundException   the shared library could not be found or loaded
 *
 * The four bindings share the names' stems, each with its language's affixes
 * (Python NetworkTimeoutError, .NET and Java CmpayNetworkTimeoutException).
 * A null where a value is required is PHP's own TypeError (typed parameters).
 */
class CmpayException extends \RuntimeException
{
    /** @var string */
    private $statusName;
    /** @var string|null */
    private $returnCode;
    /** @var string|null */
    private $field;

    public function __construct(string $message, int $status = -1, string $statusName = '', ?string $returnCode = null, ?string $field = null, ?\Throwable $previous = null)
    {
        parent::__construct($message, $status, $previous);
        $this->statusName = $statusName;
        $this->returnCode = ($returnCode === null || $returnCode === '') ? null : $returnCode;
        $this->field = ($field === null || $field === '') ? null : $field;
    }

    /** The library's status (same as getCode()); -1 for errors raised by the wrapper itself. */
    public function getStatus(): int
    {
        return $this->getCode();
    }

    /** e.g. "CMPAY_GATEWAY". */
    public function getStatusName(): string
    {
        return $this->statusName;
    }

    /** The gateway's return code (gateway errors; field errors the gateway has a code for). */
    public function getReturnCode(): ?string
    {
        return $this->returnCode;
    }

    /** The field at fault (field errors). */
    public function getField(): ?string
    {
        return $this->field;
    }
}
