<?php

declare(strict_types=1);

namespace Cmpay\Tests;

use Cmpay\Client;
use Cmpay\Exception\AmbiguousException;
use Cmpay\Exception\GatewayException;
use Cmpay\Exception\NotConfirmedException;
use Cmpay\Library;
use Cmpay\OrderStatus;
use Cmpay\Response;
use PHPUnit\Framework\TestCase;

/**
 * examples/notify.php served by `php -S` on loopback, fed PageNotify and
 * OfflineNotify by the sandbox (`cmpay sandbox`) after an order created
 * through this binding's client and paid on the sandbox's cashier page.
 */
final class NotifyEndpointTest extends TestCase
{
    /** @var resource|null */
    private static $sandbox = null;
    /** @var string */
    private static $sandboxUrl = '';
    /** @var array<int, resource> */
    private static $servers = [];
    /** @var string */
    private static $tmp = '';
    /** @var int */
    private static $seq = 0;

    public static function setUpBeforeClass(): void
    {
        self::$tmp = sys_get_temp_dir() . '/cmpay-php-endpoint-' . getmypid();
        @mkdir(self::$tmp, 0700, true);
    }

    public static function tearDownAfterClass(): void
    {
        foreach (self::$servers as $proc) {
            self::stop($proc);
        }
        self::$servers = [];
        if (self::$sandbox !== null) {
            self::stop(self::$sandbox);
            self::$sandbox = null;
        }
        foreach (glob(self::$tmp . '/*') ?: [] as $f) {
            @unlink($f);
        }
        @rmdir(self::$tmp);
    }

    /** @param resource $proc */
    private static function stop($proc): void
    {
        $status = proc_get_status($proc);
        if ($status['running']) {
            proc_terminate($proc, 15);
            for ($i = 0; $i < 100 && proc_get_status($proc)['running']; $i++) {
                usleep(50000);
            }
            if (proc_get_status($proc)['running']) {
                proc_terminate($proc, 9);
            }
        }
        proc_close($proc);
    }

    private function binary(): string
    {
        $given = getenv('CMPAY_BIN');
        $path = is_string($given) && $given !== '' ? $given : Support::repo() . '/target/debug/cmpay';
        if (!is_file($path)) {
            if (is_string($given) && $given !== '') {
                $this->fail("CMPAY_BIN=$given does not exist (cargo build)");
            }
            $this->markTestSkipped("no $path: build it with `cargo build`");
        }
        return $path;
    }

    /** @return array{0: int, 1: array<string, string>, 2: string} status, headers (lower-case), body */
    private static function http(string $method, string $url, ?string $body = null): array
    {
        $ctx = stream_context_create(['http' => [
            'method' => $method,
            'header' => $body === null ? '' : "Content-Type: application/x-www-form-urlencoded\r\n",
            'content' => $body ?? '',
            'follow_location' => 0,
            'ignore_errors' => true,
            'timeout' => 15,
            'proxy' => '',
        ]]);
        $data = @file_get_contents($url, false, $ctx);
        $headers = [];
        $status = 0;
        foreach ($http_response_header ?? [] as $line) {
            if (preg_match('~^HTTP/\S+\s+(\d+)~', $line, $m)) {
                $status = (int) $m[1];
            } elseif (strpos($line, ':') !== false) {
                [$k, $v] = explode(':', $line, 2);
                $headers[strtolower(trim($k))] = trim($v);
            }
        }
        return [$status, $headers, $data === false ? '' : $data];
    }

    private function sandbox(): string
    {
        if (self::$sandbox === null) {
            [self::$sandbox, self::$sandboxUrl] = $this->startSandbox(null);
        }
        return self::$sandboxUrl;
    }

    /**
     * `cmpay sandbox` on a free loopback port; with $caOut, HTTPS with its CA
     * certificate written there.
     *
     * @return array{0: resource, 1: string}
     */
    private function startSandbox(?string $caOut): array
    {
        $bin = $this->binary();
        $log = self::$tmp . '/sandbox-' . (++self::$seq) . '.log';
        for ($try = 0; $try < 5; $try++) {
            $port = Support::freePort();
            $cmd = [$bin, 'sandbox', '--port', (string) $port, '--time-factor', '60'];
            if ($caOut !== null) {
                array_push($cmd, '--https', '--ca-out', $caOut);
            }
            $proc = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['file', $log, 'w'], 2 => ['file', $log, 'a']], $pipes);
            $this->assertIsResource($proc);
            for ($i = 0; $i < 600 && proc_get_status($proc)['running']; $i++) {
                if (strpos((string) @file_get_contents($log), 'press Ctrl-C') !== false) { // the CLI's last start-up line
                    return [$proc, ($caOut === null ? 'http' : 'https') . '://127.0.0.1:' . $port];
                }
                usleep(50000);
            }
            self::stop($proc);
        }
        $this->fail("the sandbox did not start:\n" . @file_get_contents($log));
    }

    /**
     * `php -S` serving examples/notify.php with the given php.ini settings.
     *
     * @param string[] $ini
     * @param string|null $gateway CMPAY_ENDPOINT (default: the sandbox's)
     * @return string the endpoint's base URL
     */
    private function endpoint(array $ini, string $store, ?string $gateway = null): string
    {
        // CMPAY_PHP_EXAMPLES: the examples of an installed package (make test-dist).
        $example = (getenv('CMPAY_PHP_EXAMPLES') ?: dirname(__DIR__) . '/examples') . '/notify.php';
        $env = getenv();
        $env['CMPAY_MERCHANT_ID'] = Support::MERCHANT_ID;
        $env['CMPAY_SIGN_KEY'] = Support::key();
        $env['CMPAY_DB_DSN'] = 'sqlite:' . $store;
        // The gateway an ambiguous notification is confirmed with (an order query).
        $env['CMPAY_ENDPOINT'] = $gateway ?? $this->sandbox() . '/ips/cmpayService';
        $env['CMPAY_ALLOW_HTTP'] = '1';
        Library::ffi();
        $env['CMPAY_LIB'] = (string) (getenv('CMPAY_LIB') ?: Library::loadedPath());
        for ($try = 0; $try < 5; $try++) {
            $port = Support::freePort();
            $log = self::$tmp . '/php-s-' . $port . '.log';
            $cmd = array_merge([PHP_BINARY], $ini, ['-S', '127.0.0.1:' . $port, $example]);
            $proc = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['file', $log, 'a'], 2 => ['file', $log, 'a']], $pipes, dirname($example), $env);
            $this->assertIsResource($proc);
            for ($i = 0; $i < 100 && proc_get_status($proc)['running']; $i++) {
                $s = @stream_socket_client('tcp://127.0.0.1:' . $port, $errno, $errstr, 0.2);
                if ($s !== false) {
                    fclose($s);
                    self::$servers[] = $proc;
                    return 'http://127.0.0.1:' . $port . '/';
                }
                usleep(50000);
            }
            self::stop($proc);
        }
        $this->fail('php -S did not start');
    }

    private static function store(): string
    {
        return self::$tmp . '/shop-' . (++self::$seq) . '.sqlite3';
    }

    private static function db(string $store): \PDO
    {
        require_once dirname(__DIR__) . '/examples/shop.php';
        $db = new \PDO('sqlite:' . $store, null, null, [\PDO::ATTR_ERRMODE => \PDO::ERRMODE_EXCEPTION, \PDO::ATTR_TIMEOUT => 10]);
        foreach (\CMPAY_SHOP_SCHEMA as $sql) {
            $db->exec($sql);
        }
        return $db;
    }

    /** What the shop records when it creates an order (the example's schema, shop.php). */
    private static function addOrder(string $store, string $orderId, int $amountFen): void
    {
        self::db($store)->prepare('INSERT INTO orders (order_id, amount_fen) VALUES (?, ?)')->execute([$orderId, $amountFen]);
    }

    /** @return array{orders: array<string, array<string, mixed>>, payments: array<string, array<string, mixed>>} */
    private static function readStore(string $store): array
    {
        $db = self::db($store);
        $data = ['orders' => [], 'payments' => []];
        foreach ($db->query('SELECT * FROM orders')->fetchAll(\PDO::FETCH_ASSOC) as $o) {
            $data['orders'][$o['order_id']] = ['amount_fen' => (int) $o['amount_fen'], 'status' => $o['status'], 'pay_no' => $o['pay_no']];
        }
        foreach ($db->query('SELECT * FROM payments')->fetchAll(\PDO::FETCH_ASSOC) as $p) {
            $data['payments'][$p['pay_no']] = $p;
        }
        return $data;
    }

    /** @return array<int, array<string, mixed>> */
    private function deliveries(string $orderId, float $timeout = 20.0): array
    {
        $deadline = microtime(true) + $timeout;
        do {
            [$status, , $body] = self::http('GET', $this->sandbox() . '/sandbox/deliveries?orderId=' . rawurlencode($orderId));
            $this->assertSame(200, $status);
            $list = json_decode($body, true);
            if ($list) {
                return $list;
            }
            usleep(50000);
        } while (microtime(true) < $deadline);
        $this->fail('no OfflineNotify delivered for ' . $orderId);
    }

    /** @return array<string, mixed> */
    private function sandboxOrder(string $orderId): array
    {
        [, , $body] = self::http('GET', $this->sandbox() . '/sandbox/orders?orderId=' . rawurlencode($orderId));
        return json_decode($body, true)[0];
    }

    private function client(): Client
    {
        return new Client(Support::merchant(), ['endpoint' => $this->sandbox() . '/ips/cmpayService', 'allow_http' => true, 'timeout_ms' => 10000]);
    }

    /** Records an order in the shop (for $registered fen, default $amount) and creates it at the sandbox. */
    private function createOrder(string $endpoint, string $store, string $orderId, int $amount = 12800, int $registered = 0, string $reserved2 = '', ?Client $client = null): Response
    {
        self::addOrder($store, $orderId, $registered ?: $amount);
        $today = date('Ymd');
        return ($client ?? $this->client())->createOrder([
            'orderId' => $orderId, 'amount' => $amount, 'orderDate' => $today, 'merAcDate' => $today,
            'period' => 30, 'periodUnit' => '00', 'productName' => '测试商品', 'ipAddress' => '127.0.0.1',
            'reserved1' => '自定义1', 'reserved2' => $reserved2, 'characterSet' => '00',
            'notifyUrl' => $endpoint . 'cmpay/notify', 'callbackUrl' => $endpoint . 'cmpay/return',
        ]);
    }

    /**
     * Creates an order through the binding, records it in the shop, pays (or
     * fails) it on the cashier page.
     *
     * @return array{0: string, 1: string} orderId, the PageNotify URL the browser is sent to
     */
    private function createAndPay(string $endpoint, string $store, int $amount = 12800, string $action = 'pay', int $registered = 0, string $pageNotify = 'get', string $reserved2 = '', string $orderId = '', ?Client $client = null): array
    {
        $orderId = $orderId ?: sprintf('PHP%d%03d%05d', getmypid(), ++self::$seq, (int) (microtime(true) * 1000) % 100000);
        $response = $this->createOrder($endpoint, $store, $orderId, $amount, $registered, $reserved2, $client);
        $pay = $response->payUrl();
        $this->assertStringStartsWith($this->sandbox(), $pay->url);
        $redirect = $response->redirectUrl();
        $this->assertStringContainsString('sessionId=' . $pay->sessionId, $redirect);
        $this->assertStringContainsString($pay->sessionId, $response->htmlForm());
        // The shopper's browser: the cashier page, then its pay (or fail) button.
        [$status, , $page] = self::http('GET', $redirect);
        $this->assertSame(200, $status);
        $this->assertSame(1, preg_match('~<form[^>]*action="([^"]+)"~', $page, $m));
        $submit = $this->sandbox() . html_entity_decode($m[1]);
        [$status, $headers, $after] = self::http('POST', $submit, http_build_query(['sessionId' => $pay->sessionId, 'action' => $action, 'pageNotify' => $pageNotify]));
        if ($pageNotify === 'post') {
            // The live gateway's way: a page whose form the browser submits to callbackUrl.
            $this->assertSame(200, $status);
            $this->assertSame(1, preg_match('~<form method="post" action="([^"]+)"~', $after, $fm));
            preg_match_all('~<input type="hidden" name="([^"]+)" value="([^"]*)">~', $after, $inputs, PREG_SET_ORDER);
            $fields = [];
            foreach ($inputs as $in) {
                $fields[html_entity_decode($in[1], ENT_QUOTES, 'UTF-8')] = html_entity_decode($in[2], ENT_QUOTES, 'UTF-8');
            }
            $this->assertStringStartsWith($endpoint . 'cmpay/return', html_entity_decode($fm[1]));
            return [$orderId, html_entity_decode($fm[1]) . "\n" . http_build_query($fields)];
        }
        $this->assertContains($status, [302, 303]);
        $location = $headers['location'] ?? '';
        $this->assertStringStartsWith($endpoint . 'cmpay/return?', $location);
        return [$orderId, $location];
    }

    /** @return array<string, array{0: string}> */
    public function iniSettings(): array
    {
        return ['ffi.enable=true' => ['enable'], 'ffi.enable=preload + ffi.preload' => ['preload']];
    }

    /** @return string[] php -d settings for the endpoint */
    private function ini(string $mode): array
    {
        if ($mode === 'enable') {
            return ['-d', 'ffi.enable=1'];
        }
        // The production setting: FFI only for preloaded code; the library
        // preloaded by ffi.preload (header written by ffi-header.php), the
        // classes by opcache.preload=preload.php, as the README says.
        $header = self::$tmp . '/cmpay-ffi.h';
        $cmd = [PHP_BINARY, dirname(__DIR__) . '/ffi-header.php', '--lib', (string) (getenv('CMPAY_LIB') ?: Library::loadedPath())];
        $proc = proc_open($cmd, [1 => ['file', $header, 'w'], 2 => ['pipe', 'w']], $pipes);
        $this->assertIsResource($proc);
        $err = (string) stream_get_contents($pipes[2]);
        $this->assertSame(0, proc_close($proc), $err);
        $user = function_exists('posix_getpwuid') ? (string) (posix_getpwuid(posix_geteuid())['name'] ?? 'root') : 'root';
        return [
            '-d', 'ffi.enable=preload', '-d', 'ffi.preload=' . $header,
            '-d', 'opcache.enable=1', '-d', 'opcache.enable_cli=1',
            '-d', 'opcache.preload=' . dirname(__DIR__) . '/preload.php', '-d', 'opcache.preload_user=' . $user,
        ];
    }

    /**
     * @dataProvider iniSettings
     */
    public function testOfflineAndPageNotifyAnsweredSuccess(string $mode): void
    {
        $store = self::store();
        $endpoint = $this->endpoint($this->ini($mode), $store);
        [$orderId, $pageNotify] = $this->createAndPay($endpoint, $store);
        // PageNotify: the browser follows the redirect to the shop.
        [$status, , $body] = self::http('GET', $pageNotify);
        $this->assertSame([200, 'SUCCESS'], [$status, $body]);
        // OfflineNotify: the sandbox POSTs it at once; the endpoint's answer is recorded.
        $first = $this->deliveries($orderId)[0];
        $this->assertSame(200, $first['httpStatus']);
        $this->assertSame('SUCCESS', $first['answer']);
        $this->assertTrue($first['acked']);
        $this->assertTrue($this->sandboxOrder($orderId)['notifyAcked']);
        $this->assertSame('SUCCESS', $this->sandboxOrder($orderId)['state']);
        // Processed once, whichever came first.
        $data = self::readStore($store);
        $this->assertCount(1, $data['payments']);
        $payNo = (string) array_key_first($data['payments']);
        $this->assertSame('paid', $data['payments'][$payNo]['status']);
        $this->assertSame(['amount_fen' => 12800, 'status' => 'paid', 'pay_no' => $payNo], $data['orders'][$orderId]);
        $this->assertSame([$orderId, 12800], [$data['payments'][$payNo]['order_id'], (int) $data['payments'][$payNo]['amount_fen']]);
        // A reload of the PageNotify: still SUCCESS, still one payment.
        $this->assertSame([200, 'SUCCESS'], array_values(array_intersect_key(self::http('GET', $pageNotify), [0 => 1, 2 => 1])));
        $this->assertCount(1, self::readStore($store)['payments']);
        usleep(1500000); // past the first (scaled) resend: none, since it was acknowledged
        $this->assertCount(1, $this->deliveries($orderId));
    }

    public function testPageNotifyByPostFormAsTheLiveGatewaySendsIt(): void
    {
        $store = self::store();
        $endpoint = $this->endpoint($this->ini('enable'), $store);
        [$orderId, $posted] = $this->createAndPay($endpoint, $store, 12800, 'pay', 0, 'post');
        [$action, $body] = explode("\n", $posted, 2);
        $this->assertStringContainsString('type=PageNotify', $body);
        [$status, , $answer] = self::http('POST', $action, $body);
        $this->assertSame(200, $status, $answer);
        $this->assertSame('paid', self::readStore($store)['orders'][$orderId]['status'] ?? null);
        [$status, , $answer] = self::http('POST', $action, str_replace('amount=12800', 'amount=1', $body));
        $this->assertNotSame(200, $status);
        $this->assertStringNotContainsString('SUCCESS', $answer);
    }

    public function testTamperedNotificationIsNotAnsweredSuccess(): void
    {
        $store = self::store();
        $endpoint = $this->endpoint(['-d', 'ffi.enable=1'], $store);
        [, $pageNotify] = $this->createAndPay($endpoint, $store);
        $query = explode('?', $pageNotify, 2)[1];
        $this->assertStringContainsString('amount=12800', $query);
        $tampered = str_replace('amount=12800', 'amount=1', $query);
        // POSTed directly, as an attacker (or a broken proxy) would.
        [$status, , $body] = self::http('POST', $endpoint . 'cmpay/notify', $tampered);
        $this->assertSame(400, $status);
        $this->assertStringNotContainsString('SUCCESS', $body);
        [$status, , $body] = self::http('GET', $endpoint . 'cmpay/return?' . $tampered);
        $this->assertSame(400, $status);
        $this->assertNotSame('SUCCESS', $body);
        // Untampered, the same body is fine (so the 400 was the signature).
        $this->assertSame([200, 'SUCCESS'], array_values(array_intersect_key(self::http('POST', $endpoint . 'cmpay/notify', $query), [0 => 1, 2 => 1])));
        foreach (['', 'hello', 'merchantId=888009941120001&hmac=00'] as $garbage) {
            [$status, , $body] = self::http('POST', $endpoint . 'cmpay/notify', $garbage);
            $this->assertSame(400, $status);
            $this->assertNotSame('SUCCESS', $body);
        }
    }

    public function testNotificationForAnotherAmountIsNotAnsweredSuccess(): void
    {
        $store = self::store();
        $endpoint = $this->endpoint(['-d', 'ffi.enable=1'], $store);
        [$orderId, $pageNotify] = $this->createAndPay($endpoint, $store, 12800, 'pay', 12900);
        [$status, , $body] = self::http('GET', $pageNotify);
        $this->assertSame(400, $status);
        $this->assertNotSame('SUCCESS', $body);
        $first = $this->deliveries($orderId)[0];
        $this->assertFalse($first['acked']);
        $this->assertNotSame('SUCCESS', $first['answer']);
        $this->assertSame([], self::readStore($store)['payments']);
    }

    public function testFailedPaymentIsRecordedAndAcknowledged(): void
    {
        $store = self::store();
        $endpoint = $this->endpoint(['-d', 'ffi.enable=1'], $store);
        [$orderId, $pageNotify] = $this->createAndPay($endpoint, $store, 12800, 'fail');
        $this->assertSame([200, 'SUCCESS'], array_values(array_intersect_key(self::http('GET', $pageNotify), [0 => 1, 2 => 1])));
        $this->assertTrue($this->deliveries($orderId)[0]['acked']);
        $data = self::readStore($store);
        $this->assertSame(['failed'], array_column($data['payments'], 'status'));
        $this->assertSame(['amount_fen' => 12800, 'status' => 'new', 'pay_no' => null], $data['orders'][$orderId]);
    }

    public function testClientQueryAndRefundAgainstSandbox(): void
    {
        $store = self::store();
        $endpoint = $this->endpoint(['-d', 'ffi.enable=1'], $store);
        [$orderId] = $this->createAndPay($endpoint, $store, 500);
        $client = $this->client();
        $q = $client->queryOrder($orderId);
        $this->assertSame(['SUCCESS', '500', $orderId], [$q->field('status'), $q->field('amount'), $q->field('orderId')]);
        $this->assertSame(OrderStatus::PAID, $q->orderStatus());
        $this->assertSame(500, $q->amount());
        $refund = $client->refund($orderId, 200);
        $this->assertSame('SUCCESS', $refund->field('status'));
        $this->assertSame(200, $refund->amount());
        try {
            $client->refund($orderId, 400);
            $this->fail('refund above the rest accepted');
        } catch (GatewayException $e) {
            $this->assertSame('RPM22407', $e->getReturnCode());
        }
        try {
            $client->queryOrder('NO-SUCH-ORDER');
            $this->fail('unknown order found');
        } catch (GatewayException $e) {
            $this->assertSame('RPM22201', $e->getReturnCode());
            $this->assertSame('订单不存在', \Cmpay\Cmpay::returnCode('RPM22201')->chinese);
        }
    }

    public function testWithoutFfiAllowedTheEndpointFailsClosed(): void
    {
        // ffi.enable=preload without ffi.preload: php -S may not use FFI. The
        // endpoint must refuse (never SUCCESS), and the log must say why.
        $store = self::store();
        $endpoint = $this->endpoint(['-d', 'ffi.enable=preload'], $store);
        $body = Support::vector('notify-OfflineNotify')['form_body'];
        self::addOrder($store, 'ORD20261125000001', 12800);
        [$status, , $answer] = self::http('POST', $endpoint . 'cmpay/notify', $body);
        $this->assertSame(400, $status);
        $this->assertNotSame('SUCCESS', $answer);
        $port = (int) parse_url($endpoint, PHP_URL_PORT);
        $this->assertStringContainsString('ffi.enable', (string) file_get_contents(self::$tmp . '/php-s-' . $port . '.log'));
    }

    /**
     * What a request does before its first call, in each setting. With the
     * preload setting every request starts like this in PHP-FPM (statics and
     * autoloaders are per request): no autoloader registered again, and the
     * preloaded scope taken at once, not through load()'s search of the disk.
     *
     * @dataProvider iniSettings
     */
    public function testWhatARequestSetsUpBeforeItsFirstCall(string $mode): void
    {
        // The package under test (the source tree, or an installed vendor/cmpay/cmpay in tests/dist),
        // so that the child's library search is the one this process made.
        $package = dirname((string) (new \ReflectionClass(Library::class))->getFileName(), 2);
        $code = 'require ' . var_export($package . '/autoload.php', true) . ';'
            . '$autoloaders = count(spl_autoload_functions());'
            . '$m = Cmpay\Merchant::md5(' . var_export(Support::MERCHANT_ID, true) . ', ' . var_export(Support::key(), true) . ');'
            . 'echo json_encode([$autoloaders, Cmpay\Library::loadedPath(), function_exists("Cmpay\\\\preloaded")]);';
        $cmd = array_merge([PHP_BINARY], $this->ini($mode), ['-r', $code]);
        $proc = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
        $this->assertIsResource($proc);
        $out = (string) stream_get_contents($pipes[1]);
        $err = (string) stream_get_contents($pipes[2]);
        $this->assertSame(0, proc_close($proc), $out . $err);
        if ($mode === 'preload') {
            $this->assertSame([0, 'FFI scope CMPAY', true], json_decode($out, true), $err);
        } else {
            $this->assertSame([1, (string) (getenv('CMPAY_LIB') ?: Library::loadedPath()), false], json_decode($out, true), $err);
        }
    }

    public function testRsaMerchantEndToEnd(): void
    {
        // The sandbox's RSA test merchant uses tests/data/test-keys (merchant key pair, platform = gateway key).
        $m = \Cmpay\Merchant::rsa('888009941120002', Support::keyFile('merchant_private_pkcs8.pem'), Support::keyFile('platform_public.pem'));
        $client = new Client($m, ['endpoint' => $this->sandbox() . '/ips/cmpayService', 'allow_http' => true]);
        $today = date('Ymd');
        $orderId = 'PHPRSA' . getmypid() . (++self::$seq);
        $r = $client->createOrder([
            'orderId' => $orderId, 'amount' => 100, 'orderDate' => $today, 'merAcDate' => $today, 'period' => 1, 'periodUnit' => '01',
            'productName' => 'RSA', 'ipAddress' => '127.0.0.1', 'notifyUrl' => 'http://127.0.0.1:9/n', 'callbackUrl' => 'http://127.0.0.1:9/c',
        ]);
        $this->assertSame('RSA', $r->field('signType'));
        $this->assertNotSame('', $r->payUrl()->sessionId);
        try {
            $client->queryOrder('NO-SUCH-ORDER'); // a signed RSA error answer
            $this->fail('unknown order found');
        } catch (GatewayException $e) {
            $this->assertSame('RPM22201', $e->getReturnCode());
        }
        // Pinned to the wrong gateway key, nothing from the sandbox verifies.
        $wrong = \Cmpay\Merchant::rsa('888009941120002', Support::keyFile('merchant_private_pkcs8.pem'), Support::keyFile('merchant_public.pem'));
        $this->expectException(\Cmpay\Exception\SignatureException::class);
        (new Client($wrong, ['endpoint' => $this->sandbox() . '/ips/cmpayService', 'allow_http' => true]))->queryOrder($orderId);
    }

    public function testHttpsWithExtraCa(): void
    {
        $ca = self::$tmp . '/ca.pem';
        [$proc, $url] = $this->startSandbox($ca);
        try {
            $this->assertStringStartsWith('https://', $url);
            $endpoint = $url . '/ips/cmpayService';
            // Trusted through cmpay_config_add_ca_pem: the TLS handshake holds.
            foreach ([(string) file_get_contents($ca), [(string) file_get_contents($ca)]] as $pem) {
                $client = new Client(Support::merchant(), ['endpoint' => $endpoint, 'ca_pem' => $pem, 'timeout_ms' => 10000]);
                try {
                    $client->queryOrder('NO-SUCH-ORDER');
                    $this->fail('unknown order found');
                } catch (GatewayException $e) {
                    $this->assertSame('RPM22201', $e->getReturnCode());
                }
            }
            // Without it, the certificate is not trusted.
            try {
                (new Client(Support::merchant(), ['endpoint' => $endpoint, 'timeout_ms' => 10000]))->queryOrder('NO-SUCH-ORDER');
                $this->fail('untrusted certificate accepted');
            } catch (\Cmpay\Exception\TlsException $e) {
                $this->assertSame(\Cmpay\Status::TLS, $e->getCode());
            }
        } finally {
            self::stop($proc);
        }
    }

    // --- Moved field boundaries (docs/resplit.md) ----------------------------------
    // The gateway signs its values joined with no separator: moving the
    // boundary between two adjacent fields keeps the hmac. The library refuses
    // such a notification after the signature held; never SUCCESS.

    /** The raw (still percent-encoded) value of one field of a form body. */
    private static function raw(string $query, string $name): string
    {
        foreach (explode('&', $query) as $pair) {
            $kv = explode('=', $pair, 2);
            if ($kv[0] === $name) {
                return $kv[1] ?? '';
            }
        }
        return '';
    }

    /** @param array<string, string> $changes raw values */
    private static function resplit(string $query, array $changes): string
    {
        $pairs = [];
        foreach (explode('&', $query) as $pair) {
            $kv = explode('=', $pair, 2);
            $pairs[] = array_key_exists($kv[0], $changes) ? $kv[0] . '=' . $changes[$kv[0]] : $pair;
        }
        return implode('&', $pairs);
    }

    private function assertRefused(string $endpoint, string $body): void
    {
        [$status, , $answer] = self::http('POST', $endpoint . 'cmpay/notify', $body);
        $this->assertSame(400, $status, $answer);
        $this->assertStringNotContainsString('SUCCESS', $answer);
    }

    public function testFailedNotificationResplitAsPaidIsRefused(): void
    {
        $store = self::store();
        $endpoint = $this->endpoint(['-d', 'ffi.enable=1'], $store);
        [$orderId, $pageNotify] = $this->createAndPay($endpoint, $store, 12800, 'fail', 0, 'get', 'buyer note: SUCCESS');
        $query = explode('?', $pageNotify, 2)[1];
        $this->assertSame('FAILED', self::raw($query, 'status'));
        $this->assertSame('buyer+note%3A+SUCCESS', self::raw($query, 'reserved2'));
        $moved = self::resplit($query, [
            'reserved2' => 'buyer+note%3A+', 'status' => 'SUCCESS', 'orderDate' => 'FAILED' . self::raw($query, 'orderDate'),
        ]);
        $this->assertRefused($endpoint, $moved);
        $this->assertSame('new', self::readStore($store)['orders'][$orderId]['status']);
        // The genuine FAILED notification is still acknowledged; the order stays unpaid.
        [$status, , $body] = self::http('POST', $endpoint . 'cmpay/notify', $query);
        $this->assertSame([200, 'SUCCESS'], [$status, $body]);
        $this->assertSame('new', self::readStore($store)['orders'][$orderId]['status']);
    }

    public function testOrderIdVersionAndAmountShiftsAreRefused(): void
    {
        $store = self::store();
        $endpoint = $this->endpoint(['-d', 'ffi.enable=1'], $store);
        [$orderId, $pageNotify] = $this->createAndPay($endpoint, $store);
        $query = explode('?', $pageNotify, 2)[1];
        $payDate = self::raw($query, 'payDate');
        $mobile = self::raw($query, 'mobile');
        $this->assertSame(14, strlen($payDate));
        $this->assertSame(4, substr_count($mobile, '*'));
        foreach ([
            ['orderId' => $orderId . $payDate[0], 'payDate' => substr($payDate, 1)],
            ['mobile' => substr($mobile, 0, -1), 'orderId' => substr($mobile, -1) . $orderId],
            ['version' => '2.0.', 'amount' => '012800'],
        ] as $changes) {
            $this->assertRefused($endpoint, self::resplit($query, $changes));
        }
        $this->assertArrayNotHasKey($orderId . $payDate[0], self::readStore($store)['orders']);
    }

    public function testUnsignedExtraPairIsIgnored(): void
    {
        $store = self::store();
        $endpoint = $this->endpoint(['-d', 'ffi.enable=1'], $store);
        [$victim] = $this->createAndPay($endpoint, $store, 12800, 'fail');
        [$orderId, $pageNotify] = $this->createAndPay($endpoint, $store);
        $query = explode('?', $pageNotify, 2)[1];
        // "order%2549d" decodes once to "order%49d": never a second orderId.
        $body = $query . '&order%2549d=' . $victim;
        [$status, , $answer] = self::http('POST', $endpoint . 'cmpay/notify', $body);
        $this->assertSame([200, 'SUCCESS'], [$status, $answer]);
        $orders = self::readStore($store)['orders'];
        $this->assertSame('paid', $orders[$orderId]['status']);
        $this->assertSame('new', $orders[$victim]['status']);
        $fields = Support::merchant()->parseNotification($body)->fields();
        $this->assertSame($orderId, $fields['orderId']);
        $this->assertArrayNotHasKey('order%49d', $fields);
    }

    public function testEmptyLastBulkValueCrosses(): void
    {
        $this->assertSame("a\x001\x00fee\x00\x00", Library::pairs(['a' => '1', 'fee' => '']));
        $this->assertSame(['a' => '1', 'fee' => ''], Library::splitPairs("a\x001\x00fee\x00\x00"));
        $fields = ['merchantId' => Support::MERCHANT_ID, 'payNo' => '1', 'type' => 'OfflineNotify', 'amount' => '1'];
        // An empty value adds nothing to the signature: the same hmac with or
        // without "fee" as the last, empty, value.
        $this->assertSame(Support::merchant()->hmac('notify', $fields), Support::merchant()->hmac('notify', $fields + ['fee' => '']));
    }

    public function testNulInAParameterIsRefusedNeverCut(): void
    {
        $q = ['merchantId' => Support::MERCHANT_ID, 'requestId' => 'R1', 'signType' => 'MD5', 'type' => 'OrderQuery', 'version' => '2.0.0', 'orderId' => "a\0b"];
        foreach ([$q, ["order\0Id" => 'a']] as $params) {
            try {
                Support::merchant()->hmac('query-request', $params);
                $this->fail('a NUL inside a parameter was accepted');
            } catch (\Cmpay\Exception\InvalidInputException $e) {
                $this->assertStringContainsString('NUL', $e->getMessage());
            }
        }
    }

    public function testFormBodyIsRefusedAtTheAbi(): void
    {
        $ffi = Library::ffi();
        $out = $ffi->new('char *');
        $body = 'orderId=O1';
        $status = $ffi->cmpay_merchant_hmac(Support::merchant()->handle(), 'query-request', $body, strlen($body), \FFI::addr($out));
        $this->assertSame(\Cmpay\Status::INVALID_ARGUMENT, $status);
        $this->assertStringContainsString('NUL', Library::cstring($ffi->cmpay_last_error()));
    }

    public function testManyNamesBodyIsRefused(): void
    {
        $store = self::store();
        $endpoint = $this->endpoint(['-d', 'ffi.enable=1'], $store);
        // 10,922 distinct four-letter names fill 64 KiB; refused at 256 pairs.
        $body = '';
        for ($i = 0; $i < 10922; $i++) {
            $body .= chr(97 + $i % 26) . chr(97 + intdiv($i, 26) % 26) . chr(97 + intdiv($i, 676) % 26) . chr(97 + intdiv($i, 17576) % 26) . '=&';
        }
        $this->assertLessThanOrEqual(65536, strlen($body));
        $this->assertRefused($endpoint, $body);
    }

    // --- A paid notification re-split to read as another order (docs/resplit.md) --

    /**
     * A genuine notification's query string re-split to read as paying
     * $other, where its orderId is $other followed by a date-time: the tail
     * becomes payDate, payDate's first 8 digits accountDate, and the rest
     * slides into reserved1. The signed source, and the hmac, stay the same.
     */
    private static function resplitToAnotherOrder(string $query, string $other): string
    {
        $orderId = self::raw($query, 'orderId');
        $tail = substr($orderId, strlen($other));
        self::assertSame($other . $tail, $orderId);
        self::assertSame(1, preg_match('/^[0-9]{14}$/', $tail));
        $payDate = self::raw($query, 'payDate');
        $accountDate = self::raw($query, 'accountDate');
        $reserved1 = self::raw($query, 'reserved1');
        $moved = ['orderId' => $other, 'payDate' => $tail, 'accountDate' => substr($payDate, 0, 8),
                  'reserved1' => substr($payDate, 8) . $accountDate . $reserved1];
        self::assertSame($orderId . $payDate . $accountDate . $reserved1, implode('', $moved));
        return self::resplit($query, $moved);
    }

    /**
     * The shop has orders B and A = B + a date-time, of the same amount, both
     * created at the gateway; A is paid. A's PageNotify re-split to read as
     * paying B verifies, and the binding says it is ambiguous (one of its
     * other readings is A, the shop's own order, so it cannot be ruled out);
     * the gateway does not confirm it. A's genuine one is ambiguous too (a
     * reading names B) and the gateway confirms it. The endpoint refuses the
     * forgery and records A once.
     */
    public function testPaidNotificationResplitToAnotherOrderIsNotConfirmed(): void
    {
        $store = self::store();
        $endpoint = $this->endpoint(['-d', 'ffi.enable=1'], $store);
        $orderB = sprintf('PHPB%d%03d', getmypid(), ++self::$seq);
        $orderA = $orderB . '20261206234512';
        $this->createOrder($endpoint, $store, $orderB);
        // A's OfflineNotify goes nowhere (port 9), so only this test's requests reach the endpoint.
        [, $pageNotify] = $this->createAndPay('http://127.0.0.1:9/', $store, 12800, 'pay', 0, 'get', '', $orderA);
        $genuine = explode('?', $pageNotify, 2)[1];
        $forged = self::resplitToAnotherOrder($genuine, $orderB);
        $client = $this->client();

        $n = Support::merchant()->parseNotification($forged);
        $this->assertSame([$orderB, 12800, true], [$n->orderId(), $n->amount(), $n->isPaid()]);
        $this->assertSame('20261206234512', $n->field('payDate'));
        $this->assertTrue($n->isAmbiguous());
        $this->assertContains($orderA, $n->otherOrderIds());
        foreach ($n->otherOrderIds() as $id) {
            if ($id !== $orderA) {
                $n->ruleOut($id); // none of the shop's orders
            }
        }
        $this->assertTrue($n->isAmbiguous()); // the reading that names A remains
        try {
            $client->confirm($n);
            $this->fail('the gateway confirmed order ' . $orderB . ' paid');
        } catch (NotConfirmedException $e) {
            $this->assertSame(\Cmpay\Status::NOT_CONFIRMED, $e->getCode());
            $this->assertSame('CMPAY_NOT_CONFIRMED', $e->getStatusName());
            $this->assertStringContainsString('status', $e->getMessage());
        }
        $this->assertFalse($n->isConfirmed());
        try {
            $n->checkOrder(Support::MERCHANT_ID, $orderB, 12800);
            $this->fail('the re-split notification passed checkOrder for ' . $orderB);
        } catch (AmbiguousException $e) {
            $this->assertStringContainsString('orderId=' . $orderA . ' ', $e->getMessage());
        }

        $g = Support::merchant()->parseNotification($genuine);
        $this->assertSame($orderA, $g->orderId());
        $this->assertTrue($g->isAmbiguous());
        $this->assertContains($orderB, $g->otherOrderIds());
        $this->assertFalse($g->isConfirmed());
        $client->confirm($g);
        $this->assertTrue($g->isConfirmed());
        $g->checkOrder(Support::MERCHANT_ID, $orderA, 12800);

        // The endpoint: the forgery refused at both URLs, never recorded; A's genuine one recorded once.
        foreach (['cmpay/notify', 'cmpay/return'] as $path) {
            [$status, , $answer] = self::http('POST', $endpoint . $path, $forged);
            $this->assertSame([400, 'FAIL'], [$status, $answer]);
        }
        $this->assertSame(['amount_fen' => 12800, 'status' => 'new', 'pay_no' => null], self::readStore($store)['orders'][$orderB]);
        $this->assertSame([], self::readStore($store)['payments']);
        $this->assertSame([200, 'SUCCESS'], array_values(array_intersect_key(self::http('POST', $endpoint . 'cmpay/notify', $genuine), [0 => 1, 2 => 1])));
        $this->assertSame([200, 'SUCCESS'], array_values(array_intersect_key(self::http('GET', $endpoint . 'cmpay/return?' . $genuine), [0 => 1, 2 => 1])));
        [$status, , $answer] = self::http('GET', $endpoint . 'cmpay/return?' . $forged);
        $this->assertSame([400, 'FAIL'], [$status, $answer]);
        $data = self::readStore($store);
        $this->assertSame([$g->payNo()], array_map('strval', array_keys($data['payments'])));
        $this->assertSame(['amount_fen' => 12800, 'status' => 'paid', 'pay_no' => $g->payNo()], $data['orders'][$orderA]);
        $this->assertSame(['amount_fen' => 12800, 'status' => 'new', 'pay_no' => null], $data['orders'][$orderB]);
    }

    /**
     * The vectors' OfflineNotify: its other readings name orders the shop
     * does not have, so the endpoint rules them out and records it with no
     * gateway to ask (CMPAY_ENDPOINT leads nowhere). Once one of them is an
     * order of the shop's, it must be confirmed: the gateway cannot be
     * reached, so nothing is recorded and the answer is FAIL (503).
     */
    public function testOtherReadingsOfOrdersTheShopDoesNotHaveNeedNoGateway(): void
    {
        $v = Support::vector('notify-OfflineNotify');
        $nowhere = 'http://127.0.0.1:' . Support::freePort() . '/ips/cmpayService';
        $others = Support::merchant()->parseNotification($v['form_body'])->otherOrderIds();
        $this->assertContains('ORD', $others);

        $store = self::store();
        $endpoint = $this->endpoint(['-d', 'ffi.enable=1'], $store, $nowhere);
        self::addOrder($store, 'ORD20261125000001', 12800);
        self::addOrder($store, 'ORD20261125000002', 12800); // an order, but no reading names it
        [$status, , $answer] = self::http('POST', $endpoint . 'cmpay/notify', $v['form_body']);
        $this->assertSame([200, 'SUCCESS'], [$status, $answer]);
        $data = self::readStore($store);
        $this->assertSame([$v['fields']['payNo']], array_map('strval', array_keys($data['payments'])));
        $this->assertSame('paid', $data['orders']['ORD20261125000001']['status']);

        $store = self::store();
        $endpoint = $this->endpoint(['-d', 'ffi.enable=1'], $store, $nowhere);
        self::addOrder($store, 'ORD20261125000001', 12800);
        self::addOrder($store, 'ORD', 12800); // the shop has an order a reading names
        [$status, , $answer] = self::http('POST', $endpoint . 'cmpay/notify', $v['form_body']);
        $this->assertSame([503, 'FAIL'], [$status, $answer]);
        $data = self::readStore($store);
        $this->assertSame([], $data['payments']);
        $this->assertSame('new', $data['orders']['ORD20261125000001']['status']);
        $this->assertSame('new', $data['orders']['ORD']['status']);
        $port = (int) parse_url($endpoint, PHP_URL_PORT);
        $this->assertStringContainsString('CMPAY_TRANSPORT', (string) file_get_contents(self::$tmp . '/php-s-' . $port . '.log'));
    }

    /**
     * The order's state de-duplicates too: once an order is paid, a second
     * genuine paid notification for it with another payNo records nothing
     * and is answered FAIL (409), with the reason logged (here the shop's
     * order was marked paid by an earlier payNo before the sandbox's genuine
     * notification arrives).
     */
    public function testAPaidOrderRecordsNoSecondPayment(): void
    {
        $store = self::store();
        $endpoint = $this->endpoint(['-d', 'ffi.enable=1'], $store);
        [$orderId, $pageNotify] = $this->createAndPay('http://127.0.0.1:9/', $store);
        $query = explode('?', $pageNotify, 2)[1];
        self::db($store)->prepare("UPDATE orders SET status = 'paid', pay_no = 'EARLIER' WHERE order_id = ?")->execute([$orderId]);
        self::db($store)->prepare("INSERT INTO payments (pay_no, order_id, amount_fen, status, first_seen_via, recorded_at) VALUES ('EARLIER', ?, 12800, 'paid', 'OfflineNotify', 0)")->execute([$orderId]);
        [$status, , $answer] = self::http('POST', $endpoint . 'cmpay/notify', $query);
        $log = (string) file_get_contents(self::$tmp . '/php-s-' . parse_url($endpoint, PHP_URL_PORT) . '.log');
        $this->assertSame([409, 'FAIL'], [$status, $answer], $log);
        $data = self::readStore($store);
        $this->assertSame(['EARLIER'], array_keys($data['payments']));
        $this->assertSame(['amount_fen' => 12800, 'status' => 'paid', 'pay_no' => 'EARLIER'], $data['orders'][$orderId]);
        $this->assertStringContainsString(sprintf('order %s is paid already by payNo EARLIER, not %s', $orderId, self::raw($query, 'payNo')), $log);
    }
    public function testAPaymentIsLoggedThroughAPsr3LoggerWithoutSecrets(): void
    {
        $store = self::store();
        $endpoint = $this->endpoint($this->ini('enable'), $store);
        $logger = new RecordingLogger();
        $client = new Client(Support::merchant(), [
            'endpoint' => $this->sandbox() . '/ips/cmpayService', 'allow_http' => true, 'timeout_ms' => 10000,
            'logger' => $logger, 'log_level' => 'debug',
        ]);
        [$orderId, $pageNotify] = $this->createAndPay($endpoint, $store, 12800, 'pay', 0, 'get', '', '', $client);
        $query = (string) parse_url($pageNotify, PHP_URL_QUERY);
        $n = $client->parseNotification($query);
        $this->assertSame($orderId, $n->orderId());
        $payNo = $n->payNo();
        try {
            $client->parseNotification(str_replace('amount=12800', 'amount=12801', $query));
            $this->fail('a tampered notification verified');
        } catch (\Cmpay\Exception\SignatureException $e) {
        }
        $queryHmac = $client->queryOrder($orderId)->field('hmac');

        $sent = $logger->find('request.sent', [$orderId, 'DirectPayConfirm', $this->sandbox()]);
        $this->assertSame('info', $sent[0]);
        $this->assertStringStartsWith('request.sent ', $sent[1]);
        $this->assertSame(1, preg_match('~requestId=(\S+)~', $sent[1], $m));
        $requestId = $m[1];
        $this->assertGreaterThan(10, strlen($requestId));
        $this->assertSame('info', $logger->find('answer.received', [$requestId, $orderId, 'returnCode=000000'])[0]);
        $this->assertSame('info', $logger->find('notify.verified', [$orderId, $payNo, 'amount=12800'])[0]);
        $this->assertSame('warning', $logger->find('notify.refused', ['SignatureMismatch'])[0]);
        $this->assertSame('debug', $logger->find('request.body', ['hmac=[redacted]'])[0]);
        $this->assertSame('debug', $logger->find('notify.body', ['hmac=[redacted]'])[0]);
        $logger->find('request.sent', ['OrderQuery', $orderId]);
        parse_str($query, $fields);
        $hmacs = [(string) $fields['hmac'], (string) $queryHmac];
        foreach ($hmacs as $h) {
            $this->assertGreaterThanOrEqual(32, strlen($h));
        }
        foreach ($logger->records as [$level, $message, $context]) {
            $this->assertStringNotContainsString(Support::key(), $message, $context['event']);
            foreach ($hmacs as $h) {
                $this->assertStringNotContainsString($h, $message, $context['event']);
            }
        }
    }

    public function testLogLevelFiltersAndAThrowingLoggerChangesNothing(): void
    {
        $logger = new RecordingLogger();
        $client = new Client(Support::merchant(), ['endpoint' => $this->sandbox() . '/ips/cmpayService', 'allow_http' => true, 'logger' => $logger, 'log_level' => 'warning']);
        try {
            $client->queryOrder('NOSUCHORDER' . getmypid());
            $this->fail('no gateway error');
        } catch (\Cmpay\Exception\GatewayException $e) {
        }
        $this->assertSame([['warning', 'answer.received']], array_map(static function (array $r): array {
            return [$r[0], $r[2]['event']];
        }, $logger->records));

        $throwing = new class {
            /** @param mixed $level @param array<string, mixed> $context */
            public function log($level, $message, array $context = []): void
            {
                throw new \RuntimeException('the shop logger failed');
            }
        };
        $client = new Client(Support::merchant(), ['endpoint' => $this->sandbox() . '/ips/cmpayService', 'allow_http' => true, 'logger' => $throwing, 'log_level' => 'debug']);
        $this->expectException(\Cmpay\Exception\GatewayException::class);
        $client->queryOrder('NOSUCHORDER' . getmypid());
    }

    public function testClientFromEnv(): void
    {
        $keyFile = tempnam(sys_get_temp_dir(), 'cmpay-key');
        file_put_contents($keyFile, "\xEF\xBB\xBF" . Support::key() . "\r\n"); // a BOM and CRLF, as Notepad saves it
        $vars = [
            'CMPAY_MERCHANT_ID' => '888009941120001',
            'CMPAY_SIGN_KEY_FILE' => $keyFile,
            'CMPAY_ENDPOINT' => $this->sandbox() . '/ips/cmpayService',
            'CMPAY_ALLOW_HTTP' => '1',
            'CMPAY_TIMEOUT_MS' => '10000',
        ];
        $cleared = ['CMPAY_SIGN_KEY', 'CMPAY_RSA_PRIVATE_KEY_FILE', 'CMPAY_RSA_PUBLIC_KEY_FILE', 'CMPAY_PRIVATE_KEY_FILE', 'CMPAY_GATEWAY_KEY_FILE', 'CMPAY_CHARSET', 'CMPAY_PROXY', 'CMPAY_EXTRA_CA_FILE', 'CMPAY_CONNECT_TIMEOUT_MS'];
        $saved = [];
        foreach (array_merge(array_keys($vars), $cleared) as $name) {
            $saved[$name] = getenv($name);
        }
        try {
            foreach ($cleared as $name) {
                putenv($name);
            }
            foreach ($vars as $name => $value) {
                putenv("$name=$value");
            }
            $client = Client::fromEnv();
            $query = ['requestId' => 'r1', 'orderId' => 'o1'];
            $this->assertSame(Support::merchant()->signQuery($query)->hmac(), $client->merchant()->signQuery($query)->hmac());
            try {
                // Signed with the key from the file: the sandbox verifies it and answers "no such order".
                $client->queryOrder('NOSUCHORDER' . getmypid());
                $this->fail('no gateway error');
            } catch (GatewayException $e) {
                $this->assertSame('RPM22201', $e->getReturnCode());
            }
            putenv('CMPAY_TIMEOUT_MS=ten seconds');
            try {
                Client::fromEnv();
                $this->fail('a bad timeout was accepted');
            } catch (\Cmpay\Exception\InvalidInputException $e) {
                $this->assertStringContainsString('CMPAY_TIMEOUT_MS', $e->getMessage());
            }
            putenv('CMPAY_TIMEOUT_MS=10000');
            file_put_contents($keyFile, Support::key() . " \n");
            try {
                Client::fromEnv();
                $this->fail('a key file with a space was accepted');
            } catch (\Cmpay\Exception\InvalidKeyException $e) {
                $this->assertStringContainsString('CMPAY_SIGN_KEY_FILE', $e->getMessage());
                $this->assertStringContainsString($keyFile, $e->getMessage());
                $this->assertStringNotContainsString(Support::key(), $e->getMessage());
            }
        } finally {
            foreach ($saved as $name => $value) {
                putenv($value === false ? $name : "$name=$value");
            }
            unlink($keyFile);
        }
    }

    public function testABadLoggerOptionIsRefused(): void
    {
        $this->expectException(\Cmpay\Exception\InvalidInputException::class);
        new Client(Support::merchant(), ['logger' => new \stdClass()]);
    }
}

/** A PSR-3-shaped logger (only log() is needed) that keeps every record. */
final class RecordingLogger
{
    /** @var array<int, array{0: string, 1: string, 2: array<string, mixed>}> */
    public $records = [];

    /** @param mixed $level @param array<string, mixed> $context */
    public function log($level, $message, array $context = []): void
    {
        $this->records[] = [(string) $level, (string) $message, $context];
    }

    /**
     * The first record of $event whose message holds every needle.
     *
     * @param string[] $needles
     * @return array{0: string, 1: string, 2: array<string, mixed>}
     */
    public function find(string $event, array $needles): array
    {
        foreach ($this->records as $r) {
            if (($r[2]['event'] ?? '') !== $event) {
                continue;
            }
            foreach ($needles as $n) {
                if (strpos($r[1], $n) === false) {
                    continue 2;
                }
            }
            return $r;
        }
        throw new \RuntimeException("no $event record with " . implode(', ', $needles) . ' in ' . json_encode($this->records));
    }
}
