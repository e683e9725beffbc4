<?php

/*
 * The shop's checkout: creates the order (in the shop's database, then at the
 * gateway through libcmpay) and sends the shopper's browser to the cashier
 * with the gateway's auto-submitting form. The gateway brings the browser
 * back to return.php (PageNotify) and posts the OfflineNotify to notify.php.
 *
 * A real shop takes the amount from its cart, not from the request; this
 * example takes ?amount= (fen) so that a test can choose it.
 *
 * Configuration: as shop.php, plus
 *   CMPAY_ENDPOINT      the gateway (default: the production gateway)
 *   CMPAY_ALLOW_HTTP    1 only for a test gateway on plain http (cmpay sandbox)
 *   CMPAY_SHOP_URL      the shop's public base URL, e.g. https://shop.example.com/
 */

declare(strict_types=1);

use Cmpay\Client;
use Cmpay\Exception\CmpayException;

require_once __DIR__ . '/shop.php';

$amount = (string) ($_GET['amount'] ?? '12800');
if (preg_match('/^[1-9][0-9]{0,9}$/', $amount) !== 1) {
    http_response_code(400);
    header('Content-Type: text/plain; charset=utf-8');
    echo 'bad amount';
    return;
}
$orderId = 'WEB' . date('YmdHis') . bin2hex(random_bytes(4));
$shopUrl = (string) getenv('CMPAY_SHOP_URL');
try {
    $db = cmpay_db();
    $db->prepare('INSERT INTO orders (order_id, amount_fen) VALUES (?, ?)')->execute([$orderId, (int) $amount]);
    $options = ['timeout_ms' => 10000, 'allow_http' => getenv('CMPAY_ALLOW_HTTP') === '1'];
    if (getenv('CMPAY_ENDPOINT')) {
        $options['endpoint'] = (string) getenv('CMPAY_ENDPOINT');
    }
    $today = date('Ymd');
    $response = (new Client(cmpay_merchant(), $options))->createOrder([
        'orderId' => $orderId, 'amount' => (int) $amount, 'orderDate' => $today, 'merAcDate' => $today,
        'period' => 30, 'periodUnit' => '00', 'productName' => '测试商品', 'ipAddress' => $_SERVER['REMOTE_ADDR'] ?? '127.0.0.1',
        'characterSet' => '02',
        'notifyUrl' => $shopUrl . 'cmpay/notify', 'callbackUrl' => $shopUrl . 'cmpay/return',
    ]);
    header('Content-Type: text/html; charset=utf-8');
    echo $response->htmlForm(); // submits itself to the cashier
} catch (CmpayException $e) {
    error_log(sprintf('cmpay checkout failed: %s %s', $e->getStatusName(), $e->getMessage()));
    http_response_code(502);
    header('Content-Type: text/plain; charset=utf-8');
    echo 'The payment could not be started; please try again.';
}
