<?php

declare(strict_types=1);

namespace Cmpay;

/** What a gateway return code means. */
final class ReturnCode
{
    /** @var string the canonical spelling */
    public $code;
    /** @var string */
    public $chinese;
    /** @var string */
    public $english;

    public function __construct(string $code, string $chinese, string $english)
    {
        $this->code = $code;
        $this->chinese = $chinese;
        $this->english = $english;
    }

    /** The return code's meaning (either spelling, e.g. MCG01088 or C01088), or null if unknown. */
    public static function lookup(string $code): ?self
    {
        $ffi = Library::ffi();
        $canonical = $ffi->new('char *');
        $chinese = $ffi->new('char *');
        $english = $ffi->new('char *');
        $status = $ffi->cmpay_return_code_lookup(Library::text($code, 'code'), \FFI::addr($canonical), \FFI::addr($chinese), \FFI::addr($english));
        if ($status === Status::NOT_FOUND) {
            return null;
        }
        Library::check($status);
        return new self(Library::takeString($canonical), Library::takeString($chinese), Library::takeString($english));
    }
}
