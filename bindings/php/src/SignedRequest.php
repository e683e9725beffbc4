<?php

declare(strict_types=1);

namespace Cmpay;

use FFI;
use FFI\CData;

/** A completed, validated and signed request, ready to POST. */
final class SignedRequest
{
    /** @var CData cmpay_signed_request* */
    private $ptr;

    /** @internal created by Merchant::signRequest() */
    public function __construct(CData $ptr)
    {
        $this->ptr = $ptr;
    }

    /** The form body to POST (ASCII, percent-encoded in the request's charset). */
    public function body(): string
    {
        return $this->string('cmpay_signed_request_body');
    }

    /** e.g. "application/x-www-form-urlencoded; charset=GBK". */
    public function contentType(): string
    {
        return $this->string('cmpay_signed_request_content_type');
    }

    public function hmac(): string
    {
        return $this->string('cmpay_signed_request_hmac');
    }

    /** The signature source text (for diagnosing IPS0008). */
    public function source(): string
    {
        return $this->string('cmpay_signed_request_source');
    }

    /**
     * The request as an HTML page whose form the shopper's browser submits at
     * once (POST) to $action, the gateway's cmpayService URL: how a
     * GWDirectPay (bank gateway) order is sent, from the browser. Echo it as
     * the page's whole body.
     */
    public function htmlForm(string $action): string
    {
        $ffi = Library::ffi();
        $out = $ffi->new('char *');
        Library::check($ffi->cmpay_signed_request_html_form($this->ptr, Library::text($action, 'action'), FFI::addr($out)));
        return Library::takeString($out);
    }

    /** A field's value as sent (defaults filled in), or null when absent. */
    public function field(string $name): ?string
    {
        $ffi = Library::ffi();
        $out = $ffi->new('char *');
        $status = $ffi->cmpay_signed_request_field($this->ptr, Library::text($name, 'name'), FFI::addr($out));
        if ($status === Status::NOT_FOUND) {
            return null;
        }
        Library::check($status);
        return Library::takeString($out);
    }

    private function string(string $function): string
    {
        $ffi = Library::ffi();
        $out = $ffi->new('char *');
        Library::check($ffi->$function($this->ptr, FFI::addr($out)));
        return Library::takeString($out);
    }

    public function __destruct()
    {
        Library::ffi()->cmpay_signed_request_free($this->ptr);
    }

    private function __clone()
    {
    }
}
