<?php

// Throughput benchmark baseline: the same endpoint written natively, the way
// the gateway's 2011 kits parse its answers (split on & and =, urldecode, the
// 19 fields joined in order, double HMAC-MD5 with hash_hmac; the PHP kit reads
// a notification from $_POST instead: notify_native_post.php), with a constant-time
// compare (hash_equals) where the kit used !=. No field checks, no charset
// handling: do not deploy this.
declare(strict_types=1);

// The signed names in the signing order, from bench/notification.json (the
// benchmark puts them in the pool's environment: bench/servers/bench_servers.py).
$notifyFields = explode(',', (string) getenv('CMPAY_NOTIFY_FIELDS'));

$fields = [];
foreach (explode('&', (string) file_get_contents('php://input', false, null, 0, 65537)) as $pair) {
    $kv = explode('=', $pair, 2);
    $fields[$kv[0]] = urldecode($kv[1] ?? '');
}
$source = '';
foreach ($notifyFields as $name) {
    $source .= $fields[$name] ?? '';
}
$mac = hash_hmac('md5', hash_hmac('md5', $source, ''), (string) getenv('CMPAY_SIGN_KEY'));
if (hash_equals($mac, (string) ($fields['hmac'] ?? ''))) {
    echo 'SUCCESS';
} else {
    http_response_code(400);
    echo 'FAIL';
}
