<?php

// Throughput benchmark baseline, as the gateway's 2011 PHP kit reads a
// notification: from $_POST (the values PHP's own form parser decoded once),
// the 19 fields joined in order, double HMAC-MD5 with hash_hmac, and a
// constant-time compare (hash_equals) where the kit used !=. No field
// checks, no charset handling: do not deploy this.
declare(strict_types=1);

// The signed names in the signing order, from bench/notification.json (the
// benchmark puts them in the pool's environment: bench/servers/bench_servers.py).
$notifyFields = explode(',', (string) getenv('CMPAY_NOTIFY_FIELDS'));

$source = '';
foreach ($notifyFields as $name) {
    $source .= (string) ($_POST[$name] ?? '');
}
$mac = hash_hmac('md5', hash_hmac('md5', $source, ''), (string) getenv('CMPAY_SIGN_KEY'));
if (hash_equals($mac, (string) ($_POST['hmac'] ?? ''))) {
    echo 'SUCCESS';
} else {
    http_response_code(400);
    echo 'FAIL';
}
