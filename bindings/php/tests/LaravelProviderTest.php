<?php

declare(strict_types=1);

namespace Cmpay\Tests;

use Cmpay\Client;
use Cmpay\Exception\InvalidInputException;
use Cmpay\Exception\InvalidKeyException;
use Cmpay\Laravel\CmpayServiceProvider;
use Cmpay\Merchant;
use PHPUnit\Framework\TestCase;

/**
 * Cmpay\Laravel\CmpayServiceProvider's configuration in a Laravel
 * container (Debian's php-laravel-framework, /usr/share/php): the client and
 * merchant it binds, its log to a Laravel channel, and the configuration
 * errors. (Its notify route and migration run in a Laravel application:
 * tests/servers/test_frameworks.py.)
 */
final class LaravelProviderTest extends TestCase
{
    /** @var string */
    private $storage;

    public static function setUpBeforeClass(): void
    {
        if (!class_exists(\Illuminate\Foundation\Application::class) && is_file('/usr/share/php/Illuminate/autoload.php')) {
            require_once '/usr/share/php/Illuminate/autoload.php';
        }
    }

    protected function setUp(): void
    {
        if (!class_exists(\Illuminate\Foundation\Application::class)) {
            $this->markTestSkipped('Laravel is not installed (php-laravel-framework, scripts/install-deps.sh)');
        }
        $this->storage = sys_get_temp_dir() . '/cmpay-laravel-' . bin2hex(random_bytes(6));
        mkdir($this->storage);
    }

    protected function tearDown(): void
    {
        if ($this->storage !== null && is_dir($this->storage)) {
            rmdir($this->storage);
        }
    }

    /** @param array<string, mixed> $cmpay */
    private function app(array $cmpay): \Illuminate\Foundation\Application
    {
        $app = new \Illuminate\Foundation\Application($this->storage);
        $app->instance('config', new \Illuminate\Config\Repository([
            'cmpay' => $cmpay,
            'logging' => ['default' => 'test', 'channels' => ['test' => ['driver' => 'monolog', 'handler' => \Monolog\Handler\TestHandler::class]]],
        ]));
        $app->register(CmpayServiceProvider::class);
        return $app;
    }

    public function testClientAndMerchantFromTheConfiguration(): void
    {
        $app = $this->app(['merchant_id' => Support::MERCHANT_ID, 'sign_key' => Support::key(), 'timeout_ms' => '5000', 'allow_http' => '0']);
        $client = $app->make(Client::class);
        $this->assertSame($client, $app->make(Client::class));
        $this->assertSame($client->merchant(), $app->make(Merchant::class));
        $v = Support::vector('query-request');
        $this->assertSame($v['hmac'], $app->make(Merchant::class)->signQuery($v['params'])->hmac());
        $this->assertSame(Support::MERCHANT_ID, CmpayServiceProvider::merchantId($app));
    }

    public function testEveryExchangeLoggedToTheChannel(): void
    {
        $app = $this->app(['merchant_id' => Support::MERCHANT_ID, 'sign_key' => Support::key()]);
        $n = $app->make(Client::class)->parseNotification(Support::vector('notify-PageNotify')['form_body']);
        $this->assertSame('ORD20261125000001', $n->orderId());
        $handler = $app->make('log')->channel('test')->getLogger()->getHandlers()[0];
        $messages = array_map(static function ($r): string {
            return $r['message'];
        }, $handler->getRecords());
        $this->assertCount(1, $messages);
        $this->assertStringStartsWith('notify.verified ', $messages[0]);
        $this->assertStringContainsString('ORD20261125000001', $messages[0]);
        $this->assertStringNotContainsString(Support::key(), $messages[0]);
    }

    /** @return array<string, array{0: array<string, mixed>, 1: string, 2: string}> */
    public function badConfigurations(): array
    {
        return [
            'no key' => [['merchant_id' => Support::MERCHANT_ID], InvalidInputException::class,
                'cmpay.merchant_id is set but neither cmpay.sign_key nor both cmpay.rsa_private_key_file and cmpay.rsa_public_key_file'],
            'allow_http not a boolean' => [['merchant_id' => Support::MERCHANT_ID, 'sign_key' => Support::key(), 'allow_http' => 'maybe'],
                InvalidInputException::class, 'cmpay.allow_http must be true or false'],
            'unreadable key file' => [['merchant_id' => Support::MERCHANT_ID, 'rsa_private_key_file' => '/nonexistent/key.pem',
                'rsa_public_key_file' => '/nonexistent/gateway.pem'], InvalidKeyException::class, 'cmpay.rsa_private_key_file: cannot read /nonexistent/key.pem'],
            'bad timeout' => [['merchant_id' => Support::MERCHANT_ID, 'sign_key' => Support::key(), 'timeout_ms' => 'soon'],
                InvalidInputException::class, 'timeout_ms'],
        ];
    }

    /**
     * @dataProvider badConfigurations
     * @param array<string, mixed> $cmpay
     */
    public function testBadConfigurationIsAnError(array $cmpay, string $class, string $message): void
    {
        $app = $this->app($cmpay);
        try {
            $app->make(Client::class);
            $this->fail('no exception');
        } catch (InvalidInputException $e) {
            $this->assertInstanceOf($class, $e);
            $this->assertStringContainsString($message, $e->getMessage());
            $this->assertStringNotContainsString(Support::key(), $e->getMessage());
        }
    }
}
