<?php

declare(strict_types=1);

namespace Cmpay\Tests;

use Cmpay\Client;
use Cmpay\Exception\AmbiguousException;
use Cmpay\Exception\CmpayException;
use Cmpay\Exception\FieldException;
use Cmpay\Exception\ForgeableSourceException;
use Cmpay\Exception\GatewayException;
use Cmpay\Exception\InternalException;
use Cmpay\Exception\InvalidInputException;
use Cmpay\Exception\InvalidKeyException;
use Cmpay\Exception\LibraryNotFoundException;
use Cmpay\Exception\NetworkException;
use Cmpay\Exception\NotFoundException;
use Cmpay\Exception\ParseException;
use Cmpay\Exception\SignatureException;
use Cmpay\Exception\NetworkTimeoutException;
use Cmpay\Exception\NotConfirmedException;
use Cmpay\Exception\TimeoutException;
use Cmpay\Exception\TlsException;
use Cmpay\Kind;
use Cmpay\MessageKind;
use Cmpay\Library;
use Cmpay\Merchant;
use Cmpay\Status;
use FFI;
use PHPUnit\Framework\TestCase;

/** Error mapping: every status becomes its exception, with code and message. */
final class ErrorsTest extends TestCase
{
    public function testHierarchy(): void
    {
        $this->assertTrue(is_subclass_of(FieldException::class, InvalidInputException::class));
        $this->assertTrue(is_subclass_of(InvalidKeyException::class, InvalidInputException::class));
        $this->assertTrue(is_subclass_of(ForgeableSourceException::class, InvalidInputException::class));
        $this->assertTrue(is_subclass_of(NetworkTimeoutException::class, NetworkException::class));
        $this->assertTrue(is_subclass_of(NetworkTimeoutException::class, TimeoutException::class)); // the 0.1.0 name still catches it
        $this->assertTrue(is_subclass_of(TlsException::class, NetworkException::class));
        foreach ([InvalidInputException::class, SignatureException::class, ParseException::class, GatewayException::class,
                  AmbiguousException::class, NotConfirmedException::class, NetworkException::class, NotFoundException::class, InternalException::class, LibraryNotFoundException::class] as $class) {
            $this->assertTrue(is_subclass_of($class, CmpayException::class), $class);
        }
        $this->assertTrue(is_subclass_of(CmpayException::class, \RuntimeException::class));
    }

    /** Each status, as check() maps it (the message comes from the library's last error). */
    public function testCheckMapsEveryStatus(): void
    {
        // Every status of Status (scripts/check-statuses.py holds it to the C
        // header, and Library's mapping to the other bindings and the docs):
        // each has an exception of its own; only PANIC, and numbers this
        // version does not know, are internal.
        $statuses = array_values(array_diff((new \ReflectionClass(Status::class))->getConstants(), [Status::OK]));
        Library::check(Status::OK);
        foreach (array_merge($statuses, [9999]) as $status) {
            try {
                Library::check($status);
                $this->fail('no exception for ' . $status);
            } catch (CmpayException $e) {
                $internal = $status === Status::PANIC || $status === 9999;
                $this->assertSame($internal, get_class($e) === InternalException::class, (string) $status);
                $this->assertSame($status, $e->getCode());
                $this->assertNotSame('', $e->getMessage());
                if ($status !== 9999) {
                    $this->assertSame(Status::name($status), $e->getStatusName());
                }
            }
        }
    }

    public function testStatusNamesMatchLibrary(): void
    {
        $constants = (new \ReflectionClass(Status::class))->getConstants();
        foreach ($constants as $name => $value) {
            $this->assertSame('CMPAY_' . $name, Status::name($value));
        }
    }

    /** Both ways: no number the library names is missing from Status. */
    public function testStatusListIsTheLibrarys(): void
    {
        $named = [];
        for ($n = 0; $n < 1024; $n++) {
            if (Status::name($n) !== 'CMPAY_UNKNOWN') {
                $named[] = $n;
            }
        }
        $this->assertSame($named, array_values((new \ReflectionClass(Status::class))->getConstants()));
    }

    public function testKindIsTheOldNameOfMessageKind(): void
    {
        $this->assertSame(MessageKind::NOTIFY, Kind::NOTIFY);
        $this->assertSame(MessageKind::class, (new \ReflectionClass(Kind::class))->getName());
    }

    /** A null where a value is required is PHP's own TypeError, before any native call. */
    public function testNullArgumentsAreTypeErrors(): void
    {
        $m = Support::merchant();
        $n = $m->parseNotification(Support::vector('notify-OfflineNotify')['form_body']);
        $calls = [
            static function () { Merchant::md5(null, 'k'); },
            static function () use ($m) { $m->signOrder(null); },
            static function () use ($m) { $m->signRequest(null, []); },
            static function () use ($m) { $m->parseNotification(null); },
            static function () use ($m) { $m->parseResponse(MessageKind::QUERY_RESPONSE, null); },
            static function () use ($m) { $m->verify(MessageKind::NOTIFY, null); },
            static function () use ($n) { $n->field(null); },
            static function () use ($n) { $n->checkOrder('888009941120001', null, 1); },
            static function () use ($n) { $n->checkOrder('888009941120001', 'O', null); },
            static function () { new Client(null); },
        ];
        foreach ($calls as $i => $call) {
            try {
                $call();
                $this->fail('no TypeError for call ' . $i);
            } catch (\TypeError $e) {
                $this->assertStringContainsString('null', $e->getMessage(), (string) $i);
            }
        }
    }

    public function testNullPointerAndInvalidUtf8FromTheLibrary(): void
    {
        $ffi = Library::ffi();
        $out = $ffi->new('cmpay_merchant *');
        $status = $ffi->cmpay_merchant_new_md5(null, Support::key(), FFI::addr($out));
        $this->assertSame(Status::NULL_POINTER, $status);
        try {
            Library::check($status);
        } catch (InvalidInputException $e) {
            $this->assertSame('CMPAY_NULL_POINTER', $e->getStatusName());
            $this->assertNotSame('', $e->getMessage());
        }
        $this->expectException(InvalidInputException::class);
        $this->expectExceptionCode(Status::INVALID_UTF8);
        Merchant::md5("8880\xff", Support::key());
    }

    public function testBadMd5Key(): void
    {
        foreach (['', Support::key() . "\n"] as $key) {
            try {
                Merchant::md5(Support::MERCHANT_ID, $key);
                $this->fail('bad key accepted');
            } catch (InvalidKeyException $e) {
                $this->assertSame(Status::KEY, $e->getCode());
                $this->assertNotSame('', $e->getMessage());
            }
        }
    }

    public function testBadRsaKeys(): void
    {
        try {
            Merchant::rsa(Support::MERCHANT_ID, 'not a key', Support::keyFile('platform_public.pem'));
            $this->fail('bad key accepted');
        } catch (InvalidKeyException $e) {
            $this->assertSame(Status::KEY, $e->getCode());
            $this->assertSame('CMPAY_KEY', $e->getStatusName());
        }
        $this->expectException(InvalidKeyException::class);
        Merchant::rsa(Support::MERCHANT_ID, Support::keyFile('merchant_private_pkcs8.pem'), '');
    }

    public function testBadMerchantId(): void
    {
        $this->expectException(InvalidInputException::class);
        Merchant::md5(str_repeat('x', 51), Support::key());
    }

    public function testUnknownKind(): void
    {
        try {
            Support::merchant()->signRequest('order', ['amount' => '1']);
            $this->fail('unknown kind accepted');
        } catch (InvalidInputException $e) {
            $this->assertSame(Status::INVALID_ARGUMENT, $e->getCode());
        }
        $this->expectException(InvalidInputException::class);
        Support::merchant()->signRequest(MessageKind::ORDER_RESPONSE, []);
    }

    public function testUnknownField(): void
    {
        $params = Support::vector('order-request-md5-charset02')['params'] + ['colour' => 'red'];
        $this->expectException(InvalidInputException::class);
        $this->expectExceptionMessageMatches('/colour/');
        Support::merchant()->signOrder($params);
    }

    /**
     * A request whose signature source reads as a message the gateway sends
     * (here a FAILED PageNotify: the requestId carries what follows
     * merchantId in a notification, the orderId ends in FAILED) is not
     * signed: its hmac would forge that notification.
     */
    public function testForgeableSourceIsNotSigned(): void
    {
        $m = Support::merchant();
        try {
            $m->signQuery(['requestId' => 'P1000000SUCCESSMD5PageNotify2.0.01', 'orderId' => 'xFAILED']);
            $this->fail('a source that reads as a notification was signed');
        } catch (ForgeableSourceException $e) {
            $this->assertSame(Status::FORGEABLE_SOURCE, $e->getCode());
            $this->assertSame('CMPAY_FORGEABLE_SOURCE', $e->getStatusName());
            $this->assertStringContainsString('notify', $e->getMessage());
        }
        $this->assertSame('ORD1', $m->signQuery(['requestId' => 'R1', 'orderId' => 'ORD1'])->field('orderId'));
    }

    public function testFieldErrorCarriesGatewayCode(): void
    {
        $params = ['productName' => ''] + Support::vector('order-request-md5-charset02')['params'];
        try {
            Support::merchant()->signOrder($params);
            $this->fail('empty productName accepted');
        } catch (FieldException $e) {
            $this->assertSame('productName', $e->getField());
            $this->assertSame('MCG01033', $e->getReturnCode());
            $this->assertSame(Status::FIELD_INVALID, $e->getCode());
        }
        $params = ['periodUnit' => '09'] + Support::vector('order-request-md5-charset02')['params'];
        try {
            Support::merchant()->signOrder($params);
            $this->fail('bad periodUnit accepted');
        } catch (FieldException $e) {
            $this->assertSame(['periodUnit', 'MCG01030'], [$e->getField(), $e->getReturnCode()]);
        }
    }

    public function testTextTheCharsetCannotHold(): void
    {
        $params = ['productName' => '😀'] + Support::vector('order-request-md5-charset00')['params'];
        try {
            Support::merchant()->signOrder($params);
            $this->fail('emoji in GBK accepted');
        } catch (CmpayException $e) {
            $this->assertTrue($e->getField() === 'productName' || strpos($e->getMessage(), 'productName') !== false, $e->getMessage());
        }
    }

    public function testWrapperRefusesAlteredText(): void
    {
        foreach ([
            static function (): void {
                Merchant::md5(Support::MERCHANT_ID . "\0", Support::key());
            },
            static function (): void {
                Support::merchant()->signOrder(['amount' => 1.5]);
            },
            static function (): void {
                Support::merchant()->signOrder(['amount' => true]);
            },
            static function (): void {
                Support::merchant()->signOrder([0 => 'x']);
            },
        ] as $i => $call) {
            try {
                $call();
                $this->fail('case ' . $i . ' accepted');
            } catch (InvalidInputException $e) {
                $this->assertSame(Status::INVALID_ARGUMENT, $e->getCode());
            }
        }
    }

    public function testParseErrors(): void
    {
        $m = Support::merchant();
        try {
            $m->parseNotification('a=1&a=2');
            $this->fail('duplicate field accepted');
        } catch (ParseException $e) {
            $this->assertSame(Status::PARSE, $e->getCode());
        }
        try {
            $m->parseResponse(MessageKind::ORDER_RESPONSE, str_repeat('x', 70 * 1024));
            $this->fail('oversized body accepted');
        } catch (ParseException $e) {
            $this->assertSame(Status::PARSE, $e->getCode());
        }
        foreach (['garbage', '', Support::vector('notify-OfflineNotify')['form_body'] . "\0junk"] as $body) {
            try {
                $m->parseNotification($body);
                $this->fail('accepted ' . $body);
            } catch (CmpayException $e) {
                $this->assertContains($e->getCode(), [Status::PARSE, Status::SIGNATURE_MISMATCH]);
            }
        }
    }

    public function testNegativeAmount(): void
    {
        $n = Support::merchant()->parseNotification(Support::vector('notify-OfflineNotify')['form_body']);
        $this->expectException(InvalidInputException::class);
        $n->checkOrder(Support::MERCHANT_ID, 'ORD20261125000001', -1);
    }

    // ---------------------------------------------------------------- network

    public function testConnectionRefused(): void
    {
        $client = new Client(Support::merchant(), [
            'endpoint' => 'http://127.0.0.1:' . Support::freePort() . '/ips/cmpayService',
            'allow_http' => true,
            'timeout_ms' => 2000,
        ]);
        try {
            $client->queryOrder('ORD1');
            $this->fail('no error');
        } catch (NetworkException $e) {
            $this->assertSame(Status::TRANSPORT, $e->getCode());
        }
    }

    public function testTimeout(): void
    {
        $server = stream_socket_server('tcp://127.0.0.1:0');
        $this->assertNotFalse($server);
        $name = (string) stream_socket_get_name($server, false);
        $client = new Client(Support::merchant(), [
            'endpoint' => 'http://' . $name . '/ips/cmpayService',
            'allow_http' => true,
            'timeout_ms' => 300,
            'connect_timeout_ms' => 300,
        ]);
        try {
            $client->queryOrder('ORD1'); // the kernel accepts; nobody answers
            $this->fail('no timeout');
        } catch (NetworkTimeoutException $e) {
            $this->assertSame(Status::TIMEOUT, $e->getCode());
            $this->assertInstanceOf(NetworkException::class, $e);
        } finally {
            fclose($server);
        }
    }

    public function testTlsHandshakeNeverCompletes(): void
    {
        $server = stream_socket_server('tcp://127.0.0.1:0');
        $name = (string) stream_socket_get_name($server, false);
        $client = new Client(Support::merchant(), ['endpoint' => 'https://' . $name . '/ips/cmpayService', 'timeout_ms' => 300, 'connect_timeout_ms' => 300]);
        try {
            $client->refund('ORD1', 100);
            $this->fail('no error');
        } catch (NetworkException $e) {
            $this->assertContains($e->getCode(), [Status::TLS, Status::TIMEOUT, Status::TRANSPORT]);
        } finally {
            fclose($server);
        }
    }

    public function testHttpRefusedWithoutAllowHttp(): void
    {
        $this->expectException(CmpayException::class);
        $client = new Client(Support::merchant(), ['endpoint' => 'http://127.0.0.1:9/ips/cmpayService']);
        $client->queryOrder('ORD1');
    }

    public function testBadConfig(): void
    {
        foreach ([['charset' => '99'], ['timeout_ms' => 'soon'], ['colour' => 'red'], ['ca_pem' => 'not a pem'], ['ca_pem' => [1]]] as $options) {
            try {
                new Client(Support::merchant(), $options);
                $this->fail('accepted ' . json_encode($options));
            } catch (CmpayException $e) {
                $this->assertNotSame('', $e->getMessage());
            }
        }
    }
}
