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

/// The level of a log record (cmpay_config_set_logger): 1 is the most
/// severe; a logger set with a `min_level` gets that level and every more
/// severe one.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum cmpay_log_level {
    /// A request or notification failed (timeout, TLS, transport, an
    /// answer refused).
    CMPAY_LOG_ERROR = 1,
    /// A gateway error, a retry, a refused notification.
    CMPAY_LOG_WARN = 2,
    /// Every exchange: request sent, answer received, notification verified.
    CMPAY_LOG_INFO = 3,
    /// The bodies sent and received, their hmac redacted.
    CMPAY_LOG_DEBUG = 4,
}

/// A log callback: `level` is a cmpay_log_level, `event` a stable name
/// ("request.sent", "answer.received", "answer.refused", "retry",
/// "timeout", "tls.failed", "transport.failed", "notify.verified",
/// "notify.refused", and at debug level "request.body", "answer.body",
/// "notify.body"), `message` one line of UTF-8. Both strings belong to the
/// library and are valid only during the call: copy them. `user_data` is
/// what was given to cmpay_config_set_logger.
pub type cmpay_log_callback = Option<
    unsafe extern "C-unwind" fn(
        user_data: *mut std::os::raw::c_void,
        level: i32,
        event: *const c_char,
        message: *const c_char,
    ),
>;

/// The host's callback and its user data, as a `cmpay::Logger`.
struct HostLogger {
    callback:
        unsafe extern "C-unwind" fn(*mut std::os::raw::c_void, i32, *const c_char, *const c_char),
    user_data: *mut std::os::raw::c_void,
}

// SAFETY: cmpay_config_set_logger's contract: the callback may be called
// from any thread, several at once, with this user_data.
unsafe impl Send for HostLogger {}
// SAFETY: as above.
unsafe impl Sync for HostLogger {}

impl cmpay::log::Logger for HostLogger {
    fn log(&self, level: cmpay::log::Level, event: &str, message: &str) {
        let text = |s: &str| std::ffi::CString::new(s.replace('\0', "\\0")).unwrap_or_default();
        let (event, message) = (text(event), text(message));
        // SAFETY: the host's callback, called as its contract says; a Rust
        // panic unwinding out of it is caught by the caller (LogSink::log).
        unsafe {
            (self.callback)(
                self.user_data,
                level as i32,
                event.as_ptr(),
                message.as_ptr(),
            )
        }
    }
}

/// Sets where clients made from this configuration report every exchange:
/// requests sent (kind, type, URL, requestId, orderId, timeouts), answers
/// received (HTTP status, milliseconds, returnCode, message), notifications
/// verified or refused (cmpay_client_parse_notification), retries, timeouts
/// and TLS failures; at CMPAY_LOG_DEBUG also the bodies. Never logged: the
/// signKey, a private key, the hmac of any message (redacted from bodies),
/// the signature source.
///
/// `callback` NULL removes the logger. `min_level` (a cmpay_log_level, 1 to
/// 4): records at that level and more severe are given to the callback;
/// CMPAY_INVALID_ARGUMENT for another number. A client made from the
/// configuration keeps the callback and `user_data` it had when
/// cmpay_client_new made it (setting another one later changes only clients
/// made later), and calls it on the thread making each call, from any
/// thread, several at once, until cmpay_client_free returns: never after.
/// Keep `user_data` valid (and the callback loaded) until then. No lock is
/// held while it runs. It must return normally (a C++ exception or longjmp out of it is undefined behaviour; a
/// Rust panic unwinding out of it is caught, and that record dropped).
///
/// # Safety
/// `c` is NULL or a live configuration no other thread is using; `callback`
/// NULL or a function that may be called as described, with `user_data`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_config_set_logger(
    c: *mut cmpay_config,
    callback: cmpay_log_callback,
    user_data: *mut std::os::raw::c_void,
    min_level: i32,
) -> cmpay_status {
    guard(|| {
        let c = unsafe { args::handle_mut(c, "c") }?;
        let level = cmpay::log::Level::from_number(min_level).ok_or_else(|| {
            invalid(format!(
                "min_level {min_level} is not a cmpay_log_level (1 error, 2 warn, 3 info, 4 debug)"
            ))
        })?;
        c.inner.logger = callback.map(|callback| {
            cmpay::log::LogSink::new(
                HostLogger {
                    callback,
                    user_data,
                },
                level,
            )
        });
        Ok(())
    })
}

/// As cmpay_notification_parse for the client's merchant, reporting the
/// outcome to the client's logger ("notify.verified" with orderId, payNo,
/// amount and status, or "notify.refused" with the reason; the body at
/// CMPAY_LOG_DEBUG, its hmac redacted). No I/O. Free the result with
/// cmpay_notification_free.
///
/// # Safety
/// `c` is NULL or a live client; `body` NULL with length 0 or readable;
/// `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_client_parse_notification(
    c: *const cmpay_client,
    body: *const u8,
    body_len: usize,
    out: *mut *mut cmpay_notification,
) -> cmpay_status {
    guard(|| {
        let c = unsafe { args::handle(c, "c") }?;
        let body = unsafe { args::bytes(body, body_len, "body") }?;
        let o = unsafe { args::out(out, "out") }?;
        let n = c.inner.parse_notification(body)?;
        *o = into_handle(cmpay_notification { inner: n });
        Ok(())
    })
}

/// A client configured from the process's environment variables, on top of
/// the configuration `c` (NULL: the defaults; its logger and any setting no
/// variable gives are kept; it is copied and may be freed right after):
/// - CMPAY_MERCHANT_ID (required);
/// - MD5: CMPAY_SIGN_KEY, or CMPAY_SIGN_KEY_FILE (a file holding the
///   signKey; one trailing newline, LF or CRLF, and a UTF-8 BOM are
///   removed, any other whitespace is refused);
/// - RSA: CMPAY_RSA_PRIVATE_KEY_FILE and CMPAY_RSA_PUBLIC_KEY_FILE (the
///   merchant's private key, the gateway's public key or certificate; also
///   spelt CMPAY_PRIVATE_KEY_FILE and CMPAY_GATEWAY_KEY_FILE);
/// - CMPAY_ENDPOINT, CMPAY_CHARSET (00, 01, 02, GBK, GB2312, UTF-8),
///   CMPAY_CONNECT_TIMEOUT_MS, CMPAY_TIMEOUT_MS (1 to 120000),
///   CMPAY_PROXY, CMPAY_EXTRA_CA_FILE (PEM), CMPAY_ALLOW_HTTP (1, true,
///   yes, on or 0, false, no, off).
///
/// A variable set to "" counts as unset. Exactly one way of signing must be
/// set. Every bad value fails naming its variable (no error quotes a key):
/// CMPAY_INVALID_ARGUMENT for a missing or bad value, CMPAY_KEY for a key
/// or key file that cannot be read or is refused, CMPAY_TLS for an extra CA
/// file that is not readable PEM. Free with cmpay_client_free.
///
/// # Safety
/// `c` is NULL or a live configuration; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_client_from_env(
    c: *const cmpay_config,
    out: *mut *mut cmpay_client,
) -> cmpay_status {
    guard(|| {
        // SAFETY: NULL or a live configuration (the caller's contract).
        let base = unsafe { c.as_ref() }
            .map(|c| c.inner.clone())
            .unwrap_or_default();
        let o = unsafe { args::out(out, "out") }?;
        let client = Client::from_env_with(base)?;
        *o = into_handle(cmpay_client { inner: client });
        Ok(())
    })
}

/// A client configured as cmpay_client_from_env does, from the variables
/// given in `vars` instead of the process's environment (which is not read):
/// NUL-terminated pairs `NAME\0value\0...` with the names of
/// cmpay_client_from_env (CMPAY_MERCHANT_ID, CMPAY_SIGN_KEY_FILE, ...), the
/// same rules and the same errors naming the variable. For a framework's
/// own configuration (Spring Boot's `cmpay.*` properties, a web.config
/// section) mapped onto those names: a name that is not one of them is
/// refused (CMPAY_INVALID_ARGUMENT naming it), so a misspelt setting fails
/// instead of being ignored. Free with cmpay_client_free.
///
/// # Safety
/// `c` is NULL or a live configuration; `vars` NULL with length 0 or
/// readable; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_client_from_vars(
    c: *const cmpay_config,
    vars: *const u8,
    vars_len: usize,
    out: *mut *mut cmpay_client,
) -> cmpay_status {
    guard(|| {
        // SAFETY: NULL or a live configuration (the caller's contract).
        let base = unsafe { c.as_ref() }
            .map(|c| c.inner.clone())
            .unwrap_or_default();
        let body = unsafe { args::bytes(vars, vars_len, "vars") }?;
        let o = unsafe { args::out(out, "out") }?;
        let vars = args::params(body, "vars")?;
        if let Some((name, _)) = vars
            .iter()
            .find(|(name, _)| !cmpay::env::VARIABLES.contains(name))
        {
            return Err(invalid(format!(
                "vars: {name:?} is not a configuration variable (one of {})",
                cmpay::env::VARIABLES.join(", ")
            )));
        }
        let client = Client::from_lookup(base, |name| vars.get(name).map(Into::into))?;
        *o = into_handle(cmpay_client { inner: client });
        Ok(())
    })
}

/// The merchant the client signs and verifies for, as a new handle (e.g. for
/// a client made by cmpay_client_from_env). Free with cmpay_merchant_free.
///
/// # Safety
/// `c` is NULL or a live client; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_client_merchant(
    c: *const cmpay_client,
    out: *mut *mut cmpay_merchant,
) -> cmpay_status {
    guard(|| {
        let c = unsafe { args::handle(c, "c") }?;
        let o = unsafe { args::out(out, "out") }?;
        *o = into_handle(cmpay_merchant {
            inner: c.inner.merchant().clone(),
        });
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merchant::cmpay_merchant_new_md5;
    use crate::notification::cmpay_notification_free;
    use std::ffi::CStr;
    use std::os::raw::c_void;
    use std::sync::Mutex;

    unsafe extern "C-unwind" fn record(
        user_data: *mut c_void,
        level: i32,
        event: *const c_char,
        message: *const c_char,
    ) {
        // SAFETY: user_data is the test's Mutex; the strings are live C strings.
        let seen = unsafe { &*(user_data as *const Mutex<Vec<String>>) };
        let (event, message) = unsafe { (CStr::from_ptr(event), CStr::from_ptr(message)) };
        seen.lock().unwrap().push(format!(
            "{level} {} {}",
            event.to_string_lossy(),
            message.to_string_lossy()
        ));
    }

    unsafe extern "C-unwind" fn panics(_: *mut c_void, _: i32, _: *const c_char, _: *const c_char) {
        panic!("a host callback that unwinds");
    }

    fn client_with(
        callback: cmpay_log_callback,
        user_data: *mut c_void,
        level: i32,
    ) -> *mut cmpay_client {
        let key = format!("{}\0", "k".repeat(64));
        let mut m = std::ptr::null_mut();
        let mut c = std::ptr::null_mut();
        let mut client = std::ptr::null_mut();
        unsafe {
            assert_eq!(
                cmpay_merchant_new_md5(c"888009941120001".as_ptr(), key.as_ptr().cast(), &mut m),
                cmpay_status::CMPAY_OK
            );
            assert_eq!(cmpay_config_new(&mut c), cmpay_status::CMPAY_OK);
            assert_eq!(
                cmpay_config_set_logger(c, callback, user_data, level),
                cmpay_status::CMPAY_OK
            );
            assert_eq!(cmpay_client_new(m, c, &mut client), cmpay_status::CMPAY_OK);
            cmpay_config_free(c);
            crate::merchant::cmpay_merchant_free(m);
        }
        client
    }

    #[test]
    fn the_callback_gets_records_and_a_panicking_one_is_contained() {
        let seen: Mutex<Vec<String>> = Mutex::new(Vec::new());
        let client = client_with(Some(record), &seen as *const _ as *mut c_void, 4);
        let mut n = std::ptr::null_mut();
        let body = b"type=OfflineNotify&hmac=0123456789abcdef0123456789abcdef";
        let status =
            unsafe { cmpay_client_parse_notification(client, body.as_ptr(), body.len(), &mut n) };
        assert_ne!(status, cmpay_status::CMPAY_OK);
        assert!(n.is_null());
        unsafe { cmpay_client_free(client) };
        let seen = seen.into_inner().unwrap();
        assert_eq!(seen.len(), 2, "{seen:?}");
        assert!(seen[0].starts_with("4 notify.body "), "{seen:?}");
        assert!(seen[0].contains("hmac=[redacted]") && !seen[0].contains("0123456789abcdef"));
        assert!(seen[1].starts_with("2 notify.refused "), "{seen:?}");

        let client = client_with(Some(panics), std::ptr::null_mut(), 4);
        let status =
            unsafe { cmpay_client_parse_notification(client, body.as_ptr(), body.len(), &mut n) };
        assert_eq!(status, cmpay_status::CMPAY_SIGNATURE_MISMATCH);
        unsafe {
            cmpay_notification_free(n);
            cmpay_client_free(client);
        }
    }

    #[test]
    fn a_bad_level_is_refused_and_null_removes_the_logger() {
        let mut c = std::ptr::null_mut();
        unsafe {
            assert_eq!(cmpay_config_new(&mut c), cmpay_status::CMPAY_OK);
            for bad in [0, 5, -1] {
                assert_eq!(
                    cmpay_config_set_logger(c, Some(record), std::ptr::null_mut(), bad),
                    cmpay_status::CMPAY_INVALID_ARGUMENT
                );
            }
            assert!((*c).inner.logger.is_none());
            assert_eq!(
                cmpay_config_set_logger(c, Some(record), std::ptr::null_mut(), 1),
                cmpay_status::CMPAY_OK
            );
            assert!((*c).inner.logger.is_some());
            assert_eq!(
                cmpay_config_set_logger(c, None, std::ptr::null_mut(), 3),
                cmpay_status::CMPAY_OK
            );
            assert!((*c).inner.logger.is_none());
            cmpay_config_free(c);
        }
    }

    #[test]
    fn from_vars_reads_the_given_names_only_and_refuses_others() {
        let from = |vars: &[u8]| {
            let mut client = std::ptr::null_mut();
            let status = unsafe {
                cmpay_client_from_vars(std::ptr::null(), vars.as_ptr(), vars.len(), &mut client)
            };
            (status, client)
        };
        let key = "k".repeat(64);
        let good = format!(
            "CMPAY_MERCHANT_ID\0888009941120001\0CMPAY_SIGN_KEY\0{key}\0CMPAY_ENDPOINT\0https://127.0.0.1:9/x\0"
        );
        let (status, client) = from(good.as_bytes());
        assert_eq!(status, cmpay_status::CMPAY_OK);
        let mut m = std::ptr::null_mut();
        unsafe {
            assert_eq!(
                cmpay_client_merchant(client, &mut m),
                cmpay_status::CMPAY_OK
            );
            assert_eq!((*m).inner.merchant_id(), "888009941120001");
            crate::merchant::cmpay_merchant_free(m);
            assert_eq!((*client).inner.config().endpoint, "https://127.0.0.1:9/x");
            cmpay_client_free(client);
        }
        // A misspelt name is refused, not ignored; no key: the error names the variables.
        for (vars, status, says) in [
            (
                format!("CMPAY_MERCHANT_ID\0888009941120001\0CMPAY_SIGNKEY\0{key}\0"),
                cmpay_status::CMPAY_INVALID_ARGUMENT,
                "\"CMPAY_SIGNKEY\" is not a configuration variable",
            ),
            (
                "CMPAY_MERCHANT_ID\0888009941120001\0".to_string(),
                cmpay_status::CMPAY_INVALID_ARGUMENT,
                "no key is set: CMPAY_SIGN_KEY or CMPAY_SIGN_KEY_FILE",
            ),
            (
                "CMPAY_MERCHANT_ID=1&CMPAY_SIGN_KEY=2".to_string(),
                cmpay_status::CMPAY_INVALID_ARGUMENT,
                "NUL-terminated pairs",
            ),
        ] {
            let (got, client) = from(vars.as_bytes());
            assert_eq!(got, status, "{vars:?}");
            assert!(client.is_null());
            let message = unsafe { CStr::from_ptr(crate::library::cmpay_last_error()) }
                .to_string_lossy()
                .into_owned();
            assert!(message.contains(says), "{message}");
            assert!(!message.contains(&key), "{message}");
        }
    }
}
