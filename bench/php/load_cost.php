<?php

// What loading the binding costs one web request, measured in the CLI
// (bench/servers/bench_servers.py runs it): under ffi.enable=true each request
// parses the C declarations again (FFI::cdef, as Cmpay\Library does once per
// request); under the preload setting a request only looks up the preloaded
// scope (FFI::scope). Run with -d ffi.enable=1, and for the scope with
// -d ffi.preload=HEADER. With CMPAY_BENCH_BODY (one signed OfflineNotify) and
// CMPAY_SIGN_KEY, it also splits a request's work: the Merchant built per
// request, the parse + verify, and the native endpoint's code for the same body.
declare(strict_types=1);

require __DIR__ . '/../../bindings/php/autoload.php';

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

$body = (string) getenv('CMPAY_BENCH_BODY');
$key = (string) getenv('CMPAY_SIGN_KEY');
if ($body !== '' && $key !== '') {
    $id = (string) getenv('CMPAY_MERCHANT_ID');
    // The signing order, from the benchmark's notification (bench/notification.json).
    $fixture = json_decode((string) file_get_contents(dirname(__DIR__) . '/notification.json'), true, 512, JSON_THROW_ON_ERROR);
    $notifyFields = array_column($fixture['fields'], 0);
    $m = Cmpay\Merchant::md5($id, $key);
    $t = hrtime(true);
    for ($i = 0; $i < $n; $i++) {
        Cmpay\Merchant::md5($id, $key);
    }
    printf("Merchant::md5 (per request in the example): %.1f us\n", (hrtime(true) - $t) / $n / 1000);
    $t = hrtime(true);
    for ($i = 0; $i < $n; $i++) {
        $m->parseNotification($body)->ack();
    }
    printf("parseNotification + ack: %.1f us\n", (hrtime(true) - $t) / $n / 1000);
    $t = hrtime(true);
    for ($i = 0; $i < $n; $i++) {
        $fields = [];
        foreach (explode('&', $body) as $pair) {
            $kv = explode('=', $pair, 2);
            $fields[$kv[0]] = urldecode($kv[1] ?? '');
        }
        $source = '';
        foreach ($notifyFields as $f) {
            $source .= $fields[$f] ?? '';
        }
        hash_equals(hash_hmac('md5', hash_hmac('md5', $source, ''), $key), $fields['hmac'] ?? '');
    }
    printf("native (notify_native.php's code): %.1f us\n", (hrtime(true) - $t) / $n / 1000);
}
