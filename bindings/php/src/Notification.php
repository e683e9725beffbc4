<?php

declare(strict_types=1);

namespace Cmpay;

use FFI;
use FFI\CData;

/**
 * A PageNotify or OfflineNotify whose signature has held.
 *
 * Verified is not yet trustworthy: the gateway signs its values joined with
 * no separator, so the same signed bytes may also read as another order,
 * amount or payNo (otherReadings()). Such a notification is ambiguous, and
 * checkOrder() refuses it (AmbiguousException) until the shop has ruled out
 * every other orderId as none of its orders (ruleOut()) or the gateway has
 * confirmed it (Client::confirm()). The endpoint's steps, after finding the
 * shop's order for orderId():
 *
 *   foreach ($n->otherOrderIds() as $id) {
 *       if (!$shop->hasOrder($id)) {
 *           $n->ruleOut($id);
 *       }
 *   }
 *   if ($n->isAmbiguous()) {
 *       $client->confirm($n); // NotConfirmedException, AmbiguousException, network errors: record nothing, FAIL
 *   }
 *   $n->checkOrder($merchantId, $order['order_id'], $order['amount_fen']);
 *   // record once (by payNo and by the order's state), then answer $n->ack()
 */
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
        return Library::handleFields('cmpay_notification_fields_into', $this->ptr);
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
     * Whether the signed source has another reading, with another orderId,
     * amount, payNo, returnCode, status or type, that the shop has not ruled
     * out (ruleOut()): the bytes cannot say which was meant. Still true once
     * confirmed (isConfirmed() says that); checkOrder() then passes it.
     */
    public function isAmbiguous(): bool
    {
        return $this->flag('cmpay_notification_is_ambiguous');
    }

    /**
     * The other readings of the signed source, ruled out or not, one string
     * each ("merchantId=... payNo=... returnCode=... type=... amount=...
     * orderId=... status=..."), for a log; [] when there are none.
     *
     * @return string[]
     */
    public function otherReadings(): array
    {
        return $this->lines('cmpay_notification_other_readings');
    }

    /**
     * The orderIds the other readings name (never this notification's own),
     * each once; [] when there are none. Look each up in the shop's orders:
     * one that is no order of the shop's is ruled out with ruleOut().
     *
     * @return string[]
     */
    public function otherOrderIds(): array
    {
        return $this->lines('cmpay_notification_other_order_ids');
    }

    /**
     * Rules out the readings naming $orderId, once the shop has found it is
     * none of its orders (a re-split to an order that does not exist pays
     * nothing). Readings that keep this orderId but change the amount, payNo
     * or status cannot be ruled out: those need Client::confirm().
     * InvalidInputException when no other reading names $orderId.
     */
    public function ruleOut(string $orderId): void
    {
        Library::check(Library::ffi()->cmpay_notification_rule_out($this->ptr, Library::text($orderId, 'orderId')));
    }

    /** Whether the gateway has confirmed this notification (Client::confirm()). */
    public function isConfirmed(): bool
    {
        return $this->flag('cmpay_notification_is_confirmed');
    }

    /**
     * Throws FieldException unless merchantId, orderId and amount match the
     * order the merchant created, and AmbiguousException while the
     * notification is ambiguous (isAmbiguous()) and not confirmed
     * (Client::confirm()); the message names the other readings.
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
        $out = Library::outString();
        Library::check(Library::ffi()->cmpay_notification_ack($this->ptr, FFI::addr($out)));
        return Library::takeString($out);
    }

    /** @internal the native handle, for Client::confirm(). */
    public function handle(): CData
    {
        return $this->ptr;
    }

    private function flag(string $function): bool
    {
        $ffi = Library::ffi();
        $out = $ffi->new('bool');
        Library::check($ffi->$function($this->ptr, FFI::addr($out)));
        return (bool) $out->cdata;
    }

    /** @return string[] the lines of an owned string, each ended by "\n" ("" is none) */
    private function lines(string $function): array
    {
        $out = Library::outString();
        Library::check(Library::ffi()->$function($this->ptr, FFI::addr($out)));
        $text = Library::takeString($out);
        if ($text === '') {
            return [];
        }
        return explode("\n", substr($text, -1) === "\n" ? substr($text, 0, -1) : $text);
    }

    public function __destruct()
    {
        Library::ffi()->cmpay_notification_free($this->ptr);
    }

    private function __clone()
    {
    }
}
