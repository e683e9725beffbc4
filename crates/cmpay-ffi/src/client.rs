//! cmpay_config and cmpay_client: the network side.

use super::args::{self, into_handle};
use super::merchant::cmpay_merchant;
use super::notification::cmpay_notification;
use super::response::{Answer, cmpay_response};
use super::status::{FfiResult, cmpay_status, guard, invalid};
use cmpay::charset::Charset;
use cmpay::client::{Client, ClientConfig};
use std::os::raw::c_char;
use std::time::Duration;

/// How a client reaches the gateway. NOT thread-safe: build it on one
/// thread, pass it to cmpay_client_new (which copies it), then free it.
pub struct cmpay_config {
    pub(crate) inner: ClientConfig,
}

/// A client: one merchant, one HTTPS agent. Immutable and thread-safe: one
/// handle may be used by any number of threads at once (share one per
/// process; connections are pooled).
pub struct cmpay_client {
    pub(crate) inner: Client,
}

/// A configuration with the defaults: the live gateway's endpoint
/// (`https://ipos.10086.cn/ips/cmpayService`), charset 00 (GBK), connect
/// timeout 5000 ms, timeout 30000 ms, no proxy, Mozilla's roots, https only.
/// Free with cmpay_config_free.
///
/// # Safety
/// `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_config_new(out: *mut *mut cmpay_config) -> cmpay_status {
    guard(|| {
        let o = unsafe { args::out(out, "out") }?;
        *o = into_handle(cmpay_config {
            inner: ClientConfig::default(),
        });
        Ok(())
    })
}

fn millis(name: &str, value: &str) -> FfiResult<Duration> {
    match value.parse::<u64>() {
        Ok(ms) if ms > 0 => Ok(Duration::from_millis(ms)),
        _ => Err(invalid(format!(
            "{name} {value:?} is not a whole number of milliseconds greater than 0"
        ))),
    }
}

/// Sets one option by name (values are text):
/// - "endpoint": the gateway URL (https://...; http:// only with allow_http);
/// - "charset": "00" (GBK), "01" (GB2312) or "02" (UTF-8), used when an
///   order leaves characterSet out;
/// - "connect_timeout_ms", "timeout_ms": whole milliseconds, greater than 0
///   (timeout_ms bounds the whole request);
/// - "proxy": an HTTP(S) proxy URL such as "http://proxy:3128", "" for none
///   (the environment's proxy variables are never read);
/// - "allow_http": "true" or "false" (a plain http endpoint, for a test
///   gateway only; TLS verification can never be switched off; a verified
///   answer's payUrl may be http or https whatever this says).
///
/// CMPAY_INVALID_ARGUMENT for an unknown name or a bad value (the endpoint
/// and proxy are checked fully by cmpay_client_new). The configuration is
/// unchanged on failure.
///
/// # Safety
/// `c` is NULL or a live configuration no other thread is using; strings
/// NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_config_set(
    c: *mut cmpay_config,
    name: *const c_char,
    value: *const c_char,
) -> cmpay_status {
    guard(|| {
        let c = unsafe { args::handle_mut(c, "c") }?;
        let name = unsafe { args::text(name, "name") }?;
        let value = unsafe { args::text(value, "value") }?;
        let cfg = &mut c.inner;
        match name {
            "endpoint" => cfg.endpoint = value.to_string(),
            "charset" => {
                cfg.charset = Charset::from_code(value).map_err(|_| {
                    invalid(format!(
                        "charset {value:?} is not 00 (GBK), 01 (GB2312) or 02 (UTF-8)"
                    ))
                })?
            }
            "connect_timeout_ms" => cfg.connect_timeout = millis(name, value)?,
            "timeout_ms" => cfg.timeout = millis(name, value)?,
            "proxy" => cfg.proxy = (!value.is_empty()).then(|| value.to_string()),
            "allow_http" => {
                cfg.allow_http = match value {
                    "true" => true,
                    "false" => false,
                    _ => {
                        return Err(invalid(format!(
                            "allow_http {value:?} is neither true nor false"
                        )));
                    }
                }
            }
            _ => {
                return Err(invalid(format!(
                    "unknown option {name:?} (endpoint, charset, connect_timeout_ms, timeout_ms, proxy, allow_http)"
                )));
            }
        }
        Ok(())
    })
}

/// Adds an extra trusted CA certificate (PEM, one or more CERTIFICATE
/// blocks) to Mozilla's roots, e.g. a test gateway's. It is read by
/// cmpay_client_new, which fails with CMPAY_TLS when it is not readable PEM.
/// CMPAY_INVALID_ARGUMENT for an empty one.
///
/// # Safety
/// `c` is NULL or a live configuration no other thread is using; `pem` NULL
/// with length 0 or readable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_config_add_ca_pem(
    c: *mut cmpay_config,
    pem: *const u8,
    pem_len: usize,
) -> cmpay_status {
    guard(|| {
        let c = unsafe { args::handle_mut(c, "c") }?;
        let pem = unsafe { args::bytes(pem, pem_len, "pem") }?;
        if pem.is_empty() {
            return Err(invalid("the CA certificate is empty"));
        }
        if pem.len() > 1024 * 1024 {
            return Err(invalid(format!(
                "a CA certificate of {} bytes is not plausible (limit 1 MiB)",
                pem.len()
            )));
        }
        c.inner.extra_ca_pem.push(pem.to_vec());
        Ok(())
    })
}

/// Frees a configuration. NULL is a no-op. Clients made from it keep their
/// own copy.
///
/// # Safety
/// `c` is NULL or a live configuration no other thread is using.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_config_free(c: *mut cmpay_config) {
    unsafe { args::free_handle(c) }
}

/// A client for the merchant with the configuration (NULL: the defaults).
/// Both are copied: they may be freed right after. CMPAY_INVALID_ARGUMENT
/// for a bad endpoint (not https without allow_http, not a URL), proxy or
/// timeout; CMPAY_TLS for an extra CA that is not readable PEM. Free with
/// cmpay_client_free.
///
/// # Safety
/// `m` is NULL or a live merchant; `c` NULL or a live configuration; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_client_new(
    m: *const cmpay_merchant,
    c: *const cmpay_config,
    out: *mut *mut cmpay_client,
) -> cmpay_status {
    guard(|| {
        let m = unsafe { args::handle(m, "m") }?;
        // SAFETY: NULL or a live configuration (the caller's contract).
        let config = unsafe { c.as_ref() }
            .map(|c| c.inner.clone())
            .unwrap_or_default();
        let o = unsafe { args::out(out, "out") }?;
        let client = Client::new(m.inner.clone(), config)?;
        *o = into_handle(cmpay_client { inner: client });
        Ok(())
    })
}

/// Signs and sends an order (DirectPayConfirm unless `type` says another),
/// in one crossing: `params` is NUL pairs as for
/// cmpay_merchant_sign_request. requestId is generated when absent and
/// characterSet taken from the configuration when absent. Never retried: on
/// CMPAY_TRANSPORT or CMPAY_TIMEOUT the order's state is unknown; query it
/// before trying again with a new orderId.
///
/// On CMPAY_OK `out` is an order-response (payUrl getters work). Statuses as
/// cmpay_merchant_sign_request and cmpay_response_parse, plus
/// CMPAY_TRANSPORT, CMPAY_TIMEOUT and CMPAY_TLS; CMPAY_PARSE also when the
/// answer echoes another merchantId or requestId. Free with cmpay_response_free.
///
/// # Safety
/// `c` is NULL or a live client; `params` NULL with length 0 or readable; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_client_create_order(
    c: *const cmpay_client,
    params: *const u8,
    params_len: usize,
    out: *mut *mut cmpay_response,
) -> cmpay_status {
    guard(|| {
        let c = unsafe { args::handle(c, "c") }?;
        let body = unsafe { args::bytes(params, params_len, "params") }?;
        let o = unsafe { args::out(out, "out") }?;
        let params = args::params(body, "params")?;
        *o = into_handle(cmpay_response {
            inner: Answer::Order(c.inner.create_order(&params)?),
        });
        Ok(())
    })
}

/// Asks the gateway for an order's state (OrderQuery). Retried once, with a
/// new requestId, when the connection failed below HTTP. On CMPAY_OK `out` is
/// a query-response (fields "status", "amount", ...). Free with
/// cmpay_response_free.
///
/// # Safety
/// `c` is NULL or a live client; `order_id` NULL or NUL-terminated; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_client_query_order(
    c: *const cmpay_client,
    order_id: *const c_char,
    out: *mut *mut cmpay_response,
) -> cmpay_status {
    guard(|| {
        let c = unsafe { args::handle(c, "c") }?;
        let order_id = unsafe { args::text(order_id, "order_id") }?;
        let o = unsafe { args::out(out, "out") }?;
        *o = into_handle(cmpay_response {
            inner: Answer::Query(c.inner.query_order(order_id)?),
        });
        Ok(())
    })
}

/// Confirms a notification with the gateway: queries its orderId
/// (OrderQuery, retried as cmpay_client_query_order) and marks it confirmed
/// when the verified answer agrees: the same merchantId and orderId, one
/// reading, and for a paid notification status SUCCESS with the same amount
/// and payNo. Then cmpay_notification_check_order passes an ambiguous
/// notification. CMPAY_NOT_CONFIRMED when the gateway disagrees (record
/// nothing); CMPAY_AMBIGUOUS when its answer has another reading itself;
/// CMPAY_GATEWAY (e.g. RPM22201, no such order), CMPAY_TRANSPORT,
/// CMPAY_TIMEOUT or CMPAY_TLS leave it unconfirmed. The notification may be
/// shared between threads: confirming it is safe while others read it.
///
/// # Safety
/// `c` is NULL or a live client; `n` NULL or a live notification.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_client_confirm(
    c: *const cmpay_client,
    n: *const cmpay_notification,
) -> cmpay_status {
    guard(|| {
        let c = unsafe { args::handle(c, "c") }?;
        let n = unsafe { args::handle(n, "n") }?;
        c.inner.confirm(&n.inner)?;
        Ok(())
    })
}

/// Refunds `amount_fen` of a paid order (OrderRefund). Never retried. On
/// CMPAY_OK `out` is a refund-response. Free with cmpay_response_free.
///
/// # Safety
/// `c` is NULL or a live client; `order_id` NULL or NUL-terminated; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_client_refund(
    c: *const cmpay_client,
    order_id: *const c_char,
    amount_fen: u64,
    out: *mut *mut cmpay_response,
) -> cmpay_status {
    guard(|| {
        let c = unsafe { args::handle(c, "c") }?;
        let order_id = unsafe { args::text(order_id, "order_id") }?;
        let o = unsafe { args::out(out, "out") }?;
        *o = into_handle(cmpay_response {
            inner: Answer::Refund(c.inner.refund(order_id, amount_fen)?),
        });
        Ok(())
    })
}

/// Frees a client. NULL is a no-op. No other thread may still be using it.
///
/// # Safety
/// `c` is NULL or a live client that no other thread is using.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_client_free(c: *mut cmpay_client) {
    unsafe { args::free_handle(c) }
}
