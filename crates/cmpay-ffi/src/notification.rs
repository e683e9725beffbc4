//! cmpay_notification: a verified PageNotify or OfflineNotify.

use super::args::{self, into_handle};
use super::merchant::cmpay_merchant;
use super::status::{CBool, Failure, cmpay_status, guard};
use cmpay::notify::Notification;
use std::os::raw::c_char;

/// A notification whose signature held (there is no other kind of
/// cmpay_notification, so the ack cannot be had for a forged one). Its
/// fields never change; what the shop learns about it (cmpay_notification_rule_out,
/// cmpay_client_confirm) is kept under a lock: any number of threads may use
/// it at once.
pub struct cmpay_notification {
    pub(crate) inner: Notification,
}

/// amtItem: how the paid amount splits, in fen.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct cmpay_amt_item {
    /// CNY_AMT: cash
    pub cash: u64,
    /// CMY_AMT: prepaid card
    pub prepaid: u64,
    /// RED_AMT: e-coupon
    pub coupon: u64,
    /// VCH_AMT: voucher
    pub voucher: u64,
    /// POT_CHG_AMT: points
    pub points: u64,
}

/// Parses a notification body exactly as it arrived (raw bytes of the POST
/// body or the query string) and verifies it with the merchant's key under
/// the four decodings of protocol §8 (UTF-8 once, UTF-8 twice, GB18030
/// once, GB18030 twice; the first that holds), then checks every field's
/// format and that merchantId is this merchant's.
///
/// Only verified notifications give a handle: CMPAY_SIGNATURE_MISMATCH when
/// the hmac does not verify (answer nothing, or an error, to the gateway);
/// CMPAY_PARSE for a malformed, empty or over-64-KiB body or a type other
/// than PageNotify/OfflineNotify; CMPAY_FIELD_INVALID for a field that breaks
/// its format or another merchant's merchantId. A handle may still be
/// ambiguous (cmpay_notification_is_ambiguous): cmpay_notification_check_order
/// then refuses it until cmpay_client_confirm has confirmed it. Free the
/// result with cmpay_notification_free.
///
/// # Safety
/// `m` is NULL or a live merchant; `body` NULL with length 0 or readable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_notification_parse(
    m: *const cmpay_merchant,
    body: *const u8,
    body_len: usize,
    out: *mut *mut cmpay_notification,
) -> cmpay_status {
    guard(|| {
        let m = unsafe { args::handle(m, "m") }?;
        let body = unsafe { args::bytes(body, body_len, "body") }?;
        let o = unsafe { args::out(out, "out") }?;
        let n = Notification::parse_for(&m.inner, body)?;
        *o = into_handle(cmpay_notification { inner: n });
        Ok(())
    })
}

/// One field (UTF-8, decoded), e.g. "payNo", "orderId", "status"; a field
/// sent empty is "". CMPAY_NOT_FOUND when absent. Free with cmpay_string_free.
///
/// # Safety
/// `n` is NULL or a live notification; `name` NULL or NUL-terminated; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_notification_field(
    n: *const cmpay_notification,
    name: *const c_char,
    out: *mut *mut c_char,
) -> cmpay_status {
    unsafe { args::field_out(n, "n", name, out, |n| (n.inner.params(), "notification")) }
}

/// Every field, in the order received, as NUL pairs into the caller's
/// buffer, nothing to free: "name\0value\0name\0value\0..." (UTF-8,
/// decoded, every name and value followed by one NUL, so an empty value is
/// "\0"): all fields in one crossing. `needed` gets the bytes the pairs
/// take on CMPAY_OK and on CMPAY_BUFFER_TOO_SMALL, when `buf` is left
/// untouched (NULL with `buf_len` 0 asks the size). CMPAY_PARSE when a value
/// holds a NUL (read it with cmpay_notification_field).
///
/// # Safety
/// `n` is NULL or a live notification; `buf` NULL or `buf_len` writable
/// bytes; `needed` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_notification_fields_into(
    n: *const cmpay_notification,
    buf: *mut c_char,
    buf_len: usize,
    needed: *mut usize,
) -> cmpay_status {
    unsafe {
        args::pairs_into(n, "n", buf, buf_len, needed, |n| {
            (n.inner.params(), "notification")
        })
    }
}

/// The paid amount in fen. CMPAY_PARSE when amount is absent or not an
/// integer.
///
/// # Safety
/// `n` is NULL or a live notification; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_notification_amount(
    n: *const cmpay_notification,
    out: *mut u64,
) -> cmpay_status {
    unsafe { args::value_out(n, "n", out, |n| Ok(n.inner.amount()?)) }
}

/// amtItem's parts in fen (a part left out is 0). CMPAY_PARSE for an
/// unknown part or a value that is not an integer.
///
/// # Safety
/// `n` is NULL or a live notification; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_notification_amt_item(
    n: *const cmpay_notification,
    out: *mut cmpay_amt_item,
) -> cmpay_status {
    unsafe {
        args::value_out(n, "n", out, |n| {
            let a = n.inner.amt_item()?;
            Ok(cmpay_amt_item {
                cash: a.cash,
                prepaid: a.prepaid,
                coupon: a.coupon,
                voucher: a.voucher,
                points: a.points,
            })
        })
    }
}

/// The merchant fee in fen (fee arrives in yuan, converted exactly).
/// CMPAY_NOT_FOUND when fee is empty or absent; CMPAY_PARSE when it is not
/// an amount with at most two decimals.
///
/// # Safety
/// `n` is NULL or a live notification; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_notification_fee_fen(
    n: *const cmpay_notification,
    out: *mut u64,
) -> cmpay_status {
    unsafe {
        args::value_out(n, "n", out, |n| {
            n.inner
                .fee_fen()?
                .ok_or_else(|| Failure::NotFound("the notification's fee is empty".into()))
        })
    }
}

/// Whether the order is paid: status SUCCESS and a success returnCode.
///
/// # Safety
/// `n` is NULL or a live notification; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_notification_is_paid(
    n: *const cmpay_notification,
    out: *mut CBool,
) -> cmpay_status {
    unsafe { args::value_out(n, "n", out, |n| Ok(CBool::from(n.inner.is_paid()))) }
}

/// Whether the notification's signed source has another reading, under
/// every rule, with another orderId, amount, payNo, returnCode, status or
/// type, not ruled out (cmpay_notification_rule_out): the bytes cannot say
/// which was meant. Confirm it with the gateway (cmpay_client_confirm)
/// before recording it.
///
/// # Safety
/// `n` is NULL or a live notification; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_notification_is_ambiguous(
    n: *const cmpay_notification,
    out: *mut CBool,
) -> cmpay_status {
    unsafe { args::value_out(n, "n", out, |n| Ok(CBool::from(n.inner.is_ambiguous()))) }
}

/// The other readings of the notification (ruled out or not), one a line
/// (`merchantId=... payNo=... returnCode=... type=... amount=... orderId=...
/// status=...`); "" when it is unambiguous. Free with cmpay_string_free.
///
/// # Safety
/// `n` is NULL or a live notification; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_notification_other_readings(
    n: *const cmpay_notification,
    out: *mut *mut c_char,
) -> cmpay_status {
    unsafe {
        args::string_out(n, "n", out, "other readings", |n| {
            Ok(n.inner
                .other_readings()
                .iter()
                .map(|r| format!("{r}\n"))
                .collect())
        })
    }
}

/// The orderIds that the other readings name (not the notification's own),
/// one a line; "" when there are none. For each, ask the shop's own orders:
/// one that is no order of the shop's is ruled out with
/// cmpay_notification_rule_out, and a notification whose other readings are
/// all ruled out is no longer ambiguous. Free with cmpay_string_free.
///
/// # Safety
/// `n` is NULL or a live notification; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_notification_other_order_ids(
    n: *const cmpay_notification,
    out: *mut *mut c_char,
) -> cmpay_status {
    unsafe {
        args::string_out(n, "n", out, "other order ids", |n| {
            Ok(n.inner
                .other_order_ids()
                .iter()
                .map(|id| format!("{id}\n"))
                .collect())
        })
    }
}

/// Rules out the other readings naming `order_id`, once the shop has found
/// it is no order of its own (a re-split to an order that does not exist
/// pays nothing). Readings that keep the notification's orderId but change
/// its amount, payNo or status cannot be ruled out: those need
/// cmpay_client_confirm. CMPAY_INVALID_ARGUMENT when no other reading names
/// `order_id`. Safe while other threads read the notification.
///
/// # Safety
/// `n` is NULL or a live notification; `order_id` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_notification_rule_out(
    n: *const cmpay_notification,
    order_id: *const c_char,
) -> cmpay_status {
    guard(|| {
        let n = unsafe { args::handle(n, "n") }?;
        let order_id = unsafe { args::text(order_id, "order_id") }?;
        n.inner.rule_out(order_id)?;
        Ok(())
    })
}

/// Whether the gateway has confirmed the notification (cmpay_client_confirm).
///
/// # Safety
/// `n` is NULL or a live notification; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_notification_is_confirmed(
    n: *const cmpay_notification,
    out: *mut CBool,
) -> cmpay_status {
    unsafe { args::value_out(n, "n", out, |n| Ok(CBool::from(n.inner.is_confirmed()))) }
}

/// Checks that the notification is for the order the merchant created:
/// same merchantId, orderId and amount (fen), and that it means only that.
/// Do this before recording a payment. CMPAY_OK, or CMPAY_FIELD_INVALID with
/// cmpay_last_error_field() naming the first field that differs; CMPAY_PARSE
/// when the notification's amount is absent or not an integer;
/// CMPAY_AMBIGUOUS when it is ambiguous and not confirmed by the gateway
/// (cmpay_client_confirm, then check again).
///
/// # Safety
/// `n` is NULL or a live notification; strings NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_notification_check_order(
    n: *const cmpay_notification,
    merchant_id: *const c_char,
    order_id: *const c_char,
    amount_fen: u64,
) -> cmpay_status {
    guard(|| {
        let n = unsafe { args::handle(n, "n") }?;
        let merchant_id = unsafe { args::text(merchant_id, "merchant_id") }?;
        let order_id = unsafe { args::text(order_id, "order_id") }?;
        n.inner.check_order(merchant_id, order_id, amount_fen)?;
        Ok(())
    })
}

/// The body to answer an OfflineNotify with once the payment is recorded:
/// "SUCCESS". Free with cmpay_string_free.
///
/// # Safety
/// `n` is NULL or a live notification; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_notification_ack(
    n: *const cmpay_notification,
    out: *mut *mut c_char,
) -> cmpay_status {
    unsafe { args::string_out(n, "n", out, "ack", |n| Ok(n.inner.ack().to_string())) }
}

/// Frees a notification. NULL is a no-op.
///
/// # Safety
/// `n` is NULL or a live notification no other thread is using.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_notification_free(n: *mut cmpay_notification) {
    unsafe { args::free_handle(n) }
}
