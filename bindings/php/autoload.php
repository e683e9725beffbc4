<?php

// For use without Composer: require this file instead of vendor/autoload.php.
// (With Composer, the "psr-4" entry of composer.json does the same.)

declare(strict_types=1);

if (function_exists('Cmpay\\preloaded')) {
    return; // preload.php has loaded every class, in every request
}

spl_autoload_register(static function (string $class): void {
    $prefix = 'Cmpay\\';
    if (strncmp($class, $prefix, strlen($prefix)) !== 0) {
        return;
    }
    $file = __DIR__ . '/src/' . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
    if (is_file($file)) {
        require $file;
    }
});
