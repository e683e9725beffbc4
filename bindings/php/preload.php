<?php

/*
 * opcache.preload script for PHP-FPM / Apache mod_php with the production
 * setting ffi.enable=preload, where only preloaded code may use FFI:
 *
 *   ffi.enable=preload
 *   ffi.preload=/etc/php/cmpay-ffi.h         ; written by: php ffi-header.php > /etc/php/cmpay-ffi.h
 *   opcache.enable=1
 *   opcache.preload=/path/to/bindings/php/preload.php
 *   opcache.preload_user=www-data            ; when the master runs as root
 *
 * ffi.preload loads libcmpay and its declarations once, at server start, into
 * the FFI scope "CMPAY"; this script preloads the package's classes, so that
 * their calls into FFI are allowed. Shop code then uses the classes as usual.
 */

declare(strict_types=1);

namespace Cmpay;

require __DIR__ . '/autoload.php';

$complete = true;
foreach (array_merge(glob(__DIR__ . '/src/Exception/*.php') ?: [], glob(__DIR__ . '/src/*.php') ?: []) as $file) {
    $class = 'Cmpay\\' . str_replace('/', '\\', substr($file, strlen(__DIR__ . '/src/'), -4));
    $complete = (class_exists($class) || interface_exists($class)) && $complete;
}

// Every class of the package now exists in every request, so autoload.php
// skips registering its autoloader when this function exists (registering
// it again in each request costs PHP-FPM about 2 µs a request: BENCHMARKS.md).
if ($complete && !function_exists(__NAMESPACE__ . '\\preloaded')) {
    /** @internal true: preload.php loaded every class of the package. */
    function preloaded(): bool
    {
        return true;
    }
}
