<?php

declare(strict_types=1);

namespace App\Providers;

use App\Orders;
use Cmpay\Laravel\CmpayServiceProvider;
use Cmpay\Laravel\OrderBook;
use Cmpay\Laravel\PaymentRecorded;
use Illuminate\Support\Facades\DB;
use Illuminate\Support\Facades\Event;
use Illuminate\Support\ServiceProvider;

final class ShopServiceProvider extends ServiceProvider
{
    public function register(): void
    {
        $this->app->bind(OrderBook::class, Orders::class);
    }

    public function boot(): void
    {
        $this->loadMigrationsFrom(__DIR__ . '/../../database/migrations');
        // The shop fulfils a paid order; its fulfilment fails for orders BAD... (the test's).
        Event::listen(PaymentRecorded::class, static function (PaymentRecorded $paid): void {
            if (strncmp($paid->orderId, 'BAD', 3) === 0) {
                throw new \RuntimeException('fulfilment failed for ' . $paid->orderId);
            }
            DB::table('orders')->where('order_id', $paid->orderId)->increment('fulfilled');
        });
        if (!$this->app->routesAreCached()) {
            CmpayServiceProvider::routes(); // POST cmpay/notify, no CSRF middleware
        }
    }
}
