<?php

/*
 * Order sign and notification verify, per operation: through the binding
 * (libcmpay via FFI) next to the same computation written natively in PHP
 * (hash_hmac('md5', ...) twice), as the 2011 demo kits do it.
 *
 *   CMPAY_LIB=target/release/libcmpay.so php -d ffi.enable=1 -d opcache.enable_cli=1 -d opcache.jit=off bench/php/bench.php
 *
 * The native versions are here for comparison only; they are not part of the
 * package (which has no protocol logic of its own).
 */

declare(strict_types=1);

require __DIR__ . '/../../bindings/php/autoload.php';

use Cmpay\MessageKind;
use Cmpay\Merchant;

$root = dirname(__DIR__, 2);
$v = json_decode((string) file_get_contents($root . '/tests/data/cmpay-vectors.json'), true, 512, JSON_THROW_ON_ERROR);
$fixture = json_decode((string) file_get_contents($root . '/bench/notification.json'), true, 512, JSON_THROW_ON_ERROR);
$key = $fixture['md5_key'];
$find = static function (string $name) use ($v): array {
    foreach ($v['vectors'] as $x) {
        if ($x['name'] === $name) {
            return $x;
        }
    }
    throw new LogicException($name);
};
$order = $find('order-request-md5-charset02');
$params = $order['params'];
$orderFields = array_keys($params); // the vector's params are in table order
$notifyFields = array_column($fixture['fields'], 0); // the signing order
$body = $fixture['body'];

$md5hmac = static function (string $source) use ($key): string {
    return hash_hmac('md5', hash_hmac('md5', $source, ''), $key);
};
$nativeSign = static function (array $p) use ($orderFields, $md5hmac): string {
    $source = '';
    foreach ($orderFields as $f) {
        $source .= $p[$f] ?? '';
    }
    return $md5hmac($source);
};
$nativeSignBody = static function (array $p) use ($nativeSign): string {
    $mac = $nativeSign($p);
    return http_build_query($p + ['hmac' => $mac]);
};
$nativeVerify = static function (string $b) use ($notifyFields, $md5hmac): bool {
    $fields = [];
    foreach (explode('&', $b) as $pair) {
        [$k, $val] = explode('=', $pair, 2) + [1 => ''];
        $fields[urldecode($k)] = urldecode($val);
    }
    $source = '';
    foreach ($notifyFields as $f) {
        $source .= $fields[$f] ?? '';
    }
    return hash_equals($md5hmac($source), $fields['hmac']);
};

$m = Merchant::md5($fixture['merchant_id'], $key);
if ($nativeSign($params) !== $order['hmac'] || $m->hmac(MessageKind::ORDER_REQUEST, $params) !== $order['hmac'] || !$nativeVerify($body)
    || $m->parseNotification($body)->ack() !== 'SUCCESS') {
    fwrite(STDERR, "self-check failed\n");
    exit(1);
}

$rows = [
    'order sign: binding signOrder()->body() (validate, GBK/UTF-8 body, hmac)' => static function () use ($m, $params): void {
        $m->signOrder($params)->body();
    },
    'order sign: binding hmac() only' => static function () use ($m, $params): void {
        $m->hmac(MessageKind::ORDER_REQUEST, $params);
    },
    'order sign: native hash_hmac x2 (source + 2 HMAC-MD5)' => static function () use ($nativeSign, $params): void {
        $nativeSign($params);
    },
    'order sign: native hash_hmac x2 + http_build_query body' => static function () use ($nativeSignBody, $params): void {
        $nativeSignBody($params);
    },
    'notify verify: binding parseNotification()' => static function () use ($m, $body): void {
        $m->parseNotification($body);
    },
    'notify verify: binding verify() only' => static function () use ($m, $body): void {
        $m->verify(MessageKind::NOTIFY, $body);
    },
    'notify verify: native parse + hash_hmac x2 + hash_equals' => static function () use ($nativeVerify, $body): void {
        $nativeVerify($body);
    },
];

$n = (int) (getenv('BENCH_N') ?: 20000);
printf("php %s, libcmpay %s from %s, %d ops x best of 7\n", PHP_VERSION, Cmpay\Cmpay::version(), Cmpay\Library::loadedPath(), $n);
foreach ($rows as $name => $fn) {
    $best = INF;
    for ($r = 0; $r < 7; $r++) {
        $t = hrtime(true);
        for ($i = 0; $i < $n; $i++) {
            $fn();
        }
        $best = min($best, (hrtime(true) - $t) / $n / 1000);
    }
    printf("%-74s %8.2f us/op\n", $name, $best);
}
