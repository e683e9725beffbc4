//! cmpay: the merchant side of China Mobile's CMPay (和包) gateway.
//!
//! The protocol core is pure (no I/O): `Merchant::sign_request` builds and
//! signs a request; `OrderResponse`, `QueryResponse`, `RefundResponse` and
//! `Notification` parse and verify what the gateway sends. Field tables live
//! once, in `fields`.

#![warn(missing_docs)]

pub mod charset;
pub mod client;
pub mod codes;
pub mod dates;
pub mod decode;
pub mod error;
pub mod ffi;
pub mod fields;
pub mod form;
pub mod inspect;
pub mod keys;
pub mod merchant;
pub mod money;
pub mod notify;
pub mod params;
pub mod payurl;
pub mod response;
#[cfg(feature = "sandbox")]
pub mod sandbox;
pub mod sign;
mod validate;

pub use charset::Charset;
pub use client::{Client, ClientConfig, new_request_id};
pub use decode::Decoding;
pub use error::{Error, ErrorCode, Result};
pub use fields::MessageKind;
pub use merchant::{Merchant, SignedRequest};
pub use notify::{ACK, AmtItem, Notification, NotifyType};
pub use params::Params;
pub use payurl::PayUrl;
pub use response::{OrderResponse, OrderStatus, QueryResponse, RefundResponse};
pub use sign::{Signer, Verifier};
pub use validate::is_date;

/// The library's version, as in Cargo.toml.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
