<?php

declare(strict_types=1);

namespace Cmpay;

/** cmpay_status values (stable; the library only ever appends). */
final class Status
{
    public const OK = 0;
    public const INVALID_ARGUMENT = 1;
    public const FIELD_INVALID = 2;
    public const KEY = 3;
    public const SIGNATURE_MISMATCH = 4;
    public const PARSE = 5;
    public const GATEWAY = 6;
    public const TRANSPORT = 7;
    public const TIMEOUT = 8;
    public const TLS = 9;
    /** A notification whose signed source reads as another order, amount or payNo: rule out or confirm it. */
    public const AMBIGUOUS = 10;
    /** The gateway's order query does not confirm the notification: record nothing. */
    public const NOT_CONFIRMED = 11;
    /** Signing refused: the request's source reads as a message the gateway sends. */
    public const FORGEABLE_SOURCE = 12;
    public const NULL_POINTER = 100;
    public const INVALID_UTF8 = 101;
    public const PANIC = 102;
    public const NOT_FOUND = 103;
    public const BUFFER_TOO_SMALL = 104;

    private function __construct()
    {
    }

    /** The library's name for a status, e.g. "CMPAY_GATEWAY". */
    public static function name(int $status): string
    {
        return Library::cstring(Library::ffi()->cmpay_status_name($status));
    }
}
