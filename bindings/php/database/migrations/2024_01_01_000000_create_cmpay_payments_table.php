<?php

/*
 * The once-only record of Cmpay\Laravel\NotifyController: one row per paid
 * order, unique by merchant and orderId. Loaded by CmpayServiceProvider
 * (php artisan migrate), or published with --tag=cmpay-migrations.
 */

declare(strict_types=1);

use Illuminate\Database\Migrations\Migration;
use Illuminate\Database\Schema\Blueprint;
use Illuminate\Support\Facades\Schema;

return new class extends Migration {
    public function up(): void
    {
        Schema::connection(config('cmpay.connection'))->create('cmpay_payments', static function (Blueprint $table): void {
            $table->id();
            $table->string('merchant_id', 32);
            $table->string('order_id', 64);
            $table->string('pay_no', 64);
            $table->unsignedBigInteger('amount_fen');
            $table->string('first_seen_via', 16);
            $table->timestamp('recorded_at')->useCurrent();
            $table->unique(['merchant_id', 'order_id']);
        });
    }

    public function down(): void
    {
        Schema::connection(config('cmpay.connection'))->dropIfExists('cmpay_payments');
    }
};
