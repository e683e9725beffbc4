//! The C ABI: every `extern "C"` function of the library and all of its
//! `unsafe` code. The header `include/cmpay.h` is generated from this module
//! by cbindgen (see build.rs and cbindgen.toml); the doc comments here are the
//! header's documentation.
//!
//! Conventions (also in the header's preamble):
//! - every fallible function returns a `cmpay_status`; outputs are written
//!   only when it is `CMPAY_OK`;
//! - after any other status, `cmpay_last_error()` (thread-local) says why;
//! - strings in are NUL-terminated UTF-8; bodies and bulk parameters are
//!   `(const uint8_t *, size_t)`;
//! - strings out are owned `char *` freed with `cmpay_string_free`;
//! - a panic inside the library becomes `CMPAY_PANIC`, never an unwind into
//!   the host.

#![allow(non_camel_case_types)]

mod args;
mod status;

// One module per noun, in the header's order (blank lines keep rustfmt
// from sorting them, which would reorder the generated header).
mod library;

mod merchant;

mod signed_request;

mod response;

mod notification;

mod client;

mod codes;

mod money;

mod sandbox;

pub use client::*;
pub use codes::*;
pub use library::*;
pub use merchant::*;
pub use money::*;
pub use notification::*;
pub use response::*;
pub use sandbox::*;
pub use signed_request::*;
pub use status::{CBool, StatusArg, cmpay_status};
