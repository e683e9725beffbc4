<?php

declare(strict_types=1);

namespace Cmpay\Testing;

use Cmpay\Client;
use Cmpay\Library;
use Cmpay\Merchant;
use Cmpay\Status;
use FFI;
use FFI\CData;

/**
 * The CMPay gateway simulator, started inside this PHP process through
 * libcmpay (no `cmpay` binary, no Rust): on 127.0.0.1, a free port, with the
 * test merchants of `cmpay sandbox`. It pays, fails or expires orders by
 * orderId as the cashier or time would, and waits until the shop's notify
 * handler acknowledged the OfflineNotify. Works in any test framework;
 * SandboxTrait gives one to each PHPUnit test. What each operation does is
 * in the project's docs/sandbox-test-api.md.
 */
final class Sandbox
{
    /** cmpay_sandbox_flag CMPAY_SANDBOX_HTTPS */
    public const HTTPS = 1;

    /** @var CData|null cmpay_sandbox* */
    private $ptr;
    /** @var string */
    private $endpoint;
    /** @var string|null */
    private $caPem;
    /** @var string */
    private $notifyUrl;
    /** @var Merchant */
    private $merchant;
    /** @var Client|null */
    private $client;

    /**
     * @param array<string, mixed> $clientOptions more options for client()
     *        (e.g. a PSR-3 "logger"), as for Client's constructor
     */
    public function __construct(bool $https = false, array $clientOptions = [])
    {
        $ffi = Library::ffi();
        $ptr = $ffi->new('cmpay_sandbox *');
        Library::check($ffi->cmpay_sandbox_start($https ? self::HTTPS : 0, FFI::addr($ptr)));
        $this->ptr = $ptr;
        $this->endpoint = $this->text('cmpay_sandbox_endpoint_into');
        $ca = $this->text('cmpay_sandbox_ca_pem_into');
        $this->caPem = $ca === '' ? null : $ca;
        $this->notifyUrl = $this->text('cmpay_sandbox_notify_url_into');
        $m = $ffi->new('cmpay_merchant *');
        Library::check($ffi->cmpay_sandbox_merchant($ptr, FFI::addr($m)));
        $this->merchant = Merchant::fromHandle($m);
        $options = ['endpoint' => $this->endpoint, 'allow_http' => $this->caPem === null] + $clientOptions;
        if ($this->caPem !== null) {
            $options['ca_pem'] = $this->caPem;
        }
        $this->client = new Client($this->merchant, $options);
    }

    /** The gateway URL a client is configured with. */
    public function endpoint(): string
    {
        return $this->endpoint;
    }

    /** The CA of its certificate (PEM) when started with HTTPS, else null. */
    public function caPem(): ?string
    {
        return $this->caPem;
    }

    /** A notifyUrl the simulator serves itself: it acknowledges every notification. */
    public function notifyUrl(): string
    {
        return $this->notifyUrl;
    }

    /** The MD5 test merchant (888009941120001). */
    public function merchant(): Merchant
    {
        return $this->merchant;
    }

    /** A client of the test merchant, configured for this simulator. */
    public function client(): Client
    {
        if ($this->client === null) {
            throw new \LogicException('the sandbox is closed');
        }
        return $this->client;
    }

    /**
     * Pays the order as a buyer at the cashier would: it is paid and its
     * OfflineNotify goes to the order's notifyUrl. NotFoundException for an
     * unknown order; InvalidInputException (message starting with
     * already-paid, already-failed, expired or ambiguous-order) otherwise.
     */
    public function pay(string $orderId): void
    {
        Library::check(Library::ffi()->cmpay_sandbox_pay($this->handle(), Library::text($orderId, 'orderId')));
    }

    /** As pay(), but the payment is refused: the order is FAILED. */
    public function fail(string $orderId): void
    {
        Library::check(Library::ffi()->cmpay_sandbox_fail($this->handle(), Library::text($orderId, 'orderId')));
    }

    /** Puts an unpaid order past its validity (the query then answers RPM99981). */
    public function expire(string $orderId): void
    {
        Library::check(Library::ffi()->cmpay_sandbox_expire($this->handle(), Library::text($orderId, 'orderId')));
    }

    /**
     * Waits up to $timeout seconds until the order's OfflineNotify was
     * answered exactly SUCCESS, and returns its delivery attempts.
     * NetworkTimeoutException otherwise, its message "not acknowledged: ..."
     * saying what the notify handler answered and why it does not count.
     *
     * @return list<array<string, mixed>>
     */
    public function waitNotified(string $orderId, float $timeout = 10.0): array
    {
        if ($timeout < 0) {
            throw new \InvalidArgumentException('timeout must not be negative');
        }
        $ms = (int) min($timeout * 1000, 4294967295);
        Library::check(Library::ffi()->cmpay_sandbox_wait_notified($this->handle(), Library::text($orderId, 'orderId'), $ms));
        return $this->deliveries($orderId);
    }

    /**
     * Every OfflineNotify sent so far (of $orderId only, when given), oldest
     * first: orderId, url, attempt, httpStatus, answer, acked, notAcked (why
     * not), body (what was POSTed, for a handler tested without a server), ...
     *
     * @return list<array<string, mixed>>
     */
    public function deliveries(?string $orderId = null): array
    {
        $all = json_decode($this->text('cmpay_sandbox_deliveries_into'), true, 64, JSON_THROW_ON_ERROR);
        $out = [];
        foreach ((array) $all as $d) {
            if ($orderId === null || $d['orderId'] === $orderId) {
                $out[] = $d;
            }
        }
        return $out;
    }

    /** Stops the simulator (its client first). Idempotent. */
    public function close(): void
    {
        $this->client = null;
        if ($this->ptr !== null) {
            $ptr = $this->ptr;
            $this->ptr = null;
            Library::ffi()->cmpay_sandbox_free($ptr);
        }
    }

    public function __destruct()
    {
        $this->close();
    }

    private function handle(): CData
    {
        if ($this->ptr === null) {
            throw new \LogicException('the sandbox is closed');
        }
        return $this->ptr;
    }

    /** The text of a cmpay_sandbox_*_into function (asks its size first). */
    private function text(string $function): string
    {
        $ffi = Library::ffi();
        $needed = $ffi->new('size_t');
        $status = $ffi->$function($this->handle(), null, 0, FFI::addr($needed));
        if ($status !== Status::BUFFER_TOO_SMALL) {
            Library::check($status);
        }
        $size = (int) $needed->cdata;
        $buf = $ffi->new('char[' . $size . ']');
        Library::check($ffi->$function($this->handle(), $buf, $size, FFI::addr($needed)));
        return FFI::string($buf, (int) $needed->cdata - 1);
    }

    private function __clone()
    {
    }
}
