<?php

/*
 * A CMPay notify endpoint as a shop would deploy it. Point notifyUrl (and,
 * for this example, callbackUrl) at it. It verifies PageNotify and
 * OfflineNotify through libcmpay, checks them against the shop's own order,
 * records the payment once (keyed by payNo), and only then answers exactly
 * "SUCCESS". Anything else gets "FAIL" and the gateway will try again.
 *
 * Configuration (environment; under PHP-FPM pass them with env[...] in the pool):
 *   CMPAY_MERCHANT_ID   the merchant id at the gateway
 *   CMPAY_SIGN_KEY      the 64-character MD5 signKey, or, for RSA,
 *   CMPAY_PRIVATE_KEY_FILE and CMPAY_GATEWAY_KEY_FILE (PEM files)
 *   CMPAY_SHOP_ORDERS   the example's order store (a JSON file; use your database)
 *   CMPAY_LIB           where libcmpay is, if not found by itself
 *
 * FFI must be allowed for the web SAPI: ffi.enable=true, or ffi.enable=preload
 * with opcache.preload=.../bindings/php/preload.php (see README.md).
 * Try it:  php -d ffi.enable=1 -S 127.0.0.1:8080 examples/notify.php
 */

declare(strict_types=1);

use Cmpay\Exception\CmpayException;
use Cmpay\Merchant;

// With Composer: require 'vendor/autoload.php';
require __DIR__ . '/../autoload.php';

function cmpay_answer(int $httpStatus, string $text): void
{
    http_response_code($httpStatus);
    header('Content-Type: text/plain; charset=utf-8');
    echo $text;
}

function cmpay_merchant(): Merchant
{
    $id = (string) getenv('CMPAY_MERCHANT_ID');
    $key = getenv('CMPAY_SIGN_KEY');
    if (is_string($key) && $key !== '') {
        return Merchant::md5($id, $key);
    }
    return Merchant::rsa(
        $id,
        (string) file_get_contents((string) getenv('CMPAY_PRIVATE_KEY_FILE')),
        (string) file_get_contents((string) getenv('CMPAY_GATEWAY_KEY_FILE'))
    );
}

/**
 * The example's order store: a JSON file under an exclusive lock, so that
 * PageNotify and OfflineNotify arriving together are processed once.
 * A real shop does the same in a database transaction.
 *
 * @param callable(array): array $change
 */
function cmpay_with_orders(callable $change): void
{
    $path = (string) (getenv('CMPAY_SHOP_ORDERS') ?: __DIR__ . '/orders.json');
    $fh = fopen($path, 'c+');
    if ($fh === false || !flock($fh, LOCK_EX)) {
        throw new RuntimeException('cannot open the order store');
    }
    try {
        $text = stream_get_contents($fh);
        $data = $text ? json_decode($text, true, 512, JSON_THROW_ON_ERROR) : [];
        $data = $change($data + ['orders' => [], 'payments' => []]);
        ftruncate($fh, 0);
        rewind($fh);
        fwrite($fh, json_encode($data, JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR));
        fflush($fh);
    } finally {
        flock($fh, LOCK_UN);
        fclose($fh);
    }
}

// The notification exactly as it arrived: the POST body (OfflineNotify), or
// the query string of the browser's redirect (PageNotify). Never $_POST/$_GET:
// PHP re-decodes them, and the signature is over what was sent.
$body = $_SERVER['REQUEST_METHOD'] === 'POST'
    ? (string) file_get_contents('php://input', false, null, 0, 65537)
    : (string) ($_SERVER['QUERY_STRING'] ?? '');

try {
    $merchant = cmpay_merchant();
    $n = $merchant->parseNotification($body); // verified, or an exception
    $known = true;
    cmpay_with_orders(function (array $data) use ($n, &$known): array {
        $order = $data['orders'][$n->orderId()] ?? null;
        if ($order === null) {
            $known = false;
            return $data;
        }
        // The notification must be about the order we created, for its amount.
        $n->checkOrder((string) getenv('CMPAY_MERCHANT_ID'), $n->orderId(), (int) $order['amount_fen']);
        $payNo = $n->payNo();
        if (!isset($data['payments'][$payNo])) { // process a payment once
            $paid = $n->isPaid();
            $data['payments'][$payNo] = [
                'order_id' => $n->orderId(),
                'amount_fen' => $n->amount(),
                'status' => $paid ? 'paid' : 'failed',
                'first_seen_via' => $n->type(),
                'recorded_at' => time(),
            ];
            if ($paid) {
                $data['orders'][$n->orderId()]['status'] = 'paid';
                $data['orders'][$n->orderId()]['pay_no'] = $payNo;
            }
        }
        return $data;
    });
    if (!$known) {
        cmpay_answer(404, 'FAIL unknown order');
        return;
    }
    // Recorded: now, and only now, the answer that stops the resends. (For a
    // PageNotify the shopper's browser is here: a shop may render its "thank
    // you" page instead, after the same checks and the same recording.)
    cmpay_answer(200, $n->ack());
} catch (CmpayException $e) {
    error_log(sprintf('cmpay notify refused: %s %s', $e->getStatusName(), $e->getMessage()));
    cmpay_answer(400, 'FAIL');
}
