<?php

declare(strict_types=1);

namespace Cmpay;

use FFI;
use FFI\CData;

/** A PageNotify or OfflineNotify whose signature has held. */
final class Notification
{
    /** @var CData cmpay_notification* */
    private $ptr;

    /** @internal created by Merchant::parseNotification() */
    public function __construct(CData $ptr)
    {
        $this->ptr = $ptr;
    }

    /** A field's decoded value, or null when absent. */
    public function field(string $name): ?string
    {
        return Library::handleField('cmpay_notification_field', $this->ptr, $name);
    }

    /**
     * Every field, decoded, in the order received.
     *
     * @return array<string, string>
     */
    public function fields(): array
    {
        return Library::handleFields('cmpay_notification_fields', $this->ptr);
    }

    /** "PageNotify" or "OfflineNotify". */
    public function type(): string
    {
        return (string) $this->field('type');
    }

    /** The gateway's transaction number: the key for processing a payment once. */
    public function payNo(): string
    {
        return (string) $this->field('payNo');
    }

    public function orderId(): string
    {
        return (string) $this->field('orderId');
    }

    public function merchantId(): string
    {
        return (string) $this->field('merchantId');
    }

    /** orderDate (a date at midnight, Asia/Shanghai), or null when empty. */
    public function orderDate(): ?\DateTimeImmutable
    {
        return Library::date($this->field('orderDate'), 'orderDate');
    }

    /** payDate (Asia/Shanghai), or null when empty. */
    public function payDate(): ?\DateTimeImmutable
    {
        return Library::date($this->field('payDate'), 'payDate');
    }

    /** The amount paid, in fen. */
    public function amount(): int
    {
        $ffi = Library::ffi();
        $out = $ffi->new('uint64_t');
        Library::check($ffi->cmpay_notification_amount($this->ptr, FFI::addr($out)));
        return (int) $out->cdata;
    }

    public function amtItem(): AmtItem
    {
        $ffi = Library::ffi();
        $out = $ffi->new('cmpay_amt_item');
        Library::check($ffi->cmpay_notification_amt_item($this->ptr, FFI::addr($out)));
        return new AmtItem((int) $out->cash, (int) $out->prepaid, (int) $out->coupon, (int) $out->voucher, (int) $out->points);
    }

    /** The merchant fee in fen (exact), or null when the gateway left it empty. */
    public function feeFen(): ?int
    {
        $ffi = Library::ffi();
        $out = $ffi->new('uint64_t');
        $status = $ffi->cmpay_notification_fee_fen($this->ptr, FFI::addr($out));
        if ($status === Status::NOT_FOUND) {
            return null;
        }
        Library::check($status);
        return (int) $out->cdata;
    }

    public function isPaid(): bool
    {
        $ffi = Library::ffi();
        $out = $ffi->new('bool');
        Library::check($ffi->cmpay_notification_is_paid($this->ptr, FFI::addr($out)));
        return (bool) $out->cdata;
    }

    /**
     * Throws FieldException unless merchantId, orderId and amount match the
     * order the merchant created.
     */
    public function checkOrder(string $merchantId, string $orderId, int $amountFen): void
    {
        Library::check(Library::ffi()->cmpay_notification_check_order(
            $this->ptr,
            Library::text($merchantId, 'merchantId'),
            Library::text($orderId, 'orderId'),
            Library::fen($amountFen)
        ));
    }

    /**
     * The exact answer ("SUCCESS") that stops the gateway resending; send it
     * only after the payment is recorded.
     */
    public function ack(): string
    {
        // Static in the library: nothing to copy out and free.
        return Library::ffi()->cmpay_notification_ack_text($this->ptr);
    }

    public function __destruct()
    {
        Library::ffi()->cmpay_notification_free($this->ptr);
    }

    private function __clone()
    {
    }
}
