<?php

declare(strict_types=1);

namespace Cmpay;

/** Message kinds, as the C ABI names them. */
final class MessageKind
{
    public const ORDER_REQUEST = 'order-request';
    public const ORDER_RESPONSE = 'order-response';
    public const NOTIFY = 'notify';
    public const QUERY_REQUEST = 'query-request';
    public const QUERY_RESPONSE = 'query-response';
    public const REFUND_REQUEST = 'refund-request';
    public const REFUND_RESPONSE = 'refund-response';

    private function __construct()
    {
    }
}
