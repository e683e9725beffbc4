//! The status enum, the thread-local last error and the panic boundary that
//! every `extern "C"` function runs its body inside.

use cmpay::error::{Error, ErrorCode};
use std::any::Any;
use std::cell::RefCell;
use std::ffi::{CStr, CString};
use std::os::raw::c_char;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// The result of every fallible function. Values are stable and only ever
/// appended. 1..99 are the core library's error codes: each equals the
/// cmpay::ErrorCode of the same number and name. 100 and up belong to the C
/// ABI itself. Outputs are written only on `CMPAY_OK`; after any other value
/// `cmpay_last_error()` says why.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum cmpay_status {
    /// Success; the outputs were written.
    CMPAY_OK = 0,
    /// A value is wrong in a way no field table describes: an unknown message
    /// kind, field name or option, a parameter body without '=', a handle of
    /// the wrong kind for the call.
    CMPAY_INVALID_ARGUMENT = 1,
    /// A field fails its rule (too long, empty, not digits, not a date...).
    /// cmpay_last_error_field() names it; cmpay_last_error_return_code() gives
    /// the code the gateway itself would answer with, where it has one.
    CMPAY_FIELD_INVALID = 2,
    /// A key could not be loaded or was refused (too short, wrong type, empty).
    CMPAY_KEY = 3,
    /// A message's hmac does not match its contents.
    CMPAY_SIGNATURE_MISMATCH = 4,
    /// A body or value is malformed (also: a body over 64 KiB).
    CMPAY_PARSE = 5,
    /// The gateway answered with a return code other than success;
    /// cmpay_last_error_return_code() gives it (e.g. "RPM22201").
    CMPAY_GATEWAY = 6,
    /// DNS, connect, reset, or an HTTP status without a usable body.
    CMPAY_TRANSPORT = 7,
    /// The connect or request timeout passed.
    CMPAY_TIMEOUT = 8,
    /// The TLS handshake failed (certificate not trusted, wrong host name...).
    CMPAY_TLS = 9,
    /// A verified notification (or query answer) whose signed source has
    /// another reading that changes its order, amount, payNo, status or
    /// type: the bytes cannot decide which was meant. Confirm it with the
    /// gateway (cmpay_client_confirm) before recording it; cmpay_last_error()
    /// names the other readings.
    CMPAY_AMBIGUOUS = 10,
    /// The gateway's answer to the order query does not confirm the
    /// notification (another status, amount or payNo): do not record it.
    CMPAY_NOT_CONFIRMED = 11,
    /// The request was not signed: its signature source reads as a message
    /// the gateway sends this merchant (a notification or an answer), so
    /// its hmac would forge one. Change the free-text fields (reserved1,
    /// reserved2, productName, ...) and sign again.
    CMPAY_FORGEABLE_SOURCE = 12,
    /// A pointer argument that may not be NULL was NULL.
    CMPAY_NULL_POINTER = 100,
    /// A string argument (or a bulk parameter, once percent-decoded) is not
    /// valid UTF-8.
    CMPAY_INVALID_UTF8 = 101,
    /// The library panicked (a bug); the call had no effect.
    CMPAY_PANIC = 102,
    /// The field, code or value asked for does not exist.
    CMPAY_NOT_FOUND = 103,
    /// The caller's buffer is too small for what a `*_into` function would
    /// write; nothing was written to it, and its `needed` output holds the
    /// size that fits (never a truncated value).
    CMPAY_BUFFER_TOO_SMALL = 104,
}

/// The one list of statuses, in number order, from which `ALL`, `name()`,
/// `from_raw()` and `from_code()` come; every other copy (the bindings'
/// tables, the README) is checked against the generated header by
/// scripts/check-statuses.py. The enum above stays written out because
/// cbindgen cannot see through a macro; the exhaustive `match` in `name()`
/// makes the compiler refuse a status missing here or an entry missing there.
/// A status that is a core error names its `ErrorCode` (`= Code`): the
/// exhaustive `match` in `from_code()` refuses an `ErrorCode` missing here,
/// and a constant assertion refuses one whose number differs.
macro_rules! statuses {
    ($($status:ident $(= $code:ident)?),* $(,)?) => {
        impl cmpay_status {
            /// Every status, in number order.
            pub(crate) const ALL: &'static [cmpay_status] = &[$(cmpay_status::$status),*];

            /// The enumerator's name, e.g. "CMPAY_GATEWAY".
            pub(crate) fn name(self) -> &'static CStr {
                match self {
                    $(cmpay_status::$status => {
                        const NAME: &CStr = match CStr::from_bytes_with_nul(
                            concat!(stringify!($status), "\0").as_bytes(),
                        ) {
                            Ok(name) => name,
                            Err(_) => panic!("a status name holds a NUL"),
                        };
                        NAME
                    })*
                }
            }

            /// The status of a core error: the one of the same number.
            pub(crate) const fn from_code(code: ErrorCode) -> cmpay_status {
                match code {
                    $($(ErrorCode::$code => cmpay_status::$status,)?)*
                }
            }

            /// The core error a status in 1..99 stands for.
            #[cfg(test)]
            pub(crate) const fn code(self) -> Option<ErrorCode> {
                match self {
                    $($(cmpay_status::$status => Some(ErrorCode::$code),)?)*
                    _ => None,
                }
            }
        }

        // Each ErrorCode and its status have the same number.
        $($(const _: () = assert!(
            ErrorCode::$code as i64 == cmpay_status::$status as i64,
            concat!("ErrorCode::", stringify!($code), " and ", stringify!($status), " differ in number"),
        );)?)*
    };
}

statuses![
    CMPAY_OK,
    CMPAY_INVALID_ARGUMENT = InvalidArgument,
    CMPAY_FIELD_INVALID = FieldInvalid,
    CMPAY_KEY = Key,
    CMPAY_SIGNATURE_MISMATCH = SignatureMismatch,
    CMPAY_PARSE = Parse,
    CMPAY_GATEWAY = Gateway,
    CMPAY_TRANSPORT = Transport,
    CMPAY_TIMEOUT = Timeout,
    CMPAY_TLS = Tls,
    CMPAY_AMBIGUOUS = Ambiguous,
    CMPAY_NOT_CONFIRMED = NotConfirmed,
    CMPAY_FORGEABLE_SOURCE = ForgeableSource,
    CMPAY_NULL_POINTER,
    CMPAY_INVALID_UTF8,
    CMPAY_PANIC,
    CMPAY_NOT_FOUND,
    CMPAY_BUFFER_TOO_SMALL,
];

impl cmpay_status {
    /// The status with this number, if there is one.
    pub(crate) fn from_raw(n: i32) -> Option<cmpay_status> {
        cmpay_status::ALL.iter().copied().find(|s| *s as i32 == n)
    }
}

/// A `cmpay_status` as it arrives from the host: any int, because a value
/// outside the enum must not be undefined behaviour. Spelled `cmpay_status`
/// in the header (cbindgen.toml renames it).
#[repr(transparent)]
#[derive(Debug, Clone, Copy)]
pub struct StatusArg(pub i32);

/// A C `bool` as it arrives from the host: any byte, nonzero meaning true
/// (a Rust `bool` holding 2 would be undefined behaviour). Spelled `bool` in
/// the header (cbindgen.toml renames it).
#[repr(transparent)]
#[derive(Debug, Clone, Copy)]
pub struct CBool(pub u8);

impl CBool {
    pub(crate) fn get(self) -> bool {
        self.0 != 0
    }
}

impl From<bool> for CBool {
    fn from(b: bool) -> CBool {
        CBool(u8::from(b))
    }
}

/// Why a call failed, before it becomes a status and a last error.
#[derive(Debug)]
pub(crate) enum Failure {
    Core(Error),
    Null(&'static str),
    Utf8(String),
    NotFound(String),
    TooSmall(String),
    Panic(String),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Core(e)
    }
}

pub(crate) type FfiResult<T = ()> = Result<T, Failure>;

pub(crate) fn invalid(msg: impl Into<String>) -> Failure {
    Failure::Core(Error::InvalidArgument(msg.into()))
}

#[derive(Default)]
struct LastError {
    set: bool,
    /// The failed call's status (0, CMPAY_OK, when the last call succeeded).
    status: i32,
    message: CString,
    return_code: CString,
    field: CString,
}

thread_local! {
    static LAST: RefCell<LastError> = RefCell::new(LastError::default());
}

fn c_text(s: &str) -> CString {
    // Messages may quote received text; a NUL in it would end the C string.
    CString::new(s.replace('\0', "\\0")).unwrap_or_default()
}

/// Forgets the last error (at the start of every fallible call).
fn clear() {
    let _ = LAST.try_with(|l| {
        if let Ok(mut l) = l.try_borrow_mut()
            && l.set
        {
            *l = LastError::default();
        }
    });
}

fn record(failure: Failure) -> cmpay_status {
    let (status, message, return_code, field) = match failure {
        Failure::Core(e) => {
            let field = match &e {
                Error::Field { field, .. } => field.clone(),
                _ => String::new(),
            };
            let code = e.return_code().unwrap_or("").to_string();
            (
                cmpay_status::from_code(e.code()),
                e.to_string(),
                code,
                field,
            )
        }
        Failure::Null(what) => (
            cmpay_status::CMPAY_NULL_POINTER,
            format!("{what} is NULL"),
            String::new(),
            String::new(),
        ),
        Failure::Utf8(what) => (
            cmpay_status::CMPAY_INVALID_UTF8,
            format!("{what} is not valid UTF-8"),
            String::new(),
            String::new(),
        ),
        Failure::NotFound(msg) => (
            cmpay_status::CMPAY_NOT_FOUND,
            msg,
            String::new(),
            String::new(),
        ),
        Failure::TooSmall(msg) => (
            cmpay_status::CMPAY_BUFFER_TOO_SMALL,
            msg,
            String::new(),
            String::new(),
        ),
        Failure::Panic(msg) => (
            cmpay_status::CMPAY_PANIC,
            format!("panic inside libcmpay (a bug; please report it): {msg}"),
            String::new(),
            String::new(),
        ),
    };
    let _ = LAST.try_with(|l| {
        if let Ok(mut l) = l.try_borrow_mut() {
            *l = LastError {
                set: true,
                status: status as i32,
                message: c_text(&message),
                return_code: c_text(&return_code),
                field: c_text(&field),
            };
        }
    });
    status
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic payload".to_string()
    }
}

/// The panic boundary of every fallible function: clears the last error,
/// runs `body`, and turns its failure or panic into a status and last error.
pub(crate) fn guard(body: impl FnOnce() -> FfiResult) -> cmpay_status {
    clear();
    let outcome = catch_unwind(AssertUnwindSafe(body));
    // Recording allocates; a panic there must not unwind into the host either.
    let recorded = catch_unwind(AssertUnwindSafe(|| match outcome {
        Ok(Ok(())) => cmpay_status::CMPAY_OK,
        Ok(Err(failure)) => record(failure),
        Err(payload) => record(Failure::Panic(panic_message(payload.as_ref()))),
    }));
    recorded.unwrap_or(cmpay_status::CMPAY_PANIC)
}

/// The status of the calling thread's last failed call (CMPAY_OK when the
/// last one succeeded).
pub(crate) fn last_status() -> cmpay_status {
    LAST.try_with(|l| l.try_borrow().map_or(0, |l| l.status))
        .ok()
        .and_then(cmpay_status::from_raw)
        .unwrap_or(cmpay_status::CMPAY_PANIC)
}

/// The panic boundary of functions that return nothing (the `_free`s).
pub(crate) fn guard_void(body: impl FnOnce()) {
    let _ = catch_unwind(AssertUnwindSafe(body));
}

/// The panic boundary of functions returning a static or thread-local C
/// string: `fallback` (a static "") if anything goes wrong.
pub(crate) fn guard_str(body: impl FnOnce() -> *const c_char) -> *const c_char {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(c"".as_ptr())
}

/// Which part of the last error to read.
pub(crate) enum Part {
    Message,
    ReturnCode,
    Field,
}

/// A pointer to the calling thread's last error part; valid until the next
/// fallible cmpay_ call on this thread replaces it.
pub(crate) fn last(part: Part) -> *const c_char {
    LAST.try_with(|l| match l.try_borrow() {
        Ok(l) => match part {
            Part::Message => l.message.as_ptr(),
            Part::ReturnCode => l.return_code.as_ptr(),
            Part::Field => l.field.as_ptr(),
        },
        Err(_) => c"".as_ptr(),
    })
    .unwrap_or(c"".as_ptr())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn last_message() -> String {
        // SAFETY: `last` returns a valid NUL-terminated thread-local string.
        unsafe { CStr::from_ptr(last(Part::Message)) }
            .to_string_lossy()
            .into_owned()
    }

    #[test]
    fn a_panic_becomes_a_status_and_a_message() {
        let status = guard(|| panic!("boom {}", 42));
        assert_eq!(status, cmpay_status::CMPAY_PANIC);
        assert!(last_message().contains("boom 42"), "{}", last_message());
        guard_void(|| panic!("in a free"));
        assert_eq!(guard_str(|| panic!("in a getter")), c"".as_ptr());
        assert_eq!(guard(|| Ok(())), cmpay_status::CMPAY_OK);
        assert_eq!(last_message(), "");
    }

    #[test]
    fn failures_fill_the_last_error() {
        let status = guard(|| {
            Err(Failure::Core(Error::field(
                "productName",
                "too long",
                Some("MCG01081"),
            )))
        });
        assert_eq!(status, cmpay_status::CMPAY_FIELD_INVALID);
        // SAFETY: as above.
        let (code, field) = unsafe {
            (
                CStr::from_ptr(last(Part::ReturnCode)),
                CStr::from_ptr(last(Part::Field)),
            )
        };
        assert_eq!(
            (code.to_str().unwrap(), field.to_str().unwrap()),
            ("MCG01081", "productName")
        );
        assert_eq!(
            guard(|| Err(Failure::Utf8("x\0y".into()))),
            cmpay_status::CMPAY_INVALID_UTF8
        );
        assert!(last_message().contains("x\\0y"));
        for n in (-1..=1024).chain([i32::MIN, i32::MAX]) {
            let known = cmpay_status::ALL.iter().any(|s| *s as i32 == n);
            assert_eq!(cmpay_status::from_raw(n).is_some(), known, "{n}");
            assert!(cmpay_status::from_raw(n).is_none_or(|s| s as i32 == n));
        }
    }

    #[test]
    fn the_list_names_every_status_in_order_and_matches_the_error_codes() {
        let numbers: Vec<i32> = cmpay_status::ALL.iter().map(|s| *s as i32).collect();
        assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{numbers:?}");
        assert_eq!(numbers[0], 0);
        for s in cmpay_status::ALL {
            assert_eq!(s.name().to_str().unwrap(), format!("{s:?}"));
            // 1..99 are the core's error codes, each the status of the same
            // number and name (InvalidArgument -> CMPAY_INVALID_ARGUMENT);
            // 0 and 100 up are the C ABI's own.
            let n = *s as i32;
            match s.code() {
                Some(code) => {
                    assert!((1..=99).contains(&n), "{s:?}");
                    assert_eq!(code as i32, n);
                    assert_eq!(cmpay_status::from_code(code), *s);
                    let mut snake = String::from("CMPAY");
                    for c in format!("{code:?}").chars() {
                        if c.is_ascii_uppercase() {
                            snake.push('_');
                        }
                        snake.push(c.to_ascii_uppercase());
                    }
                    assert_eq!(format!("{s:?}"), snake);
                }
                None => assert!(n == 0 || n >= 100, "{s:?} is in 1..99 without an ErrorCode"),
            }
        }
    }
}
