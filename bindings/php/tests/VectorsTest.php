<?php

declare(strict_types=1);

namespace Cmpay\Tests;

use Cmpay\AmtItem;
use Cmpay\Exception\AmbiguousException;
use Cmpay\Exception\FieldException;
use Cmpay\Exception\GatewayException;
use Cmpay\Exception\InvalidInputException;
use Cmpay\Exception\SignatureException;
use Cmpay\MessageKind;
use Cmpay\Merchant;
use Cmpay\OrderStatus;
use Cmpay\Status;
use PHPUnit\Framework\TestCase;

/** The shared vectors (tests/data/cmpay-vectors.json), through the binding. */
final class VectorsTest extends TestCase
{
    /** @return array<string, array{0: array<string, mixed>}> */
    public function md5Vectors(): array
    {
        return Support::ofKind('md5_sign');
    }

    /**
     * @dataProvider md5Vectors
     * @param array<string, mixed> $v
     */
    public function testMd5Primitive(array $v): void
    {
        // The hmac over exactly the given fields: one field whose value is the source.
        $params = $v['source'] === '' ? [] : ['merchantId' => $v['source']];
        $this->assertSame($v['hmac'], Support::merchant()->hmac(MessageKind::QUERY_REQUEST, $params));
    }

    /** @return array<string, array{0: array<string, mixed>}> */
    public function orderVectors(): array
    {
        return Support::ofKind('order_request');
    }

    /**
     * @dataProvider orderVectors
     * @param array<string, mixed> $v
     */
    public function testOrderRequest(array $v): void
    {
        $m = Support::merchant();
        $signed = $m->signOrder($v['params']);
        $this->assertSame($v['hmac'], $signed->hmac());
        $this->assertSame($v['source'], $signed->source());
        $this->assertSame($v['form_body'], $signed->body());
        $this->assertSame($v['content_type'], $signed->contentType());
        $this->assertSame($v['params']['productName'], $signed->field('productName'));
        $this->assertSame($v['hmac'], $signed->field('hmac'));
        $this->assertNull($signed->field('merchantCert'));
        $this->assertNull($signed->field('noSuchField'));
        $this->assertSame($v['hmac'], $m->hmac(MessageKind::ORDER_REQUEST, $v['params']));
        $m->verify(MessageKind::ORDER_REQUEST, $v['form_body']);
    }

    public function testOrderRequestDefaultsAndInts(): void
    {
        $v = Support::vector('order-request-md5-charset00');
        $params = $v['params'];
        foreach (['merchantId', 'signType', 'type', 'version', 'characterSet', 'currency'] as $name) {
            unset($params[$name]);
        }
        $params['amount'] = 12800;
        $signed = Support::merchant()->signRequest(MessageKind::ORDER_REQUEST, $params);
        $this->assertSame($v['hmac'], $signed->hmac());
        $this->assertSame('DirectPayConfirm', $signed->field('type'));
    }

    public function testOrderRequestRsa(): void
    {
        $v = Support::vector('order-request-rsa');
        $m = Merchant::rsa(Support::MERCHANT_ID, Support::keyFile('merchant_private_pkcs8.pem'), Support::keyFile('platform_public.pem'));
        $signed = $m->signOrder($v['params']);
        $this->assertSame($v['hmac'], $signed->hmac());
        $this->assertSame($v['source'], $signed->source());
        $this->assertMatchesRegularExpression('/^[0-9a-fA-F]+$/', (string) $signed->field('merchantCert'));
        $body = $signed->body();

        $pkcs1 = Merchant::rsa(Support::MERCHANT_ID, Support::keyFile('merchant_private_pkcs1.pem'), Support::keyFile('platform_cert.pem'));
        $this->assertSame($v['hmac'], $pkcs1->signOrder($v['params'])->hmac());

        // The gateway's side verifies with the merchant's public key.
        $gateway = Merchant::rsa(Support::MERCHANT_ID, Support::keyFile('platform_private_pkcs8.pem'), Support::keyFile('merchant_public.pem'));
        $gateway->verify(MessageKind::ORDER_REQUEST, $body);
        $this->expectException(SignatureException::class);
        $gateway->verify(MessageKind::ORDER_REQUEST, str_replace('amount=12800', 'amount=12801', $body));
    }

    public function testOrderResponseOk(): void
    {
        $v = Support::vector('order-response-ok');
        $m = Support::merchant();
        $m->verify(MessageKind::ORDER_RESPONSE, $v['body']);
        $r = $m->parseResponse(MessageKind::ORDER_RESPONSE, $v['body']);
        $pay = $r->payUrl();
        $this->assertSame($v['pay_url']['url'], $pay->url);
        $this->assertSame($v['pay_url']['method'], $pay->method);
        $this->assertSame($v['pay_url']['sessionId'], $pay->sessionId);
        $this->assertSame($v['redirect_get'], $r->redirectUrl());
        $html = $r->htmlForm();
        $this->assertStringContainsString('<form', $html);
        $this->assertStringContainsString('<html lang="zh-CN">', $html);
        $this->assertStringContainsString($v['pay_url']['sessionId'], $html);
        $this->assertSame('000000', $r->field('returnCode'));
        $this->assertNull($r->field('nothing'));
        $fields = $r->fields();
        $this->assertSame(['merchantId', 'requestId', 'signType'], array_slice(array_keys($fields), 0, 3));
        $this->assertSame(Support::MERCHANT_ID, $fields['merchantId']);
        $this->assertStringStartsWith('url<hi:=>https://', $fields['payUrl']);
    }

    public function testOrderResponseTampered(): void
    {
        $body = Support::vector('order-response-tampered')['body'];
        try {
            Support::merchant()->parseResponse(MessageKind::ORDER_RESPONSE, $body);
            $this->fail('tampered response accepted');
        } catch (SignatureException $e) {
            $this->assertSame(Status::SIGNATURE_MISMATCH, $e->getCode());
            $this->assertSame('CMPAY_SIGNATURE_MISMATCH', $e->getStatusName());
            $this->assertNotSame('', $e->getMessage());
        }
        $this->expectException(SignatureException::class);
        Support::merchant()->verify(MessageKind::ORDER_RESPONSE, $body);
    }

    public function testOrderResponseGatewayError(): void
    {
        $v = Support::vector('order-response-gateway-error');
        Support::merchant()->verify(MessageKind::ORDER_RESPONSE, $v['body']);
        try {
            Support::merchant()->parseResponse(MessageKind::ORDER_RESPONSE, $v['body']);
            $this->fail('gateway error not raised');
        } catch (GatewayException $e) {
            $this->assertSame('IPS0008', $e->getReturnCode());
            $this->assertSame(Status::GATEWAY, $e->getStatus());
            $this->assertSame('CMPAY_GATEWAY', $e->getStatusName());
        }
    }

    /** @return array<string, array{0: string}> */
    public function notifyNames(): array
    {
        return ['PageNotify' => ['notify-PageNotify'], 'OfflineNotify' => ['notify-OfflineNotify']];
    }

    /** @dataProvider notifyNames */
    public function testNotification(string $name): void
    {
        $v = Support::vector($name);
        $n = Support::merchant()->parseNotification($v['form_body']);
        $fields = $n->fields();
        foreach ($v['fields'] as $k => $value) {
            $this->assertSame($value, $fields[$k], $k);
            $this->assertSame($value, $n->field($k), $k);
        }
        $this->assertSame($v['fields']['type'], $n->type());
        $this->assertSame($v['fields']['payNo'], $n->payNo());
        $this->assertSame('ORD20261125000001', $n->orderId());
        $this->assertSame(Support::MERCHANT_ID, $n->merchantId());
        $this->assertSame(12800, $n->amount());
        $a = $v['amt_item'];
        $this->assertEquals(new AmtItem($a['CNY_AMT'], $a['CMY_AMT'], $a['RED_AMT'], $a['VCH_AMT'], $a['POT_CHG_AMT']), $n->amtItem());
        $this->assertSame(12, $n->feeFen());
        $this->assertTrue($n->isPaid());
        $this->assertSame('SUCCESS', $n->ack());
        Support::merchant()->verify(MessageKind::NOTIFY, $v['form_body']);
    }

    /**
     * The vectors' genuine notification is ambiguous (docs/resplit.md): its mobile
     * (138****8000) and bankAbbr (ICBC) can slide into orderId, and its
     * orderId's tail into the fields after it, with the same signature.
     * checkOrder refuses it until the shop has ruled out every other order id.
     *
     * @dataProvider notifyNames
     */
    public function testNotificationIsAmbiguousUntilTheOtherOrdersAreRuledOut(string $name): void
    {
        $n = Support::merchant()->parseNotification(Support::vector($name)['form_body']);
        $this->assertTrue($n->isAmbiguous());
        $this->assertFalse($n->isConfirmed());
        $others = $n->otherOrderIds();
        $this->assertSame(['138****8000ORD', '138****8000ORD20261125000001', 'ICBC138****8000ORD', 'ICBC138****8000ORD20261125000001', 'ORD'], $others);
        $readings = $n->otherReadings();
        $this->assertCount(count($others), $readings);
        foreach ($others as $i => $id) {
            $this->assertStringContainsString(' orderId=' . $id . ' ', $readings[$i]);
            $this->assertStringContainsString('type=' . $n->type() . ' amount=12800 ', $readings[$i]);
            $this->assertStringContainsString('payNo=' . $n->payNo() . ' ', $readings[$i]);
        }
        foreach ($others as $i => $id) {
            try {
                $n->checkOrder(Support::MERCHANT_ID, 'ORD20261125000001', 12800);
                $this->fail('an ambiguous notification passed checkOrder with ' . $i . ' order ids ruled out');
            } catch (AmbiguousException $e) {
                $this->assertSame(Status::AMBIGUOUS, $e->getCode());
                $this->assertSame('CMPAY_AMBIGUOUS', $e->getStatusName());
                // The message names the readings not yet ruled out (and may name the others).
                $this->assertStringContainsString('orderId=' . $id . ' ', $e->getMessage());
            }
            $this->assertTrue($n->isAmbiguous());
            $n->ruleOut($id);
            $n->ruleOut($id); // again: no harm
        }
        $this->assertFalse($n->isAmbiguous());
        $this->assertFalse($n->isConfirmed());
        $this->assertSame($readings, $n->otherReadings()); // still listed, ruled out
        $n->checkOrder(Support::MERCHANT_ID, 'ORD20261125000001', 12800);
        // A mismatch is still a mismatch.
        $this->expectException(FieldException::class);
        $n->checkOrder(Support::MERCHANT_ID, 'ORD20261125000001', 12801);
    }

    /** @dataProvider notifyNames */
    public function testRuleOutOnlyWhatAnotherReadingNames(string $name): void
    {
        $n = Support::merchant()->parseNotification(Support::vector($name)['form_body']);
        foreach (['ORD20261125000001', 'ORD-NOT-READ', 'ORD2026112500000'] as $id) {
            try {
                $n->ruleOut($id);
                $this->fail('ruled out ' . $id);
            } catch (InvalidInputException $e) {
                $this->assertSame(Status::INVALID_ARGUMENT, $e->getCode());
            }
        }
        $this->assertTrue($n->isAmbiguous());
        // Ruling out on one notification says nothing about another of the same body.
        foreach ($n->otherOrderIds() as $id) {
            $n->ruleOut($id);
        }
        $again = Support::merchant()->parseNotification(Support::vector($name)['form_body']);
        $this->assertFalse($n->isAmbiguous());
        $this->assertTrue($again->isAmbiguous());
        $this->expectException(AmbiguousException::class);
        $again->checkOrder(Support::MERCHANT_ID, 'ORD20261125000001', 12800);
    }

    public function testNotificationForAnotherMerchantIsRefused(): void
    {
        $m = Merchant::md5('888009941120002', Support::key());
        try {
            $m->parseNotification(Support::vector('notify-OfflineNotify')['form_body']);
            $this->fail('a notification for merchant 888009941120001 parsed for 888009941120002');
        } catch (FieldException $e) {
            $this->assertSame('merchantId', $e->getField());
        }
    }

    /** @dataProvider notifyNames */
    public function testNotificationCheckOrderMismatch(string $name): void
    {
        $n = Support::merchant()->parseNotification(Support::vector($name)['form_body']);
        $cases = [
            'amount' => [Support::MERCHANT_ID, 'ORD20261125000001', 12801],
            'orderId' => [Support::MERCHANT_ID, 'ORD-OTHER', 12800],
            'merchantId' => ['888009941120002', 'ORD20261125000001', 12800],
        ];
        foreach ($cases as $field => [$merchantId, $orderId, $amount]) {
            try {
                $n->checkOrder($merchantId, $orderId, $amount);
                $this->fail('mismatch on ' . $field . ' accepted');
            } catch (FieldException $e) {
                $this->assertSame($field, $e->getField());
                $this->assertSame(Status::FIELD_INVALID, $e->getCode());
                $this->assertInstanceOf(InvalidInputException::class, $e);
            }
        }
    }

    /** @return array<string, array{0: string}> */
    public function tamperedNames(): array
    {
        return [
            'PageNotify' => ['notify-PageNotify-tampered-amount'],
            'OfflineNotify' => ['notify-OfflineNotify-tampered-amount'],
        ];
    }

    /** @dataProvider tamperedNames */
    public function testNotificationTampered(string $name): void
    {
        $body = Support::vector($name)['form_body'];
        try {
            Support::merchant()->parseNotification($body);
            $this->fail('tampered notification accepted');
        } catch (SignatureException $e) {
            $this->assertSame(Status::SIGNATURE_MISMATCH, $e->getCode());
        }
        $this->expectException(SignatureException::class);
        Support::merchant()->verify(MessageKind::NOTIFY, $body);
    }

    public function testNotificationWrongKey(): void
    {
        $m = Merchant::md5(Support::MERCHANT_ID, strrev(Support::key()));
        $this->expectException(SignatureException::class);
        $m->parseNotification(Support::vector('notify-OfflineNotify')['form_body']);
    }

    public function testQueryAndRefundRequests(): void
    {
        $m = Support::merchant();
        foreach (['query-request' => MessageKind::QUERY_REQUEST, 'refund-request' => MessageKind::REFUND_REQUEST] as $name => $kind) {
            $v = Support::vector($name);
            $signed = $kind === MessageKind::QUERY_REQUEST ? $m->signQuery($v['params']) : $m->signRefund($v['params']);
            $this->assertSame($v['hmac'], $signed->hmac());
            $this->assertSame($v['source'], $signed->source());
            $this->assertStringContainsString('charset=UTF-8', $signed->contentType());
            $this->assertStringEndsWith('&hmac=' . $v['hmac'], $signed->body());
        }
    }

    public function testQueryAndRefundResponses(): void
    {
        $m = Support::merchant();
        foreach (['query-response' => MessageKind::QUERY_RESPONSE, 'refund-response' => MessageKind::REFUND_RESPONSE] as $name => $kind) {
            $v = Support::vector($name);
            $m->verify($kind, $v['body']);
            $r = $m->parseResponse($kind, $v['body']);
            $this->assertSame('SUCCESS', $r->field('status'));
            $this->assertSame('ORD20261125000001', $r->field('orderId'));
            try {
                $r->payUrl();
                $this->fail('payUrl of a ' . $kind);
            } catch (InvalidInputException $e) {
                $this->assertSame(Status::INVALID_ARGUMENT, $e->getCode());
            }
            try {
                $m->parseResponse($kind, str_replace('amount=12800', 'amount=12000', $v['body']));
                $this->fail('tampered ' . $kind . ' accepted');
            } catch (SignatureException $e) {
                $this->assertSame(Status::SIGNATURE_MISMATCH, $e->getCode());
            }
        }
        $q = $m->parseResponse(MessageKind::QUERY_RESPONSE, Support::vector('query-response')['body']);
        $this->assertSame('保留数据1', $q->field('reserved1'));
    }

    public function testQueryAnswerIsTyped(): void
    {
        $q = Support::merchant()->parseResponse(MessageKind::QUERY_RESPONSE, Support::vector('query-response')['body']);
        $this->assertSame(OrderStatus::PAID, $q->orderStatus());
        $this->assertSame(12800, $q->amount());
        $this->assertSame('201911250005378468', $q->payNo());
        $this->assertSame('ORD20261125000001', $q->orderId());
        $this->assertSame('888009941120001', $q->merchantId());
        $this->assertSame('2026-11-25 00:00:00 +08:00', $q->orderDate()->format('Y-m-d H:i:s P'));
        $this->assertSame('2026-11-25 10:30:55 +08:00', $q->payDate()->format('Y-m-d H:i:s P'));
    }

    public function testRefundAnswerIsTyped(): void
    {
        $r = Support::merchant()->parseResponse(MessageKind::REFUND_RESPONSE, Support::vector('refund-response')['body']);
        $this->assertSame(12800, $r->amount());
        $this->assertSame('201911250005383897', $r->payNo());
        $this->assertSame(OrderStatus::PAID, $r->orderStatus());
        $this->assertNull($r->orderDate());
        $this->assertNull($r->payDate());
    }

    /** The query-response vector with another status, signed again: the library decides the state. */
    public function testOrderStatusIsTheLibrarys(): void
    {
        $m = Support::merchant();
        foreach (['SUCCESS' => OrderStatus::PAID, 'FAILED' => OrderStatus::FAILED, 'WAIT' => OrderStatus::PENDING, '' => OrderStatus::PENDING] as $status => $expected) {
            $fields = [];
            foreach (explode('&', Support::vector('query-response')['body']) as $pair) {
                [$k, $v] = explode('=', $pair, 2);
                if ($k !== 'hmac') {
                    $fields[$k] = $k === 'status' ? $status : rawurldecode($v);
                }
            }
            $fields['hmac'] = $m->hmac(MessageKind::QUERY_RESPONSE, $fields);
            $r = $m->parseResponse(MessageKind::QUERY_RESPONSE, http_build_query($fields, '', '&', PHP_QUERY_RFC3986));
            $this->assertSame($expected, $r->orderStatus(), (string) $status);
        }
        $order = $m->parseResponse(MessageKind::ORDER_RESPONSE, Support::vector('order-response-ok')['body'], true);
        $this->assertNull($order->amount());
        $this->expectException(InvalidInputException::class);
        $order->orderStatus();
    }

    public function testNotificationDates(): void
    {
        $n = Support::merchant()->parseNotification(Support::vector('notify-OfflineNotify')['form_body']);
        $this->assertSame($n->field('orderDate'), $n->orderDate()->format('Ymd'));
        $this->assertSame($n->field('payDate'), $n->payDate()->format('YmdHis'));
    }

    public function testSignOrderFillsInARequestId(): void
    {
        $m = Support::merchant();
        $params = Support::vector('order-request-md5-charset02')['params'];
        unset($params['requestId']);
        $before = time();
        $a = (string) $m->signOrder($params)->field('requestId');
        $b = (string) $m->signOrder($params)->field('requestId');
        $q = (string) $m->signQuery(['orderId' => 'ORD1'])->field('requestId');
        $after = time();
        $this->assertNotSame($a, $b);
        $this->assertNotSame($b, $q);
        // UTC time to the millisecond, this process's id in hex, a counter;
        // each part ended by a lower-case letter: 20261206t17h16m19s711p4d2n17.
        foreach ([$a, $b, $q] as $id) {
            $this->assertSame(1, preg_match('/^([0-9]{8})t([0-9]{2})h([0-9]{2})m([0-9]{2})s[0-9]{1,3}p([0-9a-f]+)n[0-9]{1,5}$/', $id, $p), $id);
            $this->assertLessThanOrEqual(36, strlen($id));
            $this->assertStringNotContainsString('000000', $id); // never reads as a return code
            $this->assertSame(dechex((int) getmypid()), $p[5], $id);
            $at = \DateTimeImmutable::createFromFormat('!YmdHis', $p[1] . $p[2] . $p[3] . $p[4], new \DateTimeZone('UTC'));
            $this->assertNotFalse($at, $id);
            $this->assertGreaterThanOrEqual($before - 1, $at->getTimestamp(), $id);
            $this->assertLessThanOrEqual($after, $at->getTimestamp(), $id);
        }
        $given = Support::vector('order-request-md5-charset02')['params'];
        $this->assertSame($given['requestId'], $m->signOrder($given)->field('requestId'));
    }
}
