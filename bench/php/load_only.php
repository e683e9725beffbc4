<?php

// Throughput benchmark: what loading the binding costs a request (the package's
// classes, libcmpay through FFI, one call), against empty.php.
declare(strict_types=1);

require __DIR__ . '/../../bindings/php/autoload.php';

echo Cmpay\Cmpay::version() !== '' ? 'SUCCESS' : 'FAIL';
