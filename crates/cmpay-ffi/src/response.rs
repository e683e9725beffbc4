//! cmpay_response: a gateway answer (DirectPayConfirm, OrderQuery,
//! OrderRefund), parsed and verified.

use super::args::{self, c_string, into_handle};
use super::merchant::{cmpay_merchant, kind_arg};
use super::status::{Failure, FfiResult, cmpay_status, guard, invalid};
use cmpay::fields::MessageKind;
use cmpay::params::Params;
use cmpay::payurl::PayUrl;
use cmpay::received::fen_field;
use cmpay::response::{OrderResponse, OrderStatus, QueryResponse, RefundResponse};
use std::os::raw::c_char;

/// A verified, successful gateway answer; it keeps its kind, so the payUrl
/// getters refuse a query or refund answer cleanly. Immutable: may be read
/// by any number of threads at once.
pub struct cmpay_response {
    pub(crate) inner: Answer,
}

pub(crate) enum Answer {
    Order(OrderResponse),
    Query(QueryResponse),
    Refund(RefundResponse),
}

impl Answer {
    fn params(&self) -> &Params {
        match self {
            Answer::Order(r) => &r.params,
            Answer::Query(r) => &r.params,
            Answer::Refund(r) => &r.params,
        }
    }

    fn kind(&self) -> MessageKind {
        match self {
            Answer::Order(_) => MessageKind::OrderResponse,
            Answer::Query(_) => MessageKind::QueryResponse,
            Answer::Refund(_) => MessageKind::RefundResponse,
        }
    }

    fn pay_url(&self) -> FfiResult<&PayUrl> {
        match self {
            Answer::Order(r) => Ok(&r.pay_url),
            other => Err(invalid(format!(
                "a {} has no payUrl; only an order-response does",
                other.kind().name()
            ))),
        }
    }
}

/// Parses and verifies a gateway answer exactly as it arrived (raw bytes).
/// `kind` is "order-response", "query-response" or "refund-response".
/// A verified answer's payUrl may lead to an http or https cashier, as the
/// live gateway's does.
///
/// CMPAY_GATEWAY for a returnCode other than success (the code in
/// cmpay_last_error_return_code; the message says whether the answer's
/// signature held); CMPAY_SIGNATURE_MISMATCH for a success whose hmac does
/// not verify; CMPAY_PARSE for a malformed, empty or over-64-KiB body or a
/// bad payUrl; CMPAY_INVALID_ARGUMENT for another kind. Free the result
/// with cmpay_response_free.
///
/// # Safety
/// `m` is NULL or a live merchant; `body` NULL with length 0 or readable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_response_parse(
    m: *const cmpay_merchant,
    kind: *const c_char,
    body: *const u8,
    body_len: usize,
    out: *mut *mut cmpay_response,
) -> cmpay_status {
    guard(|| {
        let m = unsafe { args::handle(m, "m") }?;
        let kind = kind_arg(unsafe { args::text(kind, "kind") }?)?;
        let body = unsafe { args::bytes(body, body_len, "body") }?;
        let o = unsafe { args::out(out, "out") }?;
        let verifier = m.inner.verifier();
        let answer = match kind {
            MessageKind::OrderResponse => Answer::Order(OrderResponse::parse(verifier, body)?),
            MessageKind::QueryResponse => Answer::Query(QueryResponse::parse(verifier, body)?),
            MessageKind::RefundResponse => Answer::Refund(RefundResponse::parse(verifier, body)?),
            other => {
                return Err(invalid(format!(
                    "{} is not a gateway answer (order-response, query-response, refund-response)",
                    other.name()
                )));
            }
        };
        *o = into_handle(cmpay_response { inner: answer });
        Ok(())
    })
}

/// One field of the answer (UTF-8, decoded), e.g. "payUrl", "status",
/// "amount"; a field sent empty is "". CMPAY_NOT_FOUND when the answer has
/// no such field. Free with cmpay_string_free.
///
/// # Safety
/// `r` is NULL or a live response; `name` NULL or NUL-terminated; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_response_field(
    r: *const cmpay_response,
    name: *const c_char,
    out: *mut *mut c_char,
) -> cmpay_status {
    unsafe {
        args::field_out(r, "r", name, out, |r| {
            (r.inner.params(), r.inner.kind().name())
        })
    }
}

/// Every field of the answer, in the order received, as NUL pairs into the
/// caller's buffer, nothing to free: "name\0value\0..." (UTF-8, decoded,
/// every name and value followed by one NUL), as cmpay_notification_fields_into.
///
/// # Safety
/// `r` is NULL or a live response; `buf` NULL or `buf_len` writable bytes;
/// `needed` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_response_fields_into(
    r: *const cmpay_response,
    buf: *mut c_char,
    buf_len: usize,
    needed: *mut usize,
) -> cmpay_status {
    unsafe {
        args::pairs_into(r, "r", buf, buf_len, needed, |r| {
            (r.inner.params(), r.inner.kind().name())
        })
    }
}

/// The payUrl token of an order-response in its three parts: the cashier's
/// URL, the method ("get" or "post") and the sessionId. All three outputs
/// are required and written together. CMPAY_INVALID_ARGUMENT for a query or
/// refund answer. Free each string with cmpay_string_free.
///
/// # Safety
/// `r` is NULL or a live response; each output NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_response_pay_url(
    r: *const cmpay_response,
    url: *mut *mut c_char,
    method: *mut *mut c_char,
    session_id: *mut *mut c_char,
) -> cmpay_status {
    guard(|| {
        let r = unsafe { args::handle(r, "r") }?;
        let (ou, om, os) = (
            unsafe { args::out(url, "url") }?,
            unsafe { args::out(method, "method") }?,
            unsafe { args::out(session_id, "session_id") }?,
        );
        let p = r.inner.pay_url()?;
        let (u, m, s) = (
            c_string(p.url.clone(), "url")?,
            c_string(p.method.clone(), "method")?,
            c_string(p.session_id.clone(), "sessionId")?,
        );
        *ou = u.into_raw();
        *om = m.into_raw();
        *os = s.into_raw();
        Ok(())
    })
}

/// The URL to send the shopper's browser to with an HTTP 302:
/// "url?sessionId=..." (order-response only, else CMPAY_INVALID_ARGUMENT).
/// Free with cmpay_string_free.
///
/// # Safety
/// `r` is NULL or a live response; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_response_redirect_url(
    r: *const cmpay_response,
    out: *mut *mut c_char,
) -> cmpay_status {
    unsafe {
        args::string_out(r, "r", out, "redirect URL", |r| {
            Ok(r.inner.pay_url()?.redirect_url())
        })
    }
}

/// A complete HTML page (UTF-8) that submits itself to the cashier with the
/// token's method, values escaped (order-response only, else
/// CMPAY_INVALID_ARGUMENT). Free with cmpay_string_free.
///
/// # Safety
/// `r` is NULL or a live response; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_response_html_form(
    r: *const cmpay_response,
    out: *mut *mut c_char,
) -> cmpay_status {
    unsafe {
        args::string_out(r, "r", out, "HTML form", |r| {
            Ok(r.inner.pay_url()?.html_form())
        })
    }
}

/// An order's state as a query or refund answer's `status` field gives it
/// (cmpay::OrderStatus). Values are stable.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum cmpay_order_status {
    /// Any status other than SUCCESS or FAILED, or none: not paid yet.
    CMPAY_ORDER_PENDING = 0,
    /// status SUCCESS.
    CMPAY_ORDER_PAID = 1,
    /// status FAILED.
    CMPAY_ORDER_FAILED = 2,
}

/// The order's state from a query (or refund) answer's status field:
/// SUCCESS is CMPAY_ORDER_PAID, FAILED is CMPAY_ORDER_FAILED, any other value
/// or none CMPAY_ORDER_PENDING. CMPAY_INVALID_ARGUMENT for an order-response.
///
/// # Safety
/// `r` is NULL or a live response; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_response_order_status(
    r: *const cmpay_response,
    out: *mut cmpay_order_status,
) -> cmpay_status {
    guard(|| {
        let r = unsafe { args::handle(r, "r") }?;
        // Not args::out: the slot may hold any int, which is no valid enum to
        // make a reference to; it is only ever written, through the pointer.
        if out.is_null() {
            return Err(Failure::Null("out"));
        }
        let status = match &r.inner {
            Answer::Query(q) => q.status(),
            Answer::Refund(f) => OrderStatus::from_status(f.params.value("status")),
            Answer::Order(_) => {
                return Err(invalid(
                    "an order-response has no order status; query the order",
                ));
            }
        };
        let value = match status {
            OrderStatus::Pending => cmpay_order_status::CMPAY_ORDER_PENDING,
            OrderStatus::Paid => cmpay_order_status::CMPAY_ORDER_PAID,
            OrderStatus::Failed => cmpay_order_status::CMPAY_ORDER_FAILED,
        };
        // SAFETY: non-NULL and writable (the caller's contract); write() neither
        // reads nor drops what was there.
        unsafe { out.write(value) };
        Ok(())
    })
}

/// The answer's amount in fen: paid (a query answer) or refunded (a refund
/// answer). CMPAY_NOT_FOUND when the answer has no amount or an empty one;
/// CMPAY_PARSE when it is not an integer.
///
/// # Safety
/// `r` is NULL or a live response; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_response_amount(
    r: *const cmpay_response,
    out: *mut u64,
) -> cmpay_status {
    guard(|| {
        let r = unsafe { args::handle(r, "r") }?;
        let o = unsafe { args::out(out, "out") }?;
        match fen_field(r.inner.params(), "amount")? {
            Some(fen) => {
                *o = fen;
                Ok(())
            }
            None => Err(Failure::NotFound("the answer has no amount".into())),
        }
    })
}

/// Frees a response. NULL is a no-op.
///
/// # Safety
/// `r` is NULL or a live response no other thread is using.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_response_free(r: *mut cmpay_response) {
    unsafe { args::free_handle(r) }
}
