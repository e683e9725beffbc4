<?php

declare(strict_types=1);

namespace Cmpay\Laravel;

/**
 * The shop's orders, as the notify controller asks about them: bind an
 * implementation in the application's container
 * ($this->app->bind(OrderBook::class, MyOrders::class)).
 */
interface OrderBook
{
    /** The amount of the shop's order $orderId in fen, null when the shop has no such order. */
    public function amountFen(string $orderId): ?int;
}
