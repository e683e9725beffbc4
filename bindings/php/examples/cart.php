<?php

/*
 * The shop's cart page, reduced to what the checkout needs: the amount and
 * a button whose form POSTs it to checkout.php with the cart's token
 * against cross-site requests (set here as a cookie too; shop.php,
 * cmpay_checkout_token). A real shop's cart comes from its database; this
 * example takes ?amount= (fen) so that a test can choose it.
 */

declare(strict_types=1);

use Cmpay\Cmpay;

require_once __DIR__ . '/shop.php';

$h = static function (string $s): string {
    return htmlspecialchars($s, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
};
if (!in_array($_SERVER['REQUEST_METHOD'] ?? 'GET', ['GET', 'HEAD'], true)) {
    http_response_code(405);
    header('Allow: GET, HEAD');
    return;
}
$amount = (string) ($_GET['amount'] ?? '12800');
if (preg_match('/^[1-9][0-9]{0,9}$/', $amount) !== 1) {
    http_response_code(400);
    header('Content-Type: text/plain; charset=utf-8');
    echo 'bad amount';
    return;
}
$token = cmpay_checkout_token();
header('Content-Type: text/html; charset=utf-8');
header('Cache-Control: no-store'); // the page holds the token
$yuan = Cmpay::yuan((int) $amount);
echo '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<link rel="icon" href="data:,"><title>购物车 Cart</title></head><body><main><h1>购物车 Cart</h1>',
    '<p>测试商品 <span id="amount">¥', $h($yuan), '</span></p>',
    '<form method="post" action="checkout">',
    '<input type="hidden" name="amount" value="', $h($amount), '">',
    '<input type="hidden" name="token" value="', $h($token), '">',
    '<button type="submit" id="checkout">去支付 Pay ¥', $h($yuan), '</button>',
    '</form></main></body></html>';
