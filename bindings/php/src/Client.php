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
 *   logger              a PSR-3 logger (any object with PSR-3's
 *                       log($level, $message, array $context) method; no
 *                       dependency on psr/log): every exchange is logged to it
 *   log_level           the most verbose level given to the logger: "error",
 *                       "warning", "info" (default) or "debug"
 *
 * With a logger, the client logs requests sent (kind, URL, requestId,
 * orderId, timeouts), answers received (returnCode, message, time taken),
 * notifications verified or refused (parseNotification()), retries,
 * timeouts and TLS failures; at "debug" also the bodies, their hmac
 * redacted. Each message starts with its event name (e.g. "request.sent"),
 * also in the context as "event". Never logged: the signKey, a private key,
 * any hmac. A logger that throws loses that record only.
 */
final class Client
{
    /** @var CData cmpay_client* */
    private $ptr;
    /** @var Merchant kept alive as long as the client */
    private $merchant;
    /** @var \Closure|null the log callback, kept alive as long as the client (the library calls it until the client is freed) */
    private $logCallback;

    /** PSR-3's level names for the library's levels (cmpay_log_level). */
    private const LOG_LEVELS = [1 => 'error', 2 => 'warning', 3 => 'info', 4 => 'debug'];

    /** @param array<string, string|int|bool|string[]> $options */
    public function __construct(Merchant $merchant, array $options = [])
    {
        $this->init($merchant, $options);
    }

    /**
     * A client configured from the environment, read by the library (the same
     * names and rules in every language): CMPAY_MERCHANT_ID; CMPAY_SIGN_KEY or
     * CMPAY_SIGN_KEY_FILE (MD5), or CMPAY_RSA_PRIVATE_KEY_FILE and
     * CMPAY_RSA_PUBLIC_KEY_FILE (RSA); optionally CMPAY_ENDPOINT,
     * CMPAY_CHARSET, CMPAY_CONNECT_TIMEOUT_MS, CMPAY_TIMEOUT_MS, CMPAY_PROXY,
     * CMPAY_EXTRA_CA_FILE, CMPAY_ALLOW_HTTP. $options (as for the
     * constructor, e.g. the logger) are the base the variables override. A bad
     * value throws an exception naming its variable.
     *
     * @param array<string, mixed> $options
     */
    public static function fromEnv(array $options = []): self
    {
        $client = (new \ReflectionClass(self::class))->newInstanceWithoutConstructor();
        $client->init(null, $options);
        return $client;
    }

    /** @param array<string, mixed> $options */
    private function init(?Merchant $merchant, array $options): void
    {
        $ffi = Library::ffi();
        $config = $ffi->new('cmpay_config *');
        Library::check($ffi->cmpay_config_new(FFI::addr($config)));
        try {
            $logger = $options['logger'] ?? null;
            $logLevel = $options['log_level'] ?? 'info';
            unset($options['logger'], $options['log_level']);
            if ($logger !== null) {
                if (!is_object($logger) || !method_exists($logger, 'log')) {
                    throw new InvalidInputException('logger must be a PSR-3 logger (an object with a log($level, $message, array $context) method)', Status::INVALID_ARGUMENT, 'CMPAY_INVALID_ARGUMENT');
                }
                $min = array_search($logLevel, self::LOG_LEVELS, true);
                if ($min === false) {
                    throw new InvalidInputException('log_level must be one of error, warning, info, debug', Status::INVALID_ARGUMENT, 'CMPAY_INVALID_ARGUMENT');
                }
                $this->logCallback = self::logCallback($logger);
                Library::check($ffi->cmpay_config_set_logger($config, $this->logCallback, null, $min));
            }
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
            if ($merchant === null) {
                Library::check($ffi->cmpay_client_from_env($config, FFI::addr($out)));
            } else {
                Library::check($ffi->cmpay_client_new($merchant->handle(), $config, FFI::addr($out)));
            }
        } finally {
            $ffi->cmpay_config_free($config);
        }
        $this->ptr = $out;
        if ($merchant === null) {
            $m = $ffi->new('cmpay_merchant *');
            Library::check($ffi->cmpay_client_merchant($out, FFI::addr($m)));
            $merchant = Merchant::fromHandle($m);
        }
        $this->merchant = $merchant;
    }

    public function merchant(): Merchant
    {
        return $this->merchant;
    }

    /**
     * The callback handing each record to a PSR-3 logger; nothing thrown
     * inside it reaches the library.
     *
     * @param object $logger
     */
    private static function logCallback($logger): \Closure
    {
        return static function ($userData, $level, $event, $message) use ($logger): void {
            try {
                $event = is_string($event) ? $event : FFI::string($event);
                $message = is_string($message) ? $message : FFI::string($message);
                $logger->log(self::LOG_LEVELS[(int) $level] ?? 'error', $event . ' ' . $message, ['event' => $event]);
            } catch (\Throwable $e) {
                // A failing logger loses this record, never the payment.
            }
        };
    }

    /**
     * As Merchant::parseNotification() for this client's merchant, logging
     * "notify.verified" (orderId, payNo, amount, status) or "notify.refused"
     * (why) to the client's logger. No network.
     */
    public function parseNotification(string $body): Notification
    {
        $ffi = Library::ffi();
        $out = $ffi->new('cmpay_notification *');
        Library::check($ffi->cmpay_client_parse_notification($this->ptr, $body, strlen($body), FFI::addr($out)));
        return new Notification($out);
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
