<?php

/*
 * A CMPay notify endpoint as a shop would deploy it. Point notifyUrl at it.
 * It verifies PageNotify and OfflineNotify through libcmpay, makes sure the
 * notification means only the shop's order (ruling out the other orders its
 * bytes could be read as, or else confirming it with the gateway), checks
 * it against that order, records the payment once (by the order's state and
 * by payNo), and only then answers exactly "SUCCESS". Anything else gets
 * "FAIL" and the gateway will try again: 400 for a notification refused,
 * 404 for an unknown order, 409 for an order paid already by another
 * payment, 503 when the gateway could not be asked now.
 *
 * Configuration (environment; under PHP-FPM pass them with env[...] in the pool):
 *   CMPAY_MERCHANT_ID   the merchant id at the gateway
 *   CMPAY_SIGN_KEY      the 64-character MD5 signKey, or, for RSA,
 *   CMPAY_PRIVATE_KEY_FILE and CMPAY_GATEWAY_KEY_FILE (PEM files)
 *   CMPAY_ENDPOINT      the gateway the confirming order query goes to
 *                       (default: the production gateway); CMPAY_ALLOW_HTTP=1
 *                       only for a test gateway on plain http
 *   CMPAY_DB_DSN        the shop's database (PDO DSN; default SQLite), see shop.php
 *   CMPAY_LIB           where libcmpay is, if not found by itself
 *
 * FFI must be allowed for the web SAPI: ffi.enable=true, or ffi.enable=preload
 * with opcache.preload=.../bindings/php/preload.php (see README.md).
 * Try it:  php -d ffi.enable=1 -S 127.0.0.1:8080 examples/notify.php
 * Deployed under nginx + PHP-FPM: deploy/nginx.conf, deploy/php-fpm.conf.
 */

declare(strict_types=1);

use Cmpay\Exception\CmpayException;
use Cmpay\Exception\GatewayException;
use Cmpay\Exception\NetworkException;

require_once __DIR__ . '/shop.php';

function cmpay_answer(int $httpStatus, string $text): void
{
    http_response_code($httpStatus);
    header('Content-Type: text/plain; charset=utf-8');
    echo $text;
}

try {
    $merchant = cmpay_merchant();
    $n = $merchant->parseNotification(cmpay_raw_notification()); // verified, or an exception
    if (cmpay_record_payment(cmpay_db(), $merchant, $n) === null) {
        error_log(sprintf('cmpay notify refused: no order %s', $n->orderId()));
        cmpay_answer(404, 'FAIL unknown order');
        return;
    }
    // Recorded: now, and only now, the answer that stops the resends.
    // (return.php shows the shopper a page instead, after the same steps.)
    cmpay_answer(200, $n->ack());
} catch (CmpayShopRefusal $e) {
    error_log('cmpay notify refused: ' . $e->getMessage());
    cmpay_answer($e->getCode(), 'FAIL');
} catch (NetworkException | GatewayException $e) {
    // The confirming order query could not be made or was refused: nothing
    // recorded; the gateway sends the notification again later.
    error_log(sprintf('cmpay notify not confirmed now: %s %s', $e->getStatusName(), $e->getMessage()));
    cmpay_answer(503, 'FAIL');
} catch (CmpayException $e) {
    // Not verified, not the order's, ambiguous, or not confirmed by the gateway.
    error_log(sprintf('cmpay notify refused: %s %s', $e->getStatusName(), $e->getMessage()));
    cmpay_answer(400, 'FAIL');
} catch (Throwable $e) {
    error_log(sprintf('cmpay notify failed: %s: %s', get_class($e), $e->getMessage()));
    cmpay_answer(500, 'FAIL');
}
