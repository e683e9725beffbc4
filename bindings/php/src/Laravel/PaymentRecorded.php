<?php

declare(strict_types=1);

namespace Cmpay\Laravel;

/**
 * Dispatched once per paid order (a resend of the same payment dispatches
 * nothing), inside the transaction that records it: the shop fulfils the
 * order in a listener; a listener that throws undoes the record, the
 * notification is answered FAIL and the gateway sends it again.
 */
final class PaymentRecorded
{
    /** @var string */
    public $merchantId;
    /** @var string */
    public $orderId;
    /** @var string */
    public $payNo;
    /** @var int */
    public $amountFen;
    /** @var string PageNotify or OfflineNotify */
    public $firstSeenVia;

    public function __construct(string $merchantId, string $orderId, string $payNo, int $amountFen, string $firstSeenVia)
    {
        $this->merchantId = $merchantId;
        $this->orderId = $orderId;
        $this->payNo = $payNo;
        $this->amountFen = $amountFen;
        $this->firstSeenVia = $firstSeenVia;
    }
}
