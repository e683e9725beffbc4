<?php

/*
 * Writes the C declarations for PHP's `ffi.preload`, with FFI_SCOPE "CMPAY"
 * and FFI_LIB set to the library this package finds (or --lib PATH):
 *
 *   php bindings/php/ffi-header.php [--lib /usr/local/lib/libcmpay.so] > /etc/php/cmpay-ffi.h
 *
 * then, for PHP-FPM / Apache mod_php (php.ini or the pool configuration):
 *
 *   ffi.enable=preload
 *   ffi.preload=/etc/php/cmpay-ffi.h
 *   opcache.enable=1
 *   opcache.preload=/path/to/bindings/php/preload.php
 *   opcache.preload_user=www-data      ; when the master runs as root
 *
 * PHP loads the library and parses the declarations once, when the server
 * starts, into the FFI scope "CMPAY", which Cmpay\Library uses by itself;
 * preload.php preloads the package's classes, the only code then allowed to
 * call FFI. (FFI::load() from a preload script is refused when the master
 * runs as root with opcache.preload_user, as FPM usually does: hence this.)
 * Regenerate the file when the library moves or is upgraded.
 */

declare(strict_types=1);

require __DIR__ . '/autoload.php';

$library = null;
$args = array_slice($argv, 1);
if (count($args) === 2 && $args[0] === '--lib') {
    $library = $args[1];
} elseif ($args !== []) {
    fwrite(STDERR, "usage: php ffi-header.php [--lib PATH] > cmpay-ffi.h\n");
    exit(2);
}
if ($library === null) {
    foreach (Cmpay\Library::candidates() as [$where, $path, $must]) {
        if ($path === null) {
            continue;
        }
        if (strpos($path, '/') === false || is_file($path)) {
            $library = $path;
            break;
        }
        if ($must) {
            break;
        }
    }
}
if ($library === null || (strpos($library, '/') !== false && !is_file($library))) {
    fwrite(STDERR, "libcmpay not found; give --lib PATH or set CMPAY_LIB\n");
    exit(1);
}
$real = strpos($library, '/') === false ? $library : (string) realpath($library);
echo '#define FFI_SCOPE "', Cmpay\Library::SCOPE, "\"\n";
echo '#define FFI_LIB "', addcslashes($real, "\"\\"), "\"\n";
echo Cmpay\Library::declarations();
