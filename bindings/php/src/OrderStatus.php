<?php

declare(strict_types=1);

namespace Cmpay;

/**
 * An order's state as a query answer gives it (the library's
 * cmpay_order_status): status SUCCESS is PAID, FAILED is FAILED, any other
 * value or none is PENDING.
 */
final class OrderStatus
{
    public const PAID = 'PAID';
    public const FAILED = 'FAILED';
    public const PENDING = 'PENDING';

    private function __construct()
    {
    }

    private const BY_CODE = [0 => self::PENDING, 1 => self::PAID, 2 => self::FAILED];

    /** @internal the constant for a cmpay_order_status value */
    public static function fromCode(int $code): string
    {
        return self::BY_CODE[$code] ?? self::PENDING;
    }
}
