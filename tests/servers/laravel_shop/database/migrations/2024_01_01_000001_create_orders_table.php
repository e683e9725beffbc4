<?php

declare(strict_types=1);

use Illuminate\Database\Migrations\Migration;
use Illuminate\Database\Schema\Blueprint;
use Illuminate\Support\Facades\Schema;

return new class extends Migration {
    public function up(): void
    {
        Schema::create('orders', static function (Blueprint $table): void {
            $table->string('order_id', 64)->primary();
            $table->unsignedBigInteger('amount_fen');
            $table->unsignedInteger('fulfilled')->default(0);
        });
    }
};
