<?php

declare(strict_types=1);

namespace Cmpay;

/** Library-wide information and the code tables. */
final class Cmpay
{
    private function __construct()
    {
    }

    /** The loaded library's version, e.g. "0.2.0". */
    public static function version(): string
    {
        return Library::cstring(Library::ffi()->cmpay_version());
    }

    /** The bank's Chinese name for a bankAbbr code (e.g. ICBC), or null if unknown. */
    public static function bankName(string $bankCode): ?string
    {
        $ffi = Library::ffi();
        $out = $ffi->new('char *');
        $status = $ffi->cmpay_bank_name(Library::text($bankCode, 'bankCode'), \FFI::addr($out));
        if ($status === Status::NOT_FOUND) {
            return null;
        }
        Library::check($status);
        return Library::takeString($out);
    }

    /** An amount in fen as yuan with two decimals, exactly (12800 -> "128.00"), for a page that shows it. */
    public static function yuan(int $fen): string
    {
        $ffi = Library::ffi();
        $out = $ffi->new('char *');
        Library::check($ffi->cmpay_yuan(Library::fen($fen), \FFI::addr($out)));
        return Library::takeString($out);
    }

    /** What a gateway return code means, or null if unknown. */
    public static function returnCode(string $code): ?ReturnCode
    {
        return ReturnCode::lookup($code);
    }
}
