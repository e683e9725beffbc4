<?php

declare(strict_types=1);

namespace Cmpay;

use FFI;
use FFI\CData;

/** A verified gateway answer whose return code is success. */
final class Response
{
    /** @var CData cmpay_response* */
    private $ptr;

    /** @internal created by Merchant::parseResponse() and Client */
    public function __construct(CData $ptr)
    {
        $this->ptr = $ptr;
    }

    /** A field's decoded value, or null when absent. */
    public function field(string $name): ?string
    {
        return Library::handleField('cmpay_response_field', $this->ptr, $name);
    }

    /**
     * Every field, decoded, in the order received.
     *
     * @return array<string, string>
     */
    public function fields(): array
    {
        return Library::handleFields('cmpay_response_fields_into', $this->ptr);
    }

    /** The payUrl token (order responses only). */
    public function payUrl(): PayUrl
    {
        $ffi = Library::ffi();
        $url = $ffi->new('char *');
        $method = $ffi->new('char *');
        $session = $ffi->new('char *');
        Library::check($ffi->cmpay_response_pay_url($this->ptr, FFI::addr($url), FFI::addr($method), FFI::addr($session)));
        return new PayUrl(Library::takeString($url), Library::takeString($method), Library::takeString($session));
    }

    /** Where to redirect the shopper's browser: url?sessionId=... */
    public function redirectUrl(): string
    {
        $ffi = Library::ffi();
        $out = $ffi->new('char *');
        Library::check($ffi->cmpay_response_redirect_url($this->ptr, FFI::addr($out)));
        return Library::takeString($out);
    }

    /** An auto-submitting HTML page that POSTs the sessionId to the cashier. */
    public function htmlForm(): string
    {
        $ffi = Library::ffi();
        $out = $ffi->new('char *');
        Library::check($ffi->cmpay_response_html_form($this->ptr, FFI::addr($out)));
        return Library::takeString($out);
    }

    /** A query (or refund) answer's order state, as the library reads it: OrderStatus::PAID, FAILED or PENDING. */
    public function orderStatus(): string
    {
        $ffi = Library::ffi();
        $out = $ffi->new('cmpay_order_status');
        Library::check($ffi->cmpay_response_order_status($this->ptr, FFI::addr($out)));
        return OrderStatus::fromCode((int) $out->cdata);
    }

    /** amount in fen (a query answer: paid; a refund answer: refunded), or null when absent. */
    public function amount(): ?int
    {
        $ffi = Library::ffi();
        $out = $ffi->new('uint64_t');
        $status = $ffi->cmpay_response_amount($this->ptr, FFI::addr($out));
        if ($status === Status::NOT_FOUND) {
            return null;
        }
        Library::check($status);
        return (int) $out->cdata;
    }

    /** The gateway's transaction number, or null when absent. */
    public function payNo(): ?string
    {
        return self::nonEmpty($this->field('payNo'));
    }

    public function orderId(): ?string
    {
        return self::nonEmpty($this->field('orderId'));
    }

    public function merchantId(): ?string
    {
        return self::nonEmpty($this->field('merchantId'));
    }

    /** orderDate (a date at midnight, Asia/Shanghai), or null when absent. */
    public function orderDate(): ?\DateTimeImmutable
    {
        return Library::date($this->field('orderDate'), 'orderDate');
    }

    /** payDate (Asia/Shanghai), or null when absent. */
    public function payDate(): ?\DateTimeImmutable
    {
        return Library::date($this->field('payDate'), 'payDate');
    }

    private static function nonEmpty(?string $value): ?string
    {
        return $value === '' ? null : $value;
    }

    public function __destruct()
    {
        Library::ffi()->cmpay_response_free($this->ptr);
    }

    private function __clone()
    {
    }
}
