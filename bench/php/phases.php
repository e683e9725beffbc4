<?php

// Throughput benchmark aid (bench/servers/profile_php_fpm.py --phases): what
// each step of notify_lib.php (?lib) or of notify_native.php (?native) costs
// in PHP-FPM the first time in a request and again right after, in the same
// request. Answers the nanoseconds as JSON: [[first pass], [second pass]].
declare(strict_types=1);

// The signed names in the signing order, from bench/notification.json (the
// benchmark puts them in the pool's environment: bench/servers/bench_servers.py).
$notifyFields = explode(',', (string) getenv('CMPAY_NOTIFY_FIELDS'));

$body = (string) file_get_contents('php://input', false, null, 0, 65537);
$id = (string) getenv('CMPAY_MERCHANT_ID');
$key = (string) getenv('CMPAY_SIGN_KEY');
$passes = [];
if (isset($_GET['lib'])) {
    $start = hrtime(true);
    require __DIR__ . '/../../bindings/php/autoload.php';
    $loaded = hrtime(true);
    for ($pass = 0; $pass < 2; $pass++) {
        $t = [hrtime(true)];
        Cmpay\Library::ffi();
        $t[] = hrtime(true);
        $m = Cmpay\Merchant::md5($id, $key);
        $t[] = hrtime(true);
        $n = $m->parseNotification($body);
        $t[] = hrtime(true);
        $ack = $n->ack();
        $t[] = hrtime(true);
        unset($n, $m); // the destructors: cmpay_notification_free, cmpay_merchant_free
        $t[] = hrtime(true);
        $passes[] = [$pass === 0 ? $loaded - $start : 0, $t[1] - $t[0], $t[2] - $t[1], $t[3] - $t[2], $t[4] - $t[3], $t[5] - $t[4]];
    }
} else {
    for ($pass = 0; $pass < 2; $pass++) {
        $t = [hrtime(true)];
        $fields = [];
        foreach (explode('&', $body) as $pair) {
            $kv = explode('=', $pair, 2);
            $fields[$kv[0]] = urldecode($kv[1] ?? '');
        }
        $source = '';
        foreach ($notifyFields as $name) {
            $source .= $fields[$name] ?? '';
        }
        $t[] = hrtime(true);
        $ack = hash_equals(hash_hmac('md5', hash_hmac('md5', $source, ''), $key), (string) ($fields['hmac'] ?? '')) ? 'SUCCESS' : 'FAIL';
        $t[] = hrtime(true);
        $passes[] = [$t[1] - $t[0], $t[2] - $t[1]];
    }
}
echo $ack === 'SUCCESS' ? json_encode($passes) : 'FAIL';
