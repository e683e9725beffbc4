<?php

// Throughput benchmark (preload setting only): the notify endpoint's calls
// into libcmpay straight through FFI, without the binding's classes
// (cmpay_bench_ffi_floor in bench/preload.php). Not for production.
declare(strict_types=1);

$ack = cmpay_bench_ffi_floor((string) getenv('CMPAY_MERCHANT_ID'), (string) getenv('CMPAY_SIGN_KEY'),
    (string) file_get_contents('php://input', false, null, 0, 65537));
if ($ack !== 'SUCCESS') {
    http_response_code(400);
}
echo $ack;
