<?php
/*
 * A 2011-style PHP merchant against `cmpay sandbox`, written from
 * protocol.md §8 with plain PHP (hash_hmac, iconv, fsockopen; no FFI, no
 * library): what shops running the gateway's 2011 PHP kit do.
 *
 * For each characterSet (00 GBK, 01 GB2312, 02 UTF-8) and Chinese text
 * (同学 and 小品, whose GBK bytes are valid UTF-8 too, and 测试商品):
 *  1. sign a DirectPayConfirm like the kit (values in the declared charset,
 *     the source converted to UTF-8, double HMAC-MD5), send it rawurlencoded,
 *     hmac in the middle, HTTP/1.0, Content-Type without charset;
 *  2. split the answer on & and the first =, payUrl and amtItem not decoded,
 *     and compare the hmac case-sensitively;
 *  3. send the browser to url?SESSIONID=…, pay, and submit the page's
 *     auto-submitting form to back_url, which reads the PageNotify from
 *     $_POST, verifies it and answers SUCCESS (kit2011_back_url.php);
 *  4. the OfflineNotify reaches notify_url the same way and is acknowledged;
 *  5. query and refund, verifying both answers.
 * The same with the values sent raw (not percent-encoded), as the .NET and
 * ASP kits send them. Exit status 0 when every step held.
 *
 * usage: CMPAY_BIN=target/debug/cmpay php tests/kits/kit2011.php
 */

declare(strict_types=1);

const MERCHANT_ID = '888009941120001';
const KEY = 'Qm7X2vT9pL4sK8dR1fG6hJ3wZ5cN0bV7yU2iO9aE4tS6mP1qW8xC3kD5lH7jF0gB';
const ORDER_FIELDS = ['characterSet', 'callbackUrl', 'notifyUrl', 'ipAddress', 'merchantId', 'requestId', 'signType', 'type',
    'version', 'amount', 'bankAbbr', 'currency', 'orderDate', 'orderId', 'merAcDate', 'period', 'periodUnit', 'merchantAbbr',
    'productDesc', 'productId', 'productName', 'productNum', 'reserved1', 'reserved2', 'userToken', 'showUrl', 'couponsFlag'];
const ANSWER_FIELDS = ['merchantId', 'requestId', 'signType', 'type', 'version', 'returnCode', 'message', 'payUrl'];
const QUERY_FIELDS = ['merchantId', 'payNo', 'returnCode', 'message', 'signType', 'type', 'version', 'amount', 'amtItem',
    'bankAbbr', 'mobile', 'orderId', 'payDate', 'reserved1', 'reserved2', 'status', 'payType', 'orderDate', 'fee'];
const REFUND_FIELDS = ['merchantId', 'payNo', 'returnCode', 'message', 'signType', 'type', 'version', 'amount', 'orderId', 'status'];

$failures = 0;
$steps = 0;

function check(bool $ok, string $what): void
{
    global $failures, $steps;
    $steps++;
    if (!$ok) {
        $failures++;
        fwrite(STDERR, "FAIL: $what\n");
    }
}

/** The kit's signature: hex(HMAC-MD5(key, hex(HMAC-MD5("", source)))), source as UTF-8. */
function kit_hmac(string $utf8Source): string
{
    return hash_hmac('md5', hash_hmac('md5', $utf8Source, ''), KEY);
}

/** Values of $names from $values (UTF-8 text), joined in order. */
function kit_source(array $names, array $values): string
{
    $s = '';
    foreach ($names as $n) {
        $s .= (string) ($values[$n] ?? '');
    }
    return $s;
}

/** One HTTP/1.0 exchange over fsockopen, as the kit does it; returns [status, headers, body]. */
function http10(?string $url, string $method, string $body = '', string $contentType = 'application/x-www-form-urlencoded'): array
{
    $u = parse_url((string) $url);
    if (!isset($u['host'], $u['port'])) {
        throw new RuntimeException("no URL to go to: " . var_export($url, true));
    }
    $fp = @fsockopen($u['host'], (int) $u['port'], $errno, $errstr, 10);
    if ($fp === false) {
        throw new RuntimeException("connect $url: $errstr");
    }
    $path = ($u['path'] ?? '/') . (isset($u['query']) ? '?' . $u['query'] : '');
    $req = "$method $path HTTP/1.0\r\nHost: {$u['host']}\r\n";
    if ($method === 'POST') {
        $req .= "Content-Type: $contentType\r\nContent-length: " . strlen($body) . "\r\n";
    }
    fwrite($fp, $req . "\r\n" . $body);
    $raw = stream_get_contents($fp);
    fclose($fp);
    [$head, $rest] = explode("\r\n\r\n", (string) $raw, 2) + ['', ''];
    preg_match('~^HTTP/1\.[01] (\d+)~', $head, $m);
    return [(int) ($m[1] ?? 0), $head, $rest];
}

/** Splits an answer on & and at the first =; payUrl and amtItem stay as they came. */
function kit_parse(string $body): array
{
    $out = [];
    foreach (explode('&', trim($body)) as $pair) {
        if ($pair === '') {
            continue;
        }
        [$k, $v] = explode('=', $pair, 2) + ['', ''];
        $out[$k] = ($k === 'payUrl' || $k === 'amtItem') ? $v : urldecode($v);
    }
    return $out;
}

/** Builds and sends a request like the kit; returns the parsed answer. */
function kit_send(string $endpoint, array $names, array $values, string $charset, bool $raw): array
{
    $values['hmac'] = kit_hmac(kit_source($names, $values));
    $pairs = [];
    foreach ($names as $i => $n) {
        if (!array_key_exists($n, $values)) {
            continue;
        }
        $v = $charset === 'UTF-8' ? (string) $values[$n] : iconv('UTF-8', $charset, (string) $values[$n]);
        $pairs[] = $n . '=' . ($raw ? $v : rawurlencode($v));
        if ($n === 'type') {
            $pairs[] = 'hmac=' . $values['hmac']; // the PHP kit puts hmac in the middle
        }
    }
    [$status, , $body] = http10($endpoint, 'POST', implode('&', $pairs));
    check($status === 200, "HTTP $status from the gateway");
    return kit_parse($body);
}

function free_port(): int
{
    $s = stream_socket_server('tcp://127.0.0.1:0');
    $name = stream_socket_get_name($s, false);
    fclose($s);
    return (int) substr((string) $name, strrpos((string) $name, ':') + 1);
}

$bin = getenv('CMPAY_BIN') ?: 'target/debug/cmpay';
$sandbox = proc_open([$bin, 'sandbox', '--time-factor', '600'], [1 => ['pipe', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes);
$first = (string) fgets($pipes[1]);
if (!preg_match('~listening on (http://\S+)~', $first, $m)) {
    fwrite(STDERR, "the sandbox did not start: $first\n");
    exit(1);
}
$base = $m[1];
$endpoint = "$base/ips/cmpayService";

$log = tempnam(sys_get_temp_dir(), 'kit2011');
$port = free_port();
$shop = proc_open([PHP_BINARY, '-S', "127.0.0.1:$port", __DIR__ . '/kit2011_back_url.php'],
    [1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']], $shopPipes, null,
    ['KIT_KEY' => KEY, 'KIT_LOG' => $log] + getenv());
$shopUrl = "http://127.0.0.1:$port";
for ($i = 0; $i < 100 && @fsockopen('127.0.0.1', $port) === false; $i++) {
    usleep(50000);
}

function log_lines(string $log): array
{
    $lines = array_filter(explode("\n", (string) file_get_contents($log)));
    return array_map(fn ($l) => json_decode($l, true), $lines);
}

try {
        $n = 0;
        foreach (['00' => 'GBK', '01' => 'GB2312', '02' => 'UTF-8'] as $code => $charset) {
            foreach (['同学', '小品', '测试商品'] as $text) {
                foreach ([false, true] as $raw) {
                    $n++;
                    $what = "characterSet $code, $text" . ($raw ? ', raw' : '');
                    $orderId = 'PHPKIT' . getmypid() . sprintf('%04d', $n);
                    $today = date('Ymd');
                    $order = [
                        'characterSet' => $code, 'callbackUrl' => "$shopUrl/back_url", 'notifyUrl' => "$shopUrl/notify_url",
                        'ipAddress' => '127.0.0.1', 'merchantId' => MERCHANT_ID, 'requestId' => 'R' . $orderId,
                        'signType' => 'MD5', 'type' => 'DirectPayConfirm', 'version' => '2.0.0', 'amount' => '1200',
                        'currency' => '00', 'orderDate' => $today, 'orderId' => $orderId, 'merAcDate' => $today,
                        'period' => '1', 'periodUnit' => '02', 'productName' => $text, 'reserved1' => $text, 'reserved2' => "{$text}2",
                    ];
                    try {
                    // 1-2. The order and its answer.
                    $a = kit_send($endpoint, ORDER_FIELDS, $order, $charset, $raw);
                    check(($a['returnCode'] ?? '') === '000000', "$what: returnCode " . ($a['returnCode'] ?? '?') . ' ' . ($a['message'] ?? ''));
                    check(($a['message'] ?? '') === 'SUCCESS', "$what: message is SUCCESS");
                    check(isset($a['hmac']) && $a['hmac'] === kit_hmac(kit_source(ANSWER_FIELDS, $a)), "$what: the answer's hmac");
                    check(strpos($a['payUrl'] ?? '', 'url<hi:=>') === 0, "$what: payUrl raw");
                    $token = [];
                    foreach (explode('<hi:$$>', $a['payUrl'] ?? '') as $part) {
                        [$k, $v] = explode('<hi:=>', $part, 2) + ['', ''];
                        $token[trim($k)] = trim($v);
                    }
                    // 3. The browser: url?SESSIONID=…, pay, then the form back to back_url.
                    [$st, , $page] = http10($token['url'] . '?SESSIONID=' . $token['sessionId'], 'GET');
                    check($st === 200 && strpos($page, 'value="pay"') !== false, "$what: the cashier page by SESSIONID");
                    [$st, , $paid] = http10("$base/ips/cashier/submit", 'POST', http_build_query(['sessionId' => $token['sessionId'], 'action' => 'pay']));
                    check($st === 200 && preg_match('~<form method="post" action="([^"]+)"~', $paid, $fm) === 1, "$what: the page after paying posts back");
                    preg_match_all('~<input type="hidden" name="([^"]+)" value="([^"]*)">~', $paid, $inputs, PREG_SET_ORDER);
                    $post = [];
                    foreach ($inputs as $in) {
                        $post[html_entity_decode($in[1], ENT_QUOTES, 'UTF-8')] = html_entity_decode($in[2], ENT_QUOTES, 'UTF-8');
                    }
                    [$st, , $back] = http10(html_entity_decode($fm[1] ?? ''), 'POST', http_build_query($post));
                    check($st === 200 && $back === 'SUCCESS', "$what: back_url verified the PageNotify ($back)");
                    // 4. The OfflineNotify.
                    $offline = null;
                    for ($i = 0; $i < 200 && $offline === null; $i++) {
                        foreach (log_lines($log) as $l) {
                            if ($l['path'] === '/notify_url' && ($l['fields']['orderId'] ?? '') === $orderId) {
                                $offline = $l;
                            }
                        }
                        $offline === null && usleep(20000);
                    }
                    check($offline !== null && $offline['verified'] === true, "$what: OfflineNotify verified");
                    check(($offline['fields']['reserved1'] ?? '') === $text, "$what: OfflineNotify reserved1");
                    foreach (log_lines($log) as $l) {
                        if ($l['path'] === '/back_url' && ($l['fields']['orderId'] ?? '') === $orderId) {
                            check($l['method'] === 'POST' && $l['fields']['reserved2'] === "{$text}2", "$what: PageNotify fields from POST");
                        }
                    }
                    // 5. Query and refund.
                    $q = kit_send($endpoint, ['merchantId', 'requestId', 'signType', 'type', 'version', 'orderId'],
                        ['merchantId' => MERCHANT_ID, 'requestId' => 'Q' . $orderId, 'signType' => 'MD5', 'type' => 'OrderQuery',
                            'version' => '2.0.0', 'orderId' => $orderId], 'UTF-8', false);
                    check(($q['hmac'] ?? '') === kit_hmac(kit_source(QUERY_FIELDS, $q)), "$what: the query answer's hmac");
                    check(($q['status'] ?? '') === 'SUCCESS' && ($q['reserved1'] ?? '') === $text, "$what: query says paid");
                    $r = kit_send($endpoint, ['merchantId', 'requestId', 'signType', 'type', 'version', 'orderId', 'amount'],
                        ['merchantId' => MERCHANT_ID, 'requestId' => 'F' . $orderId, 'signType' => 'MD5', 'type' => 'OrderRefund',
                            'version' => '2.0.0', 'orderId' => $orderId, 'amount' => '200'], 'UTF-8', false);
                    check(($r['hmac'] ?? '') === kit_hmac(kit_source(REFUND_FIELDS, $r)), "$what: the refund answer's hmac");
                    check(($r['returnCode'] ?? '') === '000000' && ($r['amount'] ?? '') === '200', "$what: refunded");
                } catch (Throwable $e) {
                    check(false, "$what: " . $e->getMessage());
                }
            }
        }
    }
    // The simulator saw every OfflineNotify acknowledged.
    [$st, , $json] = http10("$base/sandbox/deliveries", 'GET');
    $acked = array_filter(json_decode($json, true) ?: [], fn ($d) => $d['acked']);
    check(count($acked) === $n, "every OfflineNotify acknowledged (" . count($acked) . " of $n)");
} finally {
    proc_terminate($shop);
    proc_terminate($sandbox);
    @unlink($log);
}
printf("2011-style PHP merchant: %d checks, %d failed\n", $steps, $failures);
exit($failures === 0 ? 0 : 1);
