<?php

declare(strict_types=1);

namespace Cmpay;

use FFI;
use FFI\CData;

/**
 * A merchant at the gateway: its id, how it signs, and how it verifies what
 * the gateway sends. Immutable; the native object is freed with this one.
 */
final class Merchant
{
    /** @var CData cmpay_merchant* */
    private $ptr;

    private function __construct(CData $ptr)
    {
        $this->ptr = $ptr;
    }

    /** A merchant signing with MD5 and its 64-character signKey. */
    public static function md5(string $merchantId, string $signKey): self
    {
        $ffi = Library::ffi();
        $out = $ffi->new('cmpay_merchant *');
        Library::check($ffi->cmpay_merchant_new_md5(
            Library::text($merchantId, 'merchantId'),
            Library::text($signKey, 'signKey'),
            FFI::addr($out)
        ));
        return new self($out);
    }

    /**
     * A merchant signing with RSA (SHA1withRSA). Keys as PEM, DER, PKCS#1,
     * PKCS#8, X.509 certificate or hex. The gateway's key is what every answer
     * and notification is verified with (serverCert is never trusted).
     */
    public static function rsa(string $merchantId, string $privateKey, string $gatewayPublicKey, bool $allowLegacy1024 = false): self
    {
        $ffi = Library::ffi();
        $out = $ffi->new('cmpay_merchant *');
        Library::check($ffi->cmpay_merchant_new_rsa(
            Library::text($merchantId, 'merchantId'),
            $privateKey,
            strlen($privateKey),
            $gatewayPublicKey,
            strlen($gatewayPublicKey),
            $allowLegacy1024,
            FFI::addr($out)
        ));
        return new self($out);
    }

    /**
     * Completes (merchantId, signType, defaults), validates and signs a request
     * of kind MessageKind::ORDER_REQUEST, MessageKind::QUERY_REQUEST or MessageKind::REFUND_REQUEST.
     *
     * @param array<string, string|int> $params
     */
    public function signRequest(string $kind, array $params): SignedRequest
    {
        $ffi = Library::ffi();
        $body = Library::pairs($params);
        $out = $ffi->new('cmpay_signed_request *');
        Library::check($ffi->cmpay_merchant_sign_request($this->ptr, Library::text($kind, 'kind'), $body, strlen($body), FFI::addr($out)));
        return new SignedRequest($out);
    }

    /** @param array<string, string|int> $params */
    public function signOrder(array $params): SignedRequest
    {
        return $this->signRequest(MessageKind::ORDER_REQUEST, $params);
    }

    /** @param array<string, string|int> $params */
    public function signQuery(array $params): SignedRequest
    {
        return $this->signRequest(MessageKind::QUERY_REQUEST, $params);
    }

    /** @param array<string, string|int> $params */
    public function signRefund(array $params): SignedRequest
    {
        return $this->signRequest(MessageKind::REFUND_REQUEST, $params);
    }

    /**
     * The hmac over exactly the given fields of any kind: no defaults, no
     * validation (like `cmpay sign`).
     *
     * @param array<string, string|int> $params
     */
    public function hmac(string $kind, array $params): string
    {
        $ffi = Library::ffi();
        $body = Library::pairs($params);
        $out = $ffi->new('char *');
        Library::check($ffi->cmpay_merchant_hmac($this->ptr, Library::text($kind, 'kind'), $body, strlen($body), FFI::addr($out)));
        return Library::takeString($out);
    }

    /**
     * Verifies a received body of any kind exactly as it arrived. Throws
     * SignatureException or ParseException; returns when it holds.
     */
    public function verify(string $kind, string $body): void
    {
        Library::check(Library::ffi()->cmpay_merchant_verify($this->ptr, Library::text($kind, 'kind'), $body, strlen($body)));
    }

    /**
     * Parses and verifies a gateway answer (MessageKind::ORDER_RESPONSE,
     * QUERY_RESPONSE, REFUND_RESPONSE). A return code other than success
     * throws GatewayException.
     */
    public function parseResponse(string $kind, string $body): Response
    {
        $ffi = Library::ffi();
        $out = $ffi->new('cmpay_response *');
        Library::check($ffi->cmpay_response_parse($this->ptr, Library::text($kind, 'kind'), $body, strlen($body), FFI::addr($out)));
        return new Response($out);
    }

    /**
     * Parses and verifies a PageNotify/OfflineNotify body exactly as it arrived:
     * the raw POST body (file_get_contents('php://input')) or the raw query
     * string ($_SERVER['QUERY_STRING']) — never $_POST/$_GET re-encoded.
     * Only a verified notification for this merchant is returned (another
     * merchantId is a FieldException). Verified is not yet trustworthy: see
     * Notification::isAmbiguous().
     */
    public function parseNotification(string $body): Notification
    {
        $ffi = Library::ffi();
        $out = $ffi->new('cmpay_notification *');
        Library::check($ffi->cmpay_notification_parse($this->ptr, $body, strlen($body), FFI::addr($out)));
        return new Notification($out);
    }

    /** @internal the native handle, for Client. */
    public function handle(): CData
    {
        return $this->ptr;
    }

    public function __destruct()
    {
        Library::ffi()->cmpay_merchant_free($this->ptr);
    }

    /** @internal a merchant handle the library made (Client::fromEnv). */
    public static function fromHandle(CData $ptr): self
    {
        return new self($ptr);
    }

    private function __clone()
    {
    }
}
