//! cmpay: the merchant side of China Mobile's CMPay (和包) gateway.
//!
//! The protocol core is pure (no I/O): `Merchant::sign_request` builds and
//! signs a request; `OrderResponse`, `QueryResponse`, `RefundResponse` and
//! `Notification` parse and verify what the gateway sends. Field tables live
//! once, in `fields`.
//!
//! Received fields are held to their formats (`received`): the gateway signs
//! the values of a message joined with no separator, so the boundary between
//! two adjacent fields could be moved without breaking the signature (a
//! FAILED notification re-split to read as paid). A notification or answer
//! whose fields break their formats is refused with `FieldInvalid` naming the
//! field, and only signed fields are reported. Two rules remain the
//! merchant's: never put shopper-supplied text at the end of `reserved1` or
//! `reserved2` (free text next to free text cannot be pinned), and
//! de-duplicate notifications by `payNo`, never by the body's bytes.

#![warn(missing_docs)]

pub mod body;
pub mod charset;
pub mod client;
pub mod codes;
pub mod dates;
pub mod decode;
pub mod env;
pub mod error;
pub mod fields;
pub mod form;
pub mod html;
pub mod keys;
pub mod log;
pub mod merchant;
pub mod money;
pub mod notify;
pub mod params;
pub mod payurl;
pub mod readings;
pub mod received;
pub mod response;
pub mod sign;
pub mod validate;
mod verify;

pub use charset::Charset;
pub use client::{Client, ClientConfig, new_request_id};
pub use decode::Decoding;
pub use error::{Error, ErrorCode, Result};
pub use fields::MessageKind;
pub use log::{Level, LogSink, Logger};
pub use merchant::{Merchant, SignedRequest};
pub use notify::{ACK, AmtItem, Notification, NotifyType};
pub use params::Params;
pub use payurl::PayUrl;
pub use readings::{Ambiguity, Reading};
pub use response::{OrderResponse, OrderStatus, QueryResponse, RefundResponse};
pub use sign::{Signer, Verifier};
pub use validate::is_date;
pub use verify::verify_message;

/// The library's version, as in Cargo.toml.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
