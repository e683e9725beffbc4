<?php

declare(strict_types=1);

namespace Cmpay\Tests;

use Cmpay\Exception\GatewayException;
use Cmpay\Exception\InvalidInputException;
use Cmpay\Exception\NetworkTimeoutException;
use Cmpay\Exception\NotFoundException;
use Cmpay\OrderStatus;
use Cmpay\Testing\Sandbox;
use Cmpay\Testing\SandboxTrait;
use PHPUnit\Framework\TestCase;

/** Cmpay\Testing\SandboxTrait: the simulator in this process pays an order, the query says paid. */
final class SandboxTraitTest extends TestCase
{
    use SandboxTrait;

    /** @return array<string, string> */
    private static function order(string $orderId, string $notifyUrl, int $amount = 2590): array
    {
        $today = date('Ymd');
        return [
            'callbackUrl' => 'https://shop.example.com/return',
            'notifyUrl' => $notifyUrl,
            'ipAddress' => '203.0.113.7',
            'amount' => (string) $amount,
            'orderDate' => $today,
            'orderId' => $orderId,
            'merAcDate' => $today,
            'period' => '30',
            'periodUnit' => '00',
            'productName' => '测试商品',
        ];
    }

    private static function orderId(string $prefix): string
    {
        return $prefix . substr(str_replace('.', '', (string) microtime(true)), -10) . random_int(100, 999);
    }

    public function testTheTraitPaysAnOrderAndTheQuerySaysPaid(): void
    {
        $sandbox = $this->cmpaySandbox();
        $client = $sandbox->client();
        $this->assertStringStartsWith('http://127.0.0.1:', $sandbox->endpoint());
        $this->assertStringEndsWith('/ips/cmpayService', $sandbox->endpoint());
        $this->assertNull($sandbox->caPem());
        $orderId = self::orderId('PHP');
        $created = $client->createOrder(self::order($orderId, $sandbox->notifyUrl()));
        $this->assertSame('000000', $created->field('returnCode'));

        $sandbox->pay($orderId);
        $attempts = $sandbox->waitNotified($orderId, 20.0);
        $this->assertCount(1, $attempts);
        $this->assertTrue($attempts[0]['acked']);
        $this->assertSame('SUCCESS', $attempts[0]['answer']);
        $this->assertSame($sandbox->notifyUrl(), $attempts[0]['url']);

        $answer = $client->queryOrder($orderId);
        $this->assertSame(OrderStatus::PAID, $answer->orderStatus());
        $this->assertSame(2590, $answer->amount());
        // The body POSTed is what the shop's notify handler would be given.
        $notification = $client->parseNotification($attempts[0]['body']);
        $this->assertSame($orderId, $notification->orderId());
        $this->assertSame('OfflineNotify', $notification->field('type'));
        $this->assertSame($answer->field('payNo'), $notification->field('payNo'));

        try {
            $sandbox->pay($orderId);
            $this->fail('paid twice');
        } catch (InvalidInputException $e) {
            $this->assertStringContainsString('already-paid', $e->getMessage());
        }
        $this->expectException(NotFoundException::class);
        $this->expectExceptionMessage('unknown-order');
        $sandbox->fail('NO-SUCH-ORDER');
    }

    public function testFailExpireAndAWaitThatTimesOut(): void
    {
        $sandbox = $this->cmpaySandbox();
        $client = $sandbox->client();
        $failed = self::orderId('PHF');
        $expired = self::orderId('PHE');
        $unheard = self::orderId('PHU');
        $client->createOrder(self::order($failed, $sandbox->notifyUrl()));
        $client->createOrder(self::order($expired, $sandbox->notifyUrl()));
        // Nobody listens on port 1: the notification is never acknowledged.
        $client->createOrder(self::order($unheard, 'http://127.0.0.1:1/notify'));

        $sandbox->fail($failed);
        $sandbox->waitNotified($failed);
        $this->assertSame(OrderStatus::FAILED, $client->queryOrder($failed)->orderStatus());

        $sandbox->expire($expired);
        try {
            $client->queryOrder($expired);
            $this->fail('an expired order was found');
        } catch (GatewayException $e) {
            $this->assertSame('RPM99981', $e->getReturnCode());
        }

        $sandbox->pay($unheard);
        try {
            $sandbox->waitNotified($unheard, 0.3);
            $this->fail('acknowledged by nobody');
        } catch (NetworkTimeoutException $e) {
            $this->assertStringContainsString('not acknowledged: ', $e->getMessage());
            $this->assertStringContainsString('127.0.0.1:1', $e->getMessage());
        }
        $attempts = $sandbox->deliveries($unheard);
        $this->assertCount(1, $attempts);
        $this->assertFalse($attempts[0]['acked']);
        $this->assertNull($attempts[0]['httpStatus']);
    }

    public function testOverHttpsWithoutTheTrait(): void
    {
        $sandbox = new Sandbox(true);
        $this->assertStringStartsWith('https://127.0.0.1:', $sandbox->endpoint());
        $this->assertStringContainsString('BEGIN CERTIFICATE', (string) $sandbox->caPem());
        $orderId = self::orderId('PHS');
        $sandbox->client()->createOrder(self::order($orderId, $sandbox->notifyUrl(), 100));
        $sandbox->pay($orderId);
        $sandbox->waitNotified($orderId);
        $this->assertSame(OrderStatus::PAID, $sandbox->client()->queryOrder($orderId)->orderStatus());
        $sandbox->close();
        $this->expectException(\LogicException::class);
        $sandbox->pay($orderId);
    }
}
