<?php

// What loading the binding costs one web request, measured in the CLI
// (tests/servers/bench_servers.py runs it): under ffi.enable=true each request
// parses the C declarations again (FFI::cdef, as Cmpay\Library does once per
// request); under the preload setting a request only looks up the preloaded
// scope (FFI::scope). Run with -d ffi.enable=1, and for the scope with
// -d ffi.preload=HEADER.
declare(strict_types=1);

require __DIR__ . '/../autoload.php';

$n = 2000;
$declarations = Cmpay\Library::declarations();
$lib = (string) getenv('CMPAY_LIB');
$t = hrtime(true);
for ($i = 0; $i < $n; $i++) {
    $ffi = FFI::cdef($declarations, $lib);
    $ffi->cmpay_version();
}
printf("FFI::cdef (ffi.enable=true, per request): %.1f us\n", (hrtime(true) - $t) / $n / 1000);
if (ini_get('ffi.preload')) {
    $t = hrtime(true);
    for ($i = 0; $i < $n * 10; $i++) {
        $ffi = FFI::scope('CMPAY');
        $ffi->cmpay_version();
    }
    printf("FFI::scope (preload, per request): %.2f us\n", (hrtime(true) - $t) / $n / 10 / 1000);
}
