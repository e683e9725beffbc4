<?php

declare(strict_types=1);

namespace Cmpay;

/** How a paid amount splits, in fen. */
final class AmtItem
{
    /** @var int CNY_AMT */
    public $cash;
    /** @var int CMY_AMT */
    public $prepaid;
    /** @var int RED_AMT */
    public $coupon;
    /** @var int VCH_AMT */
    public $voucher;
    /** @var int POT_CHG_AMT */
    public $points;

    public function __construct(int $cash, int $prepaid, int $coupon, int $voucher, int $points)
    {
        $this->cash = $cash;
        $this->prepaid = $prepaid;
        $this->coupon = $coupon;
        $this->voucher = $voucher;
        $this->points = $points;
    }
}
