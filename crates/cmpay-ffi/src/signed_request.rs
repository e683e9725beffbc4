//! cmpay_signed_request: a request ready to POST.

use super::args;
use super::status::cmpay_status;
use cmpay::merchant::SignedRequest;
use std::os::raw::c_char;

/// A signed request: its fields, signature source, hmac and form body.
/// Immutable: may be read by any number of threads at once.
pub struct cmpay_signed_request {
    pub(crate) inner: SignedRequest,
}

/// Shared body of the string getters.
unsafe fn get(
    r: *const cmpay_signed_request,
    out: *mut *mut c_char,
    what: &'static str,
    pick: impl FnOnce(&SignedRequest) -> String,
) -> cmpay_status {
    unsafe { args::string_out(r, "r", out, what, |r| Ok(pick(&r.inner))) }
}

/// The form body to POST (ASCII: values percent-encoded in the request's
/// charset), hmac last. Free the string with cmpay_string_free.
///
/// # Safety
/// `r` is NULL or a live signed request; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_signed_request_body(
    r: *const cmpay_signed_request,
    out: *mut *mut c_char,
) -> cmpay_status {
    unsafe { get(r, out, "body", |r| r.body.clone()) }
}

/// The Content-Type to POST the body with, e.g.
/// "application/x-www-form-urlencoded; charset=GBK". Free with cmpay_string_free.
///
/// # Safety
/// As cmpay_signed_request_body.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_signed_request_content_type(
    r: *const cmpay_signed_request,
    out: *mut *mut c_char,
) -> cmpay_status {
    unsafe { get(r, out, "content type", |r| r.content_type.clone()) }
}

/// The request's hmac (lowercase hex). Free with cmpay_string_free.
///
/// # Safety
/// As cmpay_signed_request_body.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_signed_request_hmac(
    r: *const cmpay_signed_request,
    out: *mut *mut c_char,
) -> cmpay_status {
    unsafe { get(r, out, "hmac", |r| r.hmac.clone()) }
}

/// The signature source: the signed fields' values in table order, joined
/// with no separator (UTF-8). Free with cmpay_string_free.
///
/// # Safety
/// As cmpay_signed_request_body.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_signed_request_source(
    r: *const cmpay_signed_request,
    out: *mut *mut c_char,
) -> cmpay_status {
    unsafe { get(r, out, "signature source", |r| r.source.clone()) }
}

/// One field of the completed request as sent (UTF-8, not percent-encoded),
/// e.g. "requestId", "merchantCert" or "hmac"; a field sent empty is "".
/// CMPAY_NOT_FOUND when the request has no such field. Free with
/// cmpay_string_free.
///
/// # Safety
/// As cmpay_signed_request_body; `name` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_signed_request_field(
    r: *const cmpay_signed_request,
    name: *const c_char,
    out: *mut *mut c_char,
) -> cmpay_status {
    unsafe {
        args::field_out(r, "r", name, out, |r| {
            (&r.inner.params, r.inner.kind.name())
        })
    }
}

/// The request as a complete HTML page whose form the shopper's browser
/// submits at once (POST) to `action` (the gateway's cmpayService URL): how
/// a GWDirectPay (bank gateway) order is sent, from the browser, not from
/// the merchant's server. The form's accept-charset is the request's
/// charset. CMPAY_INVALID_ARGUMENT when `action` is not an http(s) URL.
/// Free the string with cmpay_string_free.
///
/// # Safety
/// As cmpay_signed_request_body; `action` is NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_signed_request_html_form(
    r: *const cmpay_signed_request,
    action: *const c_char,
    out: *mut *mut c_char,
) -> cmpay_status {
    unsafe {
        args::string_out(r, "r", out, "html form", |r| {
            let action = args::text(action, "action")?;
            Ok(r.inner.html_form(action)?)
        })
    }
}

/// Frees a signed request. NULL is a no-op.
///
/// # Safety
/// `r` is NULL or a live signed request no other thread is using.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_signed_request_free(r: *mut cmpay_signed_request) {
    unsafe { args::free_handle(r) }
}
