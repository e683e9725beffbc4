<?php

declare(strict_types=1);

namespace Cmpay;

use Cmpay\Exception\InvalidInputException;
use FFI;
use FFI\CData;

/**
 * The network client: create order, query, confirm a notification, refund.
 * Immutable once built.
 *
 * Options (all optional; the library's defaults apply otherwise):
 *   endpoint            the gateway URL
 *   charset             "00" GBK, "01" GB2312, "02" UTF-8
 *   connect_timeout_ms  int
 *   timeout_ms          int
 *   proxy               e.g. "http://proxy.internal:3128"
 *   allow_http          bool, only for a test gateway
 *   ca_pem              string or string[]: extra trusted CA certificates (PEM)
 */
final class Client
{
    /** @var CData cmpay_client* */
    private $ptr;
    /** @var Merchant kept alive as long as the client */
    private $merchant;

    /** @param array<string, string|int|bool|string[]> $options */
    public function __construct(Merchant $merchant, array $options = [])
    {
        $ffi = Library::ffi();
        $config = $ffi->new('cmpay_config *');
        Library::check($ffi->cmpay_config_new(FFI::addr($config)));
        try {
            foreach ($options as $name => $value) {
                if ($name === 'ca_pem') {
                    foreach ((array) $value as $pem) {
                        if (!is_string($pem)) {
                            throw new InvalidInputException('ca_pem must be a PEM string or an array of them', Status::INVALID_ARGUMENT, 'CMPAY_INVALID_ARGUMENT');
                        }
                        Library::check($ffi->cmpay_config_add_ca_pem($config, $pem, strlen($pem)));
                    }
                    continue;
                }
                if (is_bool($value)) {
                    $value = $value ? 'true' : 'false';
                }
                Library::check($ffi->cmpay_config_set($config, Library::text((string) $name, 'option name'), Library::text($value, (string) $name)));
            }
            $out = $ffi->new('cmpay_client *');
            Library::check($ffi->cmpay_client_new($merchant->handle(), $config, FFI::addr($out)));
        } finally {
            $ffi->cmpay_config_free($config);
        }
        $this->ptr = $out;
        $this->merchant = $merchant;
    }

    public function merchant(): Merchant
    {
        return $this->merchant;
    }

    /**
     * Signs and sends a DirectPayConfirm (requestId filled in when absent) and
     * returns the verified answer; never retried blindly. On NetworkTimeoutException
     * the order may exist: query it before creating it again.
     *
     * @param array<string, string|int> $params
     */
    public function createOrder(array $params): Response
    {
        $ffi = Library::ffi();
        $body = Library::pairs($params);
        $out = $ffi->new('cmpay_response *');
        Library::check($ffi->cmpay_client_create_order($this->ptr, $body, strlen($body), FFI::addr($out)));
        return new Response($out);
    }

    public function queryOrder(string $orderId): Response
    {
        $ffi = Library::ffi();
        $out = $ffi->new('cmpay_response *');
        Library::check($ffi->cmpay_client_query_order($this->ptr, Library::text($orderId, 'orderId'), FFI::addr($out)));
        return new Response($out);
    }

    /**
     * Confirms a notification with the gateway: queries its orderId
     * (OrderQuery, retried as queryOrder()) and marks it confirmed when the
     * verified answer agrees: the same merchantId and orderId, one reading,
     * and for a paid notification status SUCCESS with the same amount and
     * payNo. Then checkOrder() passes an ambiguous notification.
     * NotConfirmedException when the gateway disagrees (record nothing);
     * AmbiguousException when its answer reads two ways itself;
     * GatewayException (e.g. RPM22201, no such order), NetworkException,
     * NetworkTimeoutException or TlsException leave it unconfirmed.
     */
    public function confirm(Notification $notification): void
    {
        Library::check(Library::ffi()->cmpay_client_confirm($this->ptr, $notification->handle()));
    }

    public function refund(string $orderId, int $amountFen): Response
    {
        $ffi = Library::ffi();
        $out = $ffi->new('cmpay_response *');
        Library::check($ffi->cmpay_client_refund($this->ptr, Library::text($orderId, 'orderId'), Library::fen($amountFen), FFI::addr($out)));
        return new Response($out);
    }

    public function __destruct()
    {
        if ($this->ptr !== null) {
            Library::ffi()->cmpay_client_free($this->ptr);
        }
    }

    private function __clone()
    {
    }
}
