<?php
/*
 * The merchant's back_url and notify_url pages as the 2011 PHP kit writes
 * them (protocol.md §8): the PageNotify and the OfflineNotify are read from
 * POST fields ($_POST, decoded once by PHP), the 19 values joined in table
 * order are signed as UTF-8 with the kit's double HMAC-MD5, the hmac is
 * compared as lower-case hex, case-sensitively, and the answer is SUCCESS.
 * Plain PHP: hash_hmac, no FFI, no library. Each request is logged as one
 * JSON line to $KIT_LOG for the suite to check.
 */

declare(strict_types=1);

$key = (string) getenv('KIT_KEY');
$fields = ['merchantId', 'payNo', 'returnCode', 'message', 'signType', 'type', 'version', 'amount', 'amtItem',
    'bankAbbr', 'mobile', 'orderId', 'payDate', 'accountDate', 'reserved1', 'reserved2', 'status', 'orderDate', 'fee'];
$source = '';
foreach ($fields as $f) {
    $source .= (string) ($_POST[$f] ?? '');
}
$hmac = hash_hmac('md5', hash_hmac('md5', $source, ''), $key);
$ok = isset($_POST['hmac']) && $_POST['hmac'] === $hmac;
$line = json_encode([
    'path' => parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH),
    'method' => $_SERVER['REQUEST_METHOD'],
    'verified' => $ok,
    'fields' => $_POST,
], JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE);
file_put_contents((string) getenv('KIT_LOG'), $line . "\n", FILE_APPEND | LOCK_EX);
header('Content-Type: text/plain');
echo $ok ? 'SUCCESS' : 'FAIL';
