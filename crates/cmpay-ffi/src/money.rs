//! Money as people read it: the library's one conversion of fen to yuan.

use super::args::{self, c_string};
use super::status::{cmpay_status, guard};
use cmpay::money;
use std::os::raw::c_char;

/// An amount in fen as yuan with two decimals, exactly (1234 -> "12.34",
/// 5 -> "0.05"; no float), for pages and messages that show an amount.
/// Free with cmpay_string_free.
///
/// # Safety
/// `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_yuan(fen: u64, out: *mut *mut c_char) -> cmpay_status {
    guard(|| {
        let o = unsafe { args::out(out, "out") }?;
        *o = c_string(money::yuan(fen), "yuan")?.into_raw();
        Ok(())
    })
}
