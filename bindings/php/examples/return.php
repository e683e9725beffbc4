<?php

/*
 * The shop's return page (callbackUrl): the shopper's browser arrives here
 * from the cashier with the PageNotify, by GET or by an auto-submitted POST.
 * It is verified, ruled out or confirmed, checked and recorded exactly as
 * notify.php does (whichever of the two comes first records the payment),
 * then the shopper sees the order's state. A notification that does not
 * verify, or that the gateway does not confirm, is never shown as paid.
 */

declare(strict_types=1);

use Cmpay\Cmpay;
use Cmpay\Exception\CmpayException;
use Cmpay\Exception\GatewayException;
use Cmpay\Exception\NetworkException;

require_once __DIR__ . '/shop.php';

function cmpay_page(int $httpStatus, string $title, string $text): void
{
    http_response_code($httpStatus);
    header('Content-Type: text/html; charset=utf-8');
    $h = static function (string $s): string {
        return htmlspecialchars($s, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
    };
    echo '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<title>', $h($title), '</title></head><body><main><h1>', $h($title), '</h1>', $text, '</main></body></html>';
}

try {
    $merchant = cmpay_merchant();
    $n = $merchant->parseNotification(cmpay_raw_notification()); // verified, or an exception
    $payment = cmpay_record_payment(cmpay_db(), $merchant, $n);
    if ($payment === null) {
        cmpay_page(404, '订单不存在', '<p>Unknown order.</p>');
        return;
    }
    $h = static function (string $s): string {
        return htmlspecialchars($s, ENT_QUOTES | ENT_SUBSTITUTE, 'UTF-8');
    };
    $paid = $payment['status'] === 'paid';
    $yuan = Cmpay::yuan((int) $payment['amount_fen']); // the library's exact fen-to-yuan
    cmpay_page(200, $paid ? '支付成功 Payment received' : '支付未成功 Payment failed', sprintf(
        '<dl><dt>订单号 Order</dt><dd id="order-id">%s</dd><dt>金额 Amount</dt><dd id="amount">¥%s</dd>'
            . '<dt>支付流水号 Payment number</dt><dd id="pay-no">%s</dd><dt>状态 Status</dt><dd id="status">%s</dd></dl>',
        $h((string) $payment['order_id']),
        $yuan,
        $h((string) $payment['pay_no']),
        $paid ? 'paid' : 'failed'
    ));
} catch (CmpayShopRefusal $e) {
    error_log('cmpay return refused: ' . $e->getMessage());
    cmpay_page($e->getCode(), '无法确认支付 Payment not confirmed', '<p>This order was paid already by another payment; please contact the shop.</p>');
} catch (NetworkException | GatewayException $e) {
    error_log(sprintf('cmpay return not confirmed now: %s %s', $e->getStatusName(), $e->getMessage()));
    cmpay_page(503, '无法确认支付 Payment not confirmed', '<p>The payment could not be confirmed with the gateway yet; reload this page in a minute.</p>');
} catch (CmpayException $e) {
    error_log(sprintf('cmpay return refused: %s %s', $e->getStatusName(), $e->getMessage()));
    cmpay_page(400, '无法确认支付 Payment not confirmed', '<p>The payment notification could not be verified or confirmed.</p>');
} catch (Throwable $e) {
    error_log(sprintf('cmpay return failed: %s: %s', get_class($e), $e->getMessage()));
    cmpay_page(500, '无法确认支付 Payment not confirmed', '<p>The payment could not be recorded; reload this page in a minute.</p>');
}
