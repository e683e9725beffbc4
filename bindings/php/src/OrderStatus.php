<?php

declare(strict_types=1);

namespace Cmpay;

/**
 * An order's state as an OrderQuery answer gives it (protocol 5.5): status
 * SUCCESS is PAID, FAILED is FAILED, any other value or none is PENDING.
 */
final class OrderStatus
{
    public const PAID = 'PAID';
    public const FAILED = 'FAILED';
    public const PENDING = 'PENDING';

    private function __construct()
    {
    }

    /** The state for the answer's status field (null when absent). */
    public static function of(?string $status): string
    {
        if ($status === 'SUCCESS') {
            return self::PAID;
        }
        return $status === 'FAILED' ? self::FAILED : self::PENDING;
    }
}
