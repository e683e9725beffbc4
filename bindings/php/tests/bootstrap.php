<?php

declare(strict_types=1);

require __DIR__ . '/../autoload.php';
require __DIR__ . '/Support.php';

if (!extension_loaded('ffi') || !in_array(ini_get('ffi.enable'), ['1', 'true', 'On', 'on', 'preload'], true)) {
    fwrite(STDERR, "The tests need PHP's FFI: run them with `php -d ffi.enable=1 /usr/bin/phpunit`.\n");
    exit(1);
}
