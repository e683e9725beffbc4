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
        return Library::handleFields('cmpay_response_fields', $this->ptr);
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

    public function __destruct()
    {
        Library::ffi()->cmpay_response_free($this->ptr);
    }

    private function __clone()
    {
    }
}
