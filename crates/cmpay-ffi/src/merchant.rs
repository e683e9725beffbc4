//! cmpay_merchant: the merchant's id and keys; signing and verifying
//! without the network.

use super::args::{self, into_handle};
use super::signed_request::cmpay_signed_request;
use super::status::{CBool, FfiResult, cmpay_status, guard};
use cmpay::fields::MessageKind;
use cmpay::merchant::Merchant;
use std::os::raw::c_char;

/// A merchant: its id, how it signs and how it verifies what the gateway
/// sends. Immutable: one handle may be used by any number of threads at once.
pub struct cmpay_merchant {
    pub(crate) inner: Merchant,
}

pub(crate) fn kind_arg(name: &str) -> FfiResult<MessageKind> {
    Ok(MessageKind::from_name(name)?)
}

/// A merchant signing with MD5 and its signKey (as given by the gateway,
/// without surrounding whitespace).
///
/// CMPAY_FIELD_INVALID when merchant_id breaks its rule (field
/// "merchantId"); CMPAY_KEY for an empty signKey or one with leading or
/// trailing whitespace. Free the handle with cmpay_merchant_free.
///
/// # Safety
/// String arguments are NULL or NUL-terminated; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_merchant_new_md5(
    merchant_id: *const c_char,
    sign_key: *const c_char,
    out: *mut *mut cmpay_merchant,
) -> cmpay_status {
    guard(|| {
        let id = unsafe { args::text(merchant_id, "merchant_id") }?;
        let key = unsafe { args::text(sign_key, "sign_key") }?;
        let o = unsafe { args::out(out, "out") }?;
        *o = into_handle(cmpay_merchant {
            inner: Merchant::md5(id, key)?,
        });
        Ok(())
    })
}

/// A merchant signing with RSA (SHA1withRSA): its private key (at least
/// 2048 bits) and the gateway's public key or certificate, with which every
/// answer and notification is verified. Keys may be PEM or DER, PKCS#1 or
/// PKCS#8, SPKI or X.509, or the hex of DER. `allow_legacy_1024` admits a
/// 1024-bit gateway key (legacy gateways).
///
/// CMPAY_KEY when a key cannot be read or is refused; CMPAY_FIELD_INVALID
/// for a bad merchant_id. Free the handle with cmpay_merchant_free.
///
/// # Safety
/// Byte arguments are NULL with length 0 or point to that many bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_merchant_new_rsa(
    merchant_id: *const c_char,
    private_key: *const u8,
    private_key_len: usize,
    gateway_public_key: *const u8,
    gateway_public_key_len: usize,
    allow_legacy_1024: CBool,
    out: *mut *mut cmpay_merchant,
) -> cmpay_status {
    guard(|| {
        let id = unsafe { args::text(merchant_id, "merchant_id") }?;
        let private = unsafe { args::bytes(private_key, private_key_len, "private_key") }?;
        let public = unsafe {
            args::bytes(
                gateway_public_key,
                gateway_public_key_len,
                "gateway_public_key",
            )
        }?;
        let o = unsafe { args::out(out, "out") }?;
        *o = into_handle(cmpay_merchant {
            inner: Merchant::rsa_with_options(id, private, public, allow_legacy_1024.get())?,
        });
        Ok(())
    })
}

/// Frees a merchant. NULL is a no-op. Handles made from it (clients) keep
/// their own copy and stay valid.
///
/// # Safety
/// `m` is NULL or a live merchant handle no other thread is using.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_merchant_free(m: *mut cmpay_merchant) {
    unsafe { args::free_handle(m) }
}

/// Completes, validates and signs a request, in one crossing.
///
/// `kind` is "order-request", "query-request" or "refund-request".
/// `params` is NUL pairs ("name\0value\0name\0value\0", UTF-8, no
/// escaping, every name and value followed by one NUL); a form body
/// ("name=value&...") is refused. merchantId and signType come
/// from the merchant; requestId is generated when absent or empty (as
/// cmpay_client_create_order does); type, version, characterSet and currency
/// take their defaults when left out; unknown names are refused.
///
/// CMPAY_INVALID_ARGUMENT for another kind, an unknown field, a form body
/// or other bytes that are not NUL pairs, a name given twice or parameters
/// over 64 KiB;
/// CMPAY_INVALID_UTF8 when a name or value is not UTF-8; CMPAY_FIELD_INVALID
/// when a field breaks its rule (cmpay_last_error_field names it,
/// cmpay_last_error_return_code gives the gateway's own code, e.g.
/// "MCG01081"); CMPAY_FORGEABLE_SOURCE (MD5 only) when the request's
/// signature source would read as a notification, or an answer with a
/// success code, for this merchant: its hmac would forge that message
/// (change the free-text fields). Free the result with
/// cmpay_signed_request_free.
///
/// # Safety
/// `m` is NULL or a live merchant; `params` NULL with length 0 or readable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_merchant_sign_request(
    m: *const cmpay_merchant,
    kind: *const c_char,
    params: *const u8,
    params_len: usize,
    out: *mut *mut cmpay_signed_request,
) -> cmpay_status {
    guard(|| {
        let m = unsafe { args::handle(m, "m") }?;
        let kind = kind_arg(unsafe { args::text(kind, "kind") }?)?;
        let body = unsafe { args::bytes(params, params_len, "params") }?;
        let o = unsafe { args::out(out, "out") }?;
        let mut params = args::params(body, "params")?;
        // A request without a requestId gets a fresh one, as the client's do.
        if params.value("requestId").is_empty() {
            params.set("requestId", cmpay::new_request_id());
        }
        let signed = m.inner.sign_request(kind, &params)?;
        *o = into_handle(cmpay_signed_request { inner: signed });
        Ok(())
    })
}

/// The hmac (lowercase hex) over exactly the given fields of a message of
/// any kind ("order-request", "order-response", "notify", "query-request",
/// "query-response", "refund-request", "refund-response"), like `cmpay sign`:
/// nothing is filled in or validated. hmac, merchantCert and serverCert in
/// `params` are ignored; any other name that is not a field of `kind` is
/// CMPAY_INVALID_ARGUMENT. `params` is NUL pairs as for
/// cmpay_merchant_sign_request. Free the string with cmpay_string_free.
///
/// # Safety
/// As cmpay_merchant_sign_request; `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_merchant_hmac(
    m: *const cmpay_merchant,
    kind: *const c_char,
    params: *const u8,
    params_len: usize,
    out: *mut *mut c_char,
) -> cmpay_status {
    guard(|| {
        let m = unsafe { args::handle(m, "m") }?;
        let kind = kind_arg(unsafe { args::text(kind, "kind") }?)?;
        let body = unsafe { args::bytes(params, params_len, "params") }?;
        let o = unsafe { args::out(out, "out") }?;
        let params = args::params(body, "params")?;
        let hmac = args::c_string(m.inner.signer().sign_exact(kind, &params)?, "hmac")?;
        *o = hmac.into_raw();
        Ok(())
    })
}

/// Verifies a received body of any kind exactly as it arrived on the wire
/// (raw bytes, percent-encoded or not), like `cmpay verify`: a request is
/// read in its own characterSet; a notification or answer is verified under
/// the decodings of protocol.md §8 (UTF-8 or GB18030, decoded once or
/// twice), the first that holds. For "notify" the type must be PageNotify
/// or OfflineNotify. A correctly signed gateway error answer is CMPAY_OK; a
/// notification or successful answer whose fields break their formats (a
/// moved field boundary) is CMPAY_FIELD_INVALID.
///
/// CMPAY_OK, CMPAY_SIGNATURE_MISMATCH, CMPAY_FIELD_INVALID, or CMPAY_PARSE
/// (malformed, empty or over 64 KiB); CMPAY_INVALID_ARGUMENT for an unknown kind.
///
/// # Safety
/// `m` is NULL or a live merchant; `body` NULL with length 0 or readable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_merchant_verify(
    m: *const cmpay_merchant,
    kind: *const c_char,
    body: *const u8,
    body_len: usize,
) -> cmpay_status {
    guard(|| {
        let m = unsafe { args::handle(m, "m") }?;
        let kind = kind_arg(unsafe { args::text(kind, "kind") }?)?;
        let body = unsafe { args::bytes(body, body_len, "body") }?;
        cmpay::verify_message(m.inner.verifier(), kind, body)?;
        Ok(())
    })
}
