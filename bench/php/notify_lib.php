<?php

// Throughput benchmark (BENCHMARKS.md, bench/servers/bench_servers.py): the notify
// endpoint through libcmpay, the once-only store a no-op. Not for production:
// bindings/php/examples/notify.php is the endpoint to deploy.
declare(strict_types=1);

require __DIR__ . '/../../bindings/php/autoload.php';

try {
    $n = Cmpay\Merchant::md5((string) getenv('CMPAY_MERCHANT_ID'), (string) getenv('CMPAY_SIGN_KEY'))
        ->parseNotification((string) file_get_contents('php://input', false, null, 0, 65537));
    echo $n->ack();
} catch (Cmpay\Exception\CmpayException $e) {
    http_response_code(400);
    echo 'FAIL';
}
