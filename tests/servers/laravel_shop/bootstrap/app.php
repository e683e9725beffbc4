<?php

/*
 * A shop's Laravel application with Cmpay\Laravel\CmpayServiceProvider, as
 * bindings/php/README.md ("Laravel") has it, booted by Debian's
 * php-laravel-framework from /usr/share/php (its autoloaders: no Composer).
 * Run by tests/servers/test_frameworks.py: CMPAY_PHP is the binding (its
 * autoload.php), LARAVEL_STORAGE the writable storage directory; the
 * framework's caches live there too (this tree is read-only for the server).
 */

declare(strict_types=1);

require_once 'Illuminate/autoload.php'; // the whole framework (php-laravel-framework)
require_once getenv('CMPAY_PHP') . '/autoload.php';
spl_autoload_register(static function (string $class): void {
    if (strncmp($class, 'App\\', 4) === 0) {
        require __DIR__ . '/../app/' . str_replace('\\', '/', substr($class, 4)) . '.php';
    }
});

$storage = (string) getenv('LARAVEL_STORAGE');
foreach (['SERVICES', 'PACKAGES', 'CONFIG', 'ROUTES', 'EVENTS'] as $cache) {
    $_ENV['APP_' . $cache . '_CACHE'] = $storage . '/framework/' . strtolower($cache) . '.php';
}

$app = new Illuminate\Foundation\Application(dirname(__DIR__));
$app->useStoragePath($storage);
$app->singleton(Illuminate\Contracts\Http\Kernel::class, Illuminate\Foundation\Http\Kernel::class);
$app->singleton(Illuminate\Contracts\Console\Kernel::class, Illuminate\Foundation\Console\Kernel::class);
$app->singleton(Illuminate\Contracts\Debug\ExceptionHandler::class, Illuminate\Foundation\Exceptions\Handler::class);
return $app;
