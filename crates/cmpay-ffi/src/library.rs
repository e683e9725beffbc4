//! Version, status names, the last error and the string free.

use super::status::{Part, StatusArg, cmpay_status, guard_str, guard_void, last, last_status};
use std::ffi::{CStr, CString};
use std::os::raw::c_char;

const VERSION: &CStr =
    match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(v) => v,
        Err(_) => panic!("the package version holds a NUL byte"),
    };

/// The library's version, e.g. "0.2.0" (the same as CMPAY_VERSION when the
/// header matches the library). Static: never freed.
#[unsafe(no_mangle)]
pub extern "C" fn cmpay_version() -> *const c_char {
    guard_str(|| VERSION.as_ptr())
}

/// The enumerator's name of a status, e.g. "CMPAY_GATEWAY"; "CMPAY_UNKNOWN"
/// for a number that is no status. Static: never freed.
#[unsafe(no_mangle)]
pub extern "C" fn cmpay_status_name(s: StatusArg) -> *const c_char {
    guard_str(|| match cmpay_status::from_raw(s.0) {
        Some(status) => status.name().as_ptr(),
        None => c"CMPAY_UNKNOWN".as_ptr(),
    })
}

/// The status of the last call on this thread that returned a status:
/// CMPAY_OK when it succeeded.
#[unsafe(no_mangle)]
pub extern "C" fn cmpay_last_status() -> cmpay_status {
    // Reads a thread-local integer: nothing here can panic or allocate.
    last_status()
}

/// Why the last call on this thread that returned a status other than
/// CMPAY_OK failed: UTF-8 text, "" when the last call succeeded. The pointer
/// belongs to the library (do not free it) and is valid until the next
/// cmpay_ call that returns a status on this thread: copy it first.
#[unsafe(no_mangle)]
pub extern "C" fn cmpay_last_error() -> *const c_char {
    guard_str(|| last(Part::Message))
}

/// The gateway return code of the last error on this thread: the answer's
/// returnCode for CMPAY_GATEWAY (e.g. "RPM22201"), the code the gateway would
/// answer with for some CMPAY_FIELD_INVALID (e.g. "MCG01033"), else "".
/// Same lifetime as cmpay_last_error().
#[unsafe(no_mangle)]
pub extern "C" fn cmpay_last_error_return_code() -> *const c_char {
    guard_str(|| last(Part::ReturnCode))
}

/// The field named by the last CMPAY_FIELD_INVALID on this thread (e.g.
/// "productName"), else "". Same lifetime as cmpay_last_error().
#[unsafe(no_mangle)]
pub extern "C" fn cmpay_last_error_field() -> *const c_char {
    guard_str(|| last(Part::Field))
}

/// Frees a string the library returned through a `char **` output. NULL is
/// a no-op. Never pass it a string from anywhere else (nor the static ones of
/// cmpay_version, cmpay_status_name, cmpay_last_error*), and never free the
/// library's strings with the host's free().
///
/// # Safety
/// `s` is NULL or a string from a `char **` output of this library, not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cmpay_string_free(s: *mut c_char) {
    guard_void(|| {
        if !s.is_null() {
            // SAFETY: made by CString::into_raw in this library (the caller's contract).
            drop(unsafe { CString::from_raw(s) });
        }
    })
}

#[cfg(test)]
mod tests {
    /// The header's preamble (build.rs) lists the message kinds the C ABI
    /// takes: exactly the core's, in its order (scripts/check-statuses.py
    /// holds every binding's constants to this list).
    #[test]
    fn the_header_lists_the_cores_message_kinds() {
        let header = include_str!("../include/cmpay.h");
        let start = header
            .find("Message kinds are the strings")
            .expect("the preamble names the kinds");
        let end = start + header[start..].find(".\n").expect("the sentence ends");
        let listed: Vec<&str> = header[start..end].split('"').skip(1).step_by(2).collect();
        let core: Vec<&str> = cmpay::MessageKind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(listed, core);
    }
}
