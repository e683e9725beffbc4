<?php

/*
 * The shop's checkout: creates the order (in the shop's database, then at the
 * gateway through libcmpay) and sends the shopper's browser to the cashier
 * with the gateway's auto-submitting form. The gateway brings the browser
 * back to return.php (PageNotify) and posts the OfflineNotify to notify.php.
 *
 * Creating an order changes state and calls the gateway, so only a POST
 * does it: the cart page's form (cart.php), carrying the cart's token
 * against cross-site requests (shop.php, cmpay_checkout_refusal). Any other
 * method is refused with 405 (a link, a prefetch or a crawler creates
 * nothing); a POST from another origin or without the token with 403.
 *
 * A real shop takes the amount from its cart, not from the request; this
 * example takes the form's amount (fen) so that a test can choose it.
 *
 * Configuration: as shop.php, plus
 *   CMPAY_SHOP_URL      the shop's public base URL, e.g. https://shop.example.com/
 *                       (notifyUrl and callbackUrl; the origin a POST must come from)
 */

declare(strict_types=1);

use Cmpay\Exception\CmpayException;

require_once __DIR__ . '/shop.php';

function cmpay_checkout_answer(int $httpStatus, string $text): void
{
    http_response_code($httpStatus);
    header('Content-Type: text/plain; charset=utf-8');
    header('Cache-Control: no-store');
    echo $text;
}

if (($_SERVER['REQUEST_METHOD'] ?? 'GET') !== 'POST') {
    header('Allow: POST');
    cmpay_checkout_answer(405, 'The checkout takes the cart page\'s form (POST).');
    return;
}
// The pool does not parse POST bodies into $_POST (deploy/php-fpm.conf):
// the shop's own small form is read here.
parse_str((string) file_get_contents('php://input', false, null, 0, 4096), $form);
$refusal = cmpay_checkout_refusal($form);
if ($refusal !== null) {
    error_log('cmpay checkout refused: ' . $refusal);
    cmpay_checkout_answer(403, 'Refused: start from the cart page.');
    return;
}
$amount = $form['amount'] ?? '';
if (!is_string($amount) || preg_match('/^[1-9][0-9]{0,9}$/', $amount) !== 1) {
    cmpay_checkout_answer(400, 'bad amount');
    return;
}
// One length for every order id (25 characters), never ending in a date-time.
$orderId = 'WEB' . date('YmdHis') . bin2hex(random_bytes(4));
$shopUrl = (string) getenv('CMPAY_SHOP_URL');
try {
    $db = cmpay_db();
    $db->prepare('INSERT INTO orders (order_id, amount_fen) VALUES (?, ?)')->execute([$orderId, (int) $amount]);
    $today = date('Ymd');
    $response = cmpay_client(cmpay_merchant())->createOrder([
        'orderId' => $orderId, 'amount' => (int) $amount, 'orderDate' => $today, 'merAcDate' => $today,
        'period' => 30, 'periodUnit' => '00', 'productName' => '测试商品', 'ipAddress' => $_SERVER['REMOTE_ADDR'] ?? '127.0.0.1',
        'characterSet' => '02',
        'notifyUrl' => $shopUrl . 'cmpay/notify', 'callbackUrl' => $shopUrl . 'cmpay/return',
    ]);
    header('Content-Type: text/html; charset=utf-8');
    header('Cache-Control: no-store');
    echo $response->htmlForm(); // submits itself to the cashier
} catch (CmpayException $e) {
    error_log(sprintf('cmpay checkout failed: %s %s', $e->getStatusName(), $e->getMessage()));
    cmpay_checkout_answer(502, 'The payment could not be started; please try again.');
}
