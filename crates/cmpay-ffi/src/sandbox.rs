//! cmpay_sandbox: the gateway simulator (cmpay-sandbox) started inside the
//! host's process, for a shop's tests (docs/sandbox-test-api.md).

use super::args::{self, into_handle};
use super::client::cmpay_client;
use super::merchant::cmpay_merchant;
use super::status::{Failure, FfiResult, cmpay_status, guard, invalid};
use ::cmpay_sandbox::{
    Refusal, RefusalCode, Sandbox, SandboxConfig, TEST_MD5_MERCHANT_ID, TEST_MD5_SIGN_KEY,
};
use cmpay::client::{Client, ClientConfig};
use cmpay::error::Error;
use cmpay::merchant::Merchant;
use std::os::raw::c_char;
use std::time::Duration;

/// A gateway simulator running inside this process, on 127.0.0.1 (a port
/// the system chose), with the test merchants of `cmpay sandbox` (the MD5
/// one of cmpay_sandbox_merchant, and the RSA one); notifications are
/// resent on the gateway's schedule in real time, and each answer that does
/// not acknowledge one is also reported on stderr, one line with the reason.
/// Thread-safe: one handle may be used by any number of threads at once;
/// only cmpay_sandbox_free must not race with other use.
pub struct cmpay_sandbox {
    inner: Sandbox,
}

/// The flags of cmpay_sandbox_start, or-ed together.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum cmpay_sandbox_flag {
    /// Serve HTTPS with a certificate signed by a CA made at start
    /// (cmpay_sandbox_ca_pem_into); without it, plain HTTP.
    CMPAY_SANDBOX_HTTPS = 1,
}

/// Starts a simulator in this process and its threads (an HTTP server on
/// 127.0.0.1, a port chosen by the system, and the notification workers).
/// `flags`: 0, or CMPAY_SANDBOX_HTTPS. CMPAY_INVALID_ARGUMENT for an
/// unknown flag; CMPAY_TRANSPORT when it cannot listen or start a thread.
/// Stop and free it with cmpay_sandbox_free.
///
/// # Safety
/// `out` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_sandbox_start(
    flags: u32,
    out: *mut *mut cmpay_sandbox,
) -> cmpay_status {
    guard(|| {
        let o = unsafe { args::out(out, "out") }?;
        let known = cmpay_sandbox_flag::CMPAY_SANDBOX_HTTPS as u32;
        if flags & !known != 0 {
            return Err(invalid(format!(
                "flags {flags:#x} has bits that are no cmpay_sandbox_flag (CMPAY_SANDBOX_HTTPS = 1)"
            )));
        }
        let sandbox = Sandbox::start(SandboxConfig {
            https: flags & known != 0,
            ..SandboxConfig::default()
        })?;
        *o = into_handle(cmpay_sandbox { inner: sandbox });
        Ok(())
    })
}

/// The gateway URL a client is configured with
/// (`http://127.0.0.1:PORT/ips/cmpayService`, or https), into the caller's
/// buffer as the *_into functions do (NUL-terminated; `needed` counts it).
///
/// # Safety
/// `s` is NULL or a live sandbox; `buf` NULL or `buf_len` writable bytes;
/// `needed` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_sandbox_endpoint_into(
    s: *const cmpay_sandbox,
    buf: *mut c_char,
    buf_len: usize,
    needed: *mut usize,
) -> cmpay_status {
    unsafe { args::text_into(s, "s", buf, buf_len, needed, |s| s.inner.endpoint()) }
}

/// The PEM of the CA that signed the simulator's certificate (with
/// CMPAY_SANDBOX_HTTPS; give it to cmpay_config_add_ca_pem), or the empty
/// string (a lone NUL) for a plain-HTTP simulator. As the *_into functions.
///
/// # Safety
/// As cmpay_sandbox_endpoint_into.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_sandbox_ca_pem_into(
    s: *const cmpay_sandbox,
    buf: *mut c_char,
    buf_len: usize,
    needed: *mut usize,
) -> cmpay_status {
    unsafe {
        args::text_into(s, "s", buf, buf_len, needed, |s| {
            s.inner.ca_pem().unwrap_or_default()
        })
    }
}

/// A notifyUrl the simulator serves itself, answering every OfflineNotify
/// `SUCCESS`, for an order whose test has no notify endpoint of its own (a
/// test of the shop's notify handler gives that handler's URL instead, or
/// hands it the body of a delivery from cmpay_sandbox_deliveries_into). As
/// the *_into functions.
///
/// # Safety
/// As cmpay_sandbox_endpoint_into.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_sandbox_notify_url_into(
    s: *const cmpay_sandbox,
    buf: *mut c_char,
    buf_len: usize,
    needed: *mut usize,
) -> cmpay_status {
    unsafe { args::text_into(s, "s", buf, buf_len, needed, |s| s.inner.notify_url()) }
}

fn test_merchant() -> FfiResult<Merchant> {
    Ok(Merchant::md5(TEST_MD5_MERCHANT_ID, TEST_MD5_SIGN_KEY)?)
}

/// The simulator's MD5 test merchant (merchantId 888009941120001 and its
/// made-up signKey), for code that builds its own client. Free with
/// cmpay_merchant_free.
///
/// # Safety
/// `s` is NULL or a live sandbox; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_sandbox_merchant(
    s: *const cmpay_sandbox,
    out: *mut *mut cmpay_merchant,
) -> cmpay_status {
    guard(|| {
        let _ = unsafe { args::handle(s, "s") }?;
        let o = unsafe { args::out(out, "out") }?;
        *o = into_handle(cmpay_merchant {
            inner: test_merchant()?,
        });
        Ok(())
    })
}

/// A client of the simulator's MD5 test merchant (cmpay_sandbox_merchant),
/// configured with its endpoint, its CA (with CMPAY_SANDBOX_HTTPS) or
/// allow_http (without), and the other defaults of cmpay_config_new. It
/// holds no reference to the sandbox: once the sandbox is freed its calls
/// fail with CMPAY_TRANSPORT. Free with cmpay_client_free.
///
/// # Safety
/// `s` is NULL or a live sandbox; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_sandbox_client(
    s: *const cmpay_sandbox,
    out: *mut *mut cmpay_client,
) -> cmpay_status {
    guard(|| {
        let s = unsafe { args::handle(s, "s") }?;
        let o = unsafe { args::out(out, "out") }?;
        let ca = s.inner.ca_pem();
        let config = ClientConfig {
            endpoint: s.inner.endpoint(),
            allow_http: ca.is_none(),
            extra_ca_pem: ca.map(|p| vec![p.into_bytes()]).unwrap_or_default(),
            ..ClientConfig::default()
        };
        *o = into_handle(cmpay_client {
            inner: Client::new(test_merchant()?, config)?,
        });
        Ok(())
    })
}

/// A refusal of the test API as a status: an unknown order is
/// CMPAY_NOT_FOUND, a wait that ended unacknowledged CMPAY_TIMEOUT, the
/// rest CMPAY_INVALID_ARGUMENT; the message starts with its stable code.
fn refused(r: Refusal) -> Failure {
    match r.code {
        RefusalCode::UnknownOrder => Failure::NotFound(r.to_string()),
        RefusalCode::NotAcknowledged => Failure::Core(Error::Timeout(r.message)),
        _ => invalid(r.to_string()),
    }
}

/// The body of pay, fail and expire: the sandbox and the order_id read.
unsafe fn on_order(
    s: *const cmpay_sandbox,
    order_id: *const c_char,
    act: impl FnOnce(&Sandbox, &str) -> Result<(), Refusal>,
) -> cmpay_status {
    guard(|| {
        let s = unsafe { args::handle(s, "s") }?;
        let order_id = unsafe { args::text(order_id, "order_id") }?;
        act(&s.inner, order_id).map_err(refused)
    })
}

/// Pays the order `order_id` as a buyer at the cashier would: it becomes
/// paid (the query answers SUCCESS), and its OfflineNotify is POSTed to the
/// order's notifyUrl at once, then resent on the gateway's schedule until
/// answered exactly `SUCCESS`. The order is looked for among every
/// merchant's; an orderId two merchants use is refused
/// (CMPAY_INVALID_ARGUMENT, "ambiguous-order"). CMPAY_NOT_FOUND for an
/// unknown order ("unknown-order"); CMPAY_INVALID_ARGUMENT for one paid,
/// failed or expired already ("already-paid", "already-failed",
/// "expired": the last error's message starts with the code).
///
/// # Safety
/// `s` is NULL or a live sandbox; `order_id` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_sandbox_pay(
    s: *const cmpay_sandbox,
    order_id: *const c_char,
) -> cmpay_status {
    unsafe { on_order(s, order_id, |s, id| s.pay(None, id).map(drop)) }
}

/// As cmpay_sandbox_pay, but the payment is refused (the cashier's fail
/// button): the order becomes FAILED, and its OfflineNotify says so.
///
/// # Safety
/// As cmpay_sandbox_pay.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_sandbox_fail(
    s: *const cmpay_sandbox,
    order_id: *const c_char,
) -> cmpay_status {
    unsafe { on_order(s, order_id, |s, id| s.fail(None, id).map(drop)) }
}

/// Puts an unpaid order past its validity, as time would: paying it is
/// refused and the query answers RPM99981; no notification is sent.
/// Statuses as cmpay_sandbox_pay.
///
/// # Safety
/// As cmpay_sandbox_pay.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_sandbox_expire(
    s: *const cmpay_sandbox,
    order_id: *const c_char,
) -> cmpay_status {
    unsafe { on_order(s, order_id, |s, id| s.expire(None, id).map(drop)) }
}

/// Waits up to `timeout_ms` until an OfflineNotify of the order was
/// answered exactly `SUCCESS` by its notifyUrl: CMPAY_OK. CMPAY_TIMEOUT
/// otherwise, the last error saying "not acknowledged: " and why (what the
/// last answer was and why it does not count, or that no notification was
/// sent: the order is unpaid or expired). CMPAY_NOT_FOUND for an unknown
/// order; CMPAY_INVALID_ARGUMENT for one two merchants use.
///
/// # Safety
/// `s` is NULL or a live sandbox; `order_id` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_sandbox_wait_notified(
    s: *const cmpay_sandbox,
    order_id: *const c_char,
    timeout_ms: u32,
) -> cmpay_status {
    guard(|| {
        let s = unsafe { args::handle(s, "s") }?;
        let order_id = unsafe { args::text(order_id, "order_id") }?;
        s.inner
            .wait_notified(None, order_id, Duration::from_millis(timeout_ms.into()))
            .map(drop)
            .map_err(refused)
    })
}

/// Every OfflineNotify send so far, oldest first, as the JSON document
/// `GET /sandbox/deliveries` answers (an array of objects: merchantId,
/// orderId, payNo, attempt, url, httpStatus, answer, acked, notAcked (why
/// not), error, body (what was POSTed), ...), into the caller's buffer as
/// the *_into functions do.
///
/// # Safety
/// As cmpay_sandbox_endpoint_into.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_sandbox_deliveries_into(
    s: *const cmpay_sandbox,
    buf: *mut c_char,
    buf_len: usize,
    needed: *mut usize,
) -> cmpay_status {
    unsafe {
        args::text_into(s, "s", buf, buf_len, needed, |s| {
            s.inner.deliveries_json(None)
        })
    }
}

/// Stops the simulator and frees it: returns once its server and
/// notification threads have ended (a notification being sent finishes
/// first; those still scheduled are dropped). NULL is a no-op. Free the
/// clients made for it first.
///
/// # Safety
/// `s` is NULL or a live sandbox that no other thread is using.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_sandbox_free(s: *mut cmpay_sandbox) {
    unsafe { args::free_handle(s) }
}
