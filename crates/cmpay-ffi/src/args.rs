//! Reading arguments from the host and writing outputs back: every raw
//! pointer dereference of the C ABI goes through these few functions.

use super::status::{CBool, Failure, FfiResult, cmpay_status, guard, guard_void, invalid};
use cmpay::body::{self, Fault, Syntax};
use cmpay::error::Error;
use cmpay::params::Params;
use std::ffi::{CStr, CString};
use std::os::raw::c_char;

/// A NUL-terminated UTF-8 string argument. NULL and invalid UTF-8 have their
/// own failures; the text is never altered (no lossy conversion).
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string that outlives the call.
pub(crate) unsafe fn text<'a>(p: *const c_char, what: &'static str) -> FfiResult<&'a str> {
    if p.is_null() {
        return Err(Failure::Null(what));
    }
    // SAFETY: non-NULL and NUL-terminated by the caller's contract.
    let c = unsafe { CStr::from_ptr(p) };
    c.to_str().map_err(|_| Failure::Utf8(what.to_string()))
}

/// A `(pointer, length)` byte argument; NULL with length 0 is empty.
///
/// # Safety
/// `p` is NULL or points to `len` readable bytes that outlive the call.
pub(crate) unsafe fn bytes<'a>(
    p: *const u8,
    len: usize,
    what: &'static str,
) -> FfiResult<&'a [u8]> {
    if p.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(Failure::Null(what))
        };
    }
    if len > isize::MAX as usize {
        return Err(invalid(format!("{what}: length {len} is impossible")));
    }
    // SAFETY: the caller's contract; len fits isize.
    Ok(unsafe { std::slice::from_raw_parts(p, len) })
}

/// A handle argument.
///
/// # Safety
/// `p` is NULL or a live handle of type `T` made by this library.
pub(crate) unsafe fn handle<'a, T>(p: *const T, what: &'static str) -> FfiResult<&'a T> {
    // SAFETY: the caller's contract.
    unsafe { p.as_ref() }.ok_or(Failure::Null(what))
}

/// A mutable handle argument (cmpay_config only).
///
/// # Safety
/// `p` is NULL or a live handle of type `T`, not used by another thread.
pub(crate) unsafe fn handle_mut<'a, T>(p: *mut T, what: &'static str) -> FfiResult<&'a mut T> {
    // SAFETY: the caller's contract.
    unsafe { p.as_mut() }.ok_or(Failure::Null(what))
}

/// A type the host's output slots hold: every bit pattern is a valid value
/// and there is no destructor, so a reference to a slot the host did not
/// initialise is sound, and assigning to it drops nothing.
pub(crate) trait OutSlot: Copy {}
impl<T> OutSlot for *mut T {}
impl OutSlot for u64 {}
impl OutSlot for usize {}
impl OutSlot for CBool {}
impl OutSlot for super::notification::cmpay_amt_item {}

/// An output slot as a reference, checked before any work is done; the
/// function assigns to it only once it has succeeded.
///
/// # Safety
/// `p` is NULL or points to writable, aligned memory for a `T` that outlives
/// the call and that nothing else accesses during it.
pub(crate) unsafe fn out<'a, T: OutSlot>(p: *mut T, what: &'static str) -> FfiResult<&'a mut T> {
    // SAFETY: the caller's contract; `T: OutSlot` makes any content valid.
    unsafe { p.as_mut() }.ok_or(Failure::Null(what))
}

/// A new handle for the host: the value boxed and leaked, freed only by
/// `free_handle` in the handle's own `_free` function. Every handle type is
/// shareable (`Send + Sync`): this bound is where the C ABI asserts it.
pub(crate) fn into_handle<H: Send + Sync>(value: H) -> *mut H {
    Box::into_raw(Box::new(value))
}

/// The body of every `_free` function: NULL is a no-op, and a panic in a
/// destructor stays inside the library.
///
/// # Safety
/// `h` is NULL or was made by `into_handle` and is not used afterwards (nor
/// by another thread during the call).
pub(crate) unsafe fn free_handle<H: Send + Sync>(h: *mut H) {
    guard_void(|| {
        if !h.is_null() {
            // SAFETY: made by `into_handle` (the caller's contract).
            drop(unsafe { Box::from_raw(h) });
        }
    })
}

/// A Rust string as an owned C string for the host. Text holding a NUL
/// byte cannot be a C string: that is a parse failure, never truncation.
pub(crate) fn c_string(s: String, what: &str) -> FfiResult<CString> {
    CString::new(s).map_err(|_| nul_in(what))
}

/// Why text holding a NUL byte is not returned as a C string.
fn nul_in(what: &str) -> Failure {
    Failure::Core(Error::Parse(format!(
        "{what} contains a NUL byte and cannot be returned as a C string"
    )))
}

/// The whole of a getter that reads one value from a handle: the panic
/// boundary, the NULL checks (`arg` names the handle argument), and the
/// value written only on success.
///
/// # Safety
/// `h` is NULL or a live handle; `out` is NULL or writable.
pub(crate) unsafe fn value_out<H, T: OutSlot>(
    h: *const H,
    arg: &'static str,
    out: *mut T,
    pick: impl FnOnce(&H) -> FfiResult<T>,
) -> cmpay_status {
    guard(|| {
        let h = unsafe { handle(h, arg) }?;
        let o = unsafe { self::out(out, "out") }?;
        *o = pick(h)?;
        Ok(())
    })
}

/// `value_out` for an owned string (`what` names it if it holds a NUL).
///
/// # Safety
/// As `value_out`.
pub(crate) unsafe fn string_out<H>(
    h: *const H,
    arg: &'static str,
    out: *mut *mut c_char,
    what: &str,
    pick: impl FnOnce(&H) -> FfiResult<String>,
) -> cmpay_status {
    unsafe { value_out(h, arg, out, |h| Ok(c_string(pick(h)?, what)?.into_raw())) }
}

/// The whole of a getter for one field by name: CMPAY_NOT_FOUND naming the
/// message when it has no such field.
///
/// # Safety
/// As `value_out`; `name` is NULL or NUL-terminated.
pub(crate) unsafe fn field_out<H>(
    h: *const H,
    arg: &'static str,
    name: *const c_char,
    out: *mut *mut c_char,
    fields: impl FnOnce(&H) -> (&Params, &'static str),
) -> cmpay_status {
    guard(|| {
        let h = unsafe { handle(h, arg) }?;
        let name = unsafe { text(name, "name") }?;
        let o = unsafe { self::out(out, "out") }?;
        let (params, message) = fields(h);
        let value = params
            .get(name)
            .ok_or_else(|| Failure::NotFound(format!("the {message} has no field {name:?}")))?;
        *o = c_string(value.to_string(), name)?.into_raw();
        Ok(())
    })
}

/// The whole of a getter handing every field of a message out as NUL pairs
/// (`name\0value\0...`, in the order received, every name and value
/// followed by one NUL) into the caller's buffer. Every value is checked
/// before anything is written; `needed` gets the bytes the pairs take on
/// success and when `buf_len` is too small (CMPAY_BUFFER_TOO_SMALL: `buf`
/// untouched, never a truncated list). A name or value holding a NUL cannot
/// be told from the separators: CMPAY_PARSE naming it.
///
/// # Safety
/// `h` is NULL or a live handle; `buf` NULL or `buf_len` writable bytes;
/// `needed` NULL or writable.
pub(crate) unsafe fn pairs_into<H>(
    h: *const H,
    arg: &'static str,
    buf: *mut c_char,
    buf_len: usize,
    needed: *mut usize,
    fields: impl FnOnce(&H) -> (&Params, &'static str),
) -> cmpay_status {
    guard(|| {
        let h = unsafe { handle(h, arg) }?;
        let needed = unsafe { out(needed, "needed") }?;
        if buf.is_null() && buf_len != 0 {
            return Err(Failure::Null("buf"));
        }
        let (params, message) = fields(h);
        let mut total = 0usize;
        for (name, value) in params.iter() {
            if memchr::memchr(0, name.as_bytes()).is_some()
                || memchr::memchr(0, value.as_bytes()).is_some()
            {
                return Err(Failure::Core(Error::Parse(format!(
                    "the {message}'s field {name:?} contains a NUL byte and cannot be handed out as NUL pairs; read it with its _field getter"
                ))));
            }
            total += name.len() + value.len() + 2;
        }
        *needed = total;
        if total > buf_len {
            return Err(Failure::TooSmall(format!(
                "buf_len is {buf_len} bytes; the {message}'s fields as NUL pairs need {total}"
            )));
        }
        if total == 0 {
            return Ok(());
        }
        // SAFETY: total > 0, so buf_len > 0 and buf is not NULL: `buf_len`
        // writable bytes by the caller's contract.
        let dst = unsafe { std::slice::from_raw_parts_mut(buf.cast::<u8>(), buf_len) };
        let mut at = 0;
        for part in params.iter().flat_map(|(n, v)| [n, v]) {
            dst[at..at + part.len()].copy_from_slice(part.as_bytes());
            dst[at + part.len()] = 0;
            at += part.len() + 1;
        }
        Ok(())
    })
}

/// The whole of a getter handing one text out into the caller's buffer,
/// NUL-terminated: `needed` gets its bytes with the NUL on success and when
/// `buf_len` is too small (CMPAY_BUFFER_TOO_SMALL: `buf` untouched, never a
/// truncated value). Text holding a NUL is CMPAY_PARSE, never cut short.
///
/// # Safety
/// `h` is NULL or a live handle; `buf` NULL or `buf_len` writable bytes;
/// `needed` NULL or writable.
pub(crate) unsafe fn text_into<H>(
    h: *const H,
    arg: &'static str,
    buf: *mut c_char,
    buf_len: usize,
    needed: *mut usize,
    pick: impl FnOnce(&H) -> String,
) -> cmpay_status {
    guard(|| {
        let h = unsafe { handle(h, arg) }?;
        let needed = unsafe { out(needed, "needed") }?;
        if buf.is_null() && buf_len != 0 {
            return Err(Failure::Null("buf"));
        }
        let text = c_string(pick(h), "the text")?;
        let bytes = text.as_bytes_with_nul();
        *needed = bytes.len();
        if bytes.len() > buf_len {
            return Err(Failure::TooSmall(format!(
                "buf_len is {buf_len} bytes; the text with its NUL needs {}",
                bytes.len()
            )));
        }
        // SAFETY: bytes.len() >= 1, so buf_len > 0 and buf is not NULL:
        // `buf_len` writable bytes by the caller's contract.
        let dst = unsafe { std::slice::from_raw_parts_mut(buf.cast::<u8>(), bytes.len()) };
        dst.copy_from_slice(bytes);
        Ok(())
    })
}

/// Bulk parameters: NUL-terminated pairs `name\0value\0...`, UTF-8 with no
/// escaping, every name and value followed by one NUL
/// (`body::Syntax::NulPairs`); empty (NULL with length 0) is no parameters.
/// A form body (`name=value&...`, no NUL) is refused, naming the NUL-pair
/// format. Read by the core's one splitter (`body::parameters`): a name or
/// value that is not UTF-8 is `Utf8`; every other guard (a name without its
/// value, a name given twice, more than `body::MAX_PAIRS` pairs, a body over
/// 64 KiB) is invalid.
pub(crate) fn params(body: &[u8], what: &'static str) -> FfiResult<Params> {
    if body.is_empty() {
        return Ok(Params::new());
    }
    if memchr::memchr(0, body).is_none() {
        return Err(invalid(format!(
            "{what} must be NUL-terminated pairs \"name\\0value\\0...\" (every name and value followed by one NUL byte, no escaping); a form body \"name=value&...\" is not accepted"
        )));
    }
    body::parameters(body, Syntax::NulPairs).map_err(|e| match e.fault {
        Fault::NameNotUtf8 { pair } => {
            Failure::Utf8(format!("{what}: the name of parameter {pair}"))
        }
        Fault::ValueNotUtf8 { name } => Failure::Utf8(format!("{what}: the value of {name}")),
        _ => invalid(format!("{what}: {e}")),
    })
}
