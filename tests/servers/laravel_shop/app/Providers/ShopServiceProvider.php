<?php

declare(strict_types=1);

namespace App\Providers;

use App\Orders;
use Cmpay\Laravel\CmpayServiceProvider;
use Cmpay\Laravel\OrderBook;
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
        if (!$this->app->routesAreCached()) {
            CmpayServiceProvider::routes(); // POST cmpay/notify, no CSRF middleware
        }
    }
}
