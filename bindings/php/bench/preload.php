<?php

// opcache.preload for the throughput benchmark at the production setting
// (tests/servers/bench_servers.py, profile_php_fpm.py): the package's own
// preload.php, plus the FFI floor below, which must be preloaded to call FFI.
declare(strict_types=1);

require __DIR__ . '/../preload.php';

/**
 * The floor of any PHP binding over this C ABI (notify_ffi_floor.php): the
 * calls Merchant::md5()->parseNotification()->ack() makes, with the frees,
 * straight through FFI, without the binding's classes, objects or checks.
 * What the binding's PHP costs on top is the difference to notify_lib.php.
 * Not for production: no NUL check, no error detail.
 */
function cmpay_bench_ffi_floor(string $merchantId, string $signKey, string $body): string
{
    $ffi = FFI::scope(Cmpay\Library::SCOPE);
    $merchant = $ffi->cmpay_merchant_md5($merchantId, $signKey);
    if ($merchant === null) {
        return 'FAIL';
    }
    $notification = $ffi->cmpay_notification_verified($merchant, $body, strlen($body));
    $ack = $notification === null ? 'FAIL' : $ffi->cmpay_notification_ack_text($notification);
    if ($notification !== null) {
        $ffi->cmpay_notification_free($notification);
    }
    $ffi->cmpay_merchant_free($merchant);
    return $ack;
}
