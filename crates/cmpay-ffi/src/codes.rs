//! The code tables: gateway return codes and bank codes.

use super::args::{self, c_string};
use super::status::{Failure, cmpay_status, guard};
use cmpay::codes;
use std::os::raw::c_char;

/// Looks up a gateway return code by either spelling (e.g. "MCG01088" or
/// "C01088"): its canonical spelling (the payment document's), its Chinese
/// and its English meaning. All three outputs are required and written
/// together. CMPAY_NOT_FOUND for an unknown code. Free each string with
/// cmpay_string_free.
///
/// # Safety
/// `code` is NULL or NUL-terminated; each output NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_return_code_lookup(
    code: *const c_char,
    canonical: *mut *mut c_char,
    chinese: *mut *mut c_char,
    english: *mut *mut c_char,
) -> cmpay_status {
    guard(|| {
        let code = unsafe { args::text(code, "code") }?;
        let (o1, o2, o3) = (
            unsafe { args::out(canonical, "canonical") }?,
            unsafe { args::out(chinese, "chinese") }?,
            unsafe { args::out(english, "english") }?,
        );
        let rc = codes::return_code(code)
            .ok_or_else(|| Failure::NotFound(format!("unknown return code {code:?}")))?;
        let (a, b, c) = (
            c_string(rc.code.into(), "code")?,
            c_string(rc.chinese.into(), "chinese")?,
            c_string(rc.english.into(), "english")?,
        );
        *o1 = a.into_raw();
        *o2 = b.into_raw();
        *o3 = c.into_raw();
        Ok(())
    })
}

/// The Chinese name of a bank code (bankAbbr, e.g. "ICBC" -> "工商银行").
/// CMPAY_NOT_FOUND for an unknown code. Free with cmpay_string_free.
///
/// # Safety
/// `bank_code` is NULL or NUL-terminated; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_bank_name(
    bank_code: *const c_char,
    out: *mut *mut c_char,
) -> cmpay_status {
    guard(|| {
        let bank_code = unsafe { args::text(bank_code, "bank_code") }?;
        let o = unsafe { args::out(out, "out") }?;
        let bank = codes::bank(bank_code)
            .ok_or_else(|| Failure::NotFound(format!("unknown bank code {bank_code:?}")))?;
        let s = c_string(bank.name.into(), "bank name")?;
        *o = s.into_raw();
        Ok(())
    })
}
