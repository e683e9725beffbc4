<?php

// opcache.preload for the throughput benchmark at the production setting
// (bench/servers/bench_servers.py, profile_php_fpm.py): the package's own
// preload.php, plus the FFI floor below, which must be preloaded to call FFI.
declare(strict_types=1);

require __DIR__ . '/../../bindings/php/preload.php';

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
    $merchant = $ffi->new('cmpay_merchant *');
    if ($ffi->cmpay_merchant_new_md5($merchantId, $signKey, FFI::addr($merchant)) !== 0) {
        return 'FAIL';
    }
    $notification = $ffi->new('cmpay_notification *');
    $ack = 'FAIL';
    if ($ffi->cmpay_notification_parse($merchant, $body, strlen($body), FFI::addr($notification)) === 0) {
        $out = $ffi->new('char *');
        if ($ffi->cmpay_notification_ack($notification, FFI::addr($out)) === 0) {
            $ack = FFI::string($out);
            $ffi->cmpay_string_free($out);
        }
        $ffi->cmpay_notification_free($notification);
    }
    $ffi->cmpay_merchant_free($merchant);
    return $ack;
}
