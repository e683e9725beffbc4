//! The gateway's answers to the three requests: parsed, verified and typed.
//! A non-success returnCode is a gateway error (saying whether its signature
//! held); a success whose signature fails is a signature error.

use crate::codes;
use crate::decode;
use crate::error::{Error, Result};
use crate::fields::MessageKind;
use crate::params::Params;
use crate::payurl::PayUrl;
use crate::readings::{self, Ambiguity, Reading};
use crate::received;
use crate::sign::Verifier;

/// Parses and verifies a gateway answer of `kind` under the decodings of
/// protocol.md §8 (the first that holds); returns its signed fields once each
/// has its format (`received`). Unsigned extras are dropped.
pub fn parse(verifier: &Verifier, kind: MessageKind, body: &[u8]) -> Result<Params> {
    let decode::Attempt {
        params,
        decoding,
        error,
        ..
    } = decode::attempt(verifier, kind, body)?;
    let return_code = params.value("returnCode");
    if return_code.is_empty() {
        return Err(Error::Parse("answer has no returnCode".into()));
    }
    if !codes::is_success(return_code) {
        return Err(Error::Gateway {
            return_code: return_code.to_string(),
            message: params.value("message").to_string(),
            signature_verified: decoding.is_some(),
        });
    }
    match error {
        Some(e) => Err(e),
        None => Ok(received::accept(kind, params)?.0),
    }
}

/// A verified, successful DirectPayConfirm answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderResponse {
    /// Every field as received and verified, in table order.
    pub params: Params,
    /// The parsed payUrl.
    pub pay_url: PayUrl,
}

impl OrderResponse {
    /// The payUrl may lead to an `http` or `https` cashier (see `PayUrl::parse`).
    pub fn parse(verifier: &Verifier, body: &[u8]) -> Result<OrderResponse> {
        let params = parse(verifier, MessageKind::OrderResponse, body)?;
        let pay_url = PayUrl::parse(params.value("payUrl"))?;
        Ok(OrderResponse { params, pay_url })
    }

    /// The requestId this answer echoes.
    pub fn request_id(&self) -> &str {
        self.params.value("requestId")
    }
}

/// The order's state as an OrderQuery answer gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderStatus {
    /// status SUCCESS
    Paid,
    /// status FAILED
    Failed,
    /// any other status, or none: not paid yet
    Pending,
}

impl OrderStatus {
    /// The state an answer's `status` field gives (protocol 5.5): SUCCESS
    /// is paid, FAILED failed, any other value or none pending.
    pub fn from_status(status: &str) -> OrderStatus {
        match status {
            "SUCCESS" => OrderStatus::Paid,
            "FAILED" => OrderStatus::Failed,
            _ => OrderStatus::Pending,
        }
    }
}

/// A verified, successful OrderQuery answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryResponse {
    /// Every field as received and verified, in table order.
    pub params: Params,
    /// Other readings of its signed source (`readings`).
    ambiguity: Ambiguity,
}

impl QueryResponse {
    /// Parses and verifies a query answer; a gateway error code becomes `Error::Gateway`.
    pub fn parse(verifier: &Verifier, body: &[u8]) -> Result<QueryResponse> {
        let params = parse(verifier, MessageKind::QueryResponse, body)?;
        let values: Vec<&str> = MessageKind::QueryResponse
            .fields()
            .iter()
            .map(|f| params.value(f.name))
            .collect();
        let ambiguity = readings::of_received(MessageKind::QueryResponse, &values);
        Ok(QueryResponse { params, ambiguity })
    }

    /// True when the answer's signed source also reads, under every rule
    /// and for the same merchantId and orderId, as saying SUCCESS with
    /// another payNo or amount, or as SUCCESS at all when the answer itself
    /// does not: such an answer confirms nothing. (A paid answer may also
    /// read as pending; that pays nothing, so it does not count.)
    pub fn is_ambiguous(&self) -> bool {
        self.ambiguity.is_ambiguous()
    }

    /// The other readings of the answer's signed source that say SUCCESS.
    pub fn other_readings(&self) -> &[Reading] {
        &self.ambiguity.others
    }

    /// The order's state (its `status` field).
    pub fn status(&self) -> OrderStatus {
        OrderStatus::from_status(self.params.value("status"))
    }

    /// Paid amount in fen (None when the answer has none).
    pub fn amount(&self) -> Result<Option<u64>> {
        received::fen_field(&self.params, "amount")
    }
}

/// A verified, successful OrderRefund answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundResponse {
    /// Every field as received and verified, in table order.
    pub params: Params,
}

impl RefundResponse {
    /// Parses and verifies a refund answer; a gateway error code becomes `Error::Gateway`.
    pub fn parse(verifier: &Verifier, body: &[u8]) -> Result<RefundResponse> {
        Ok(RefundResponse {
            params: parse(verifier, MessageKind::RefundResponse, body)?,
        })
    }

    /// The refunded amount in fen, when the answer carries one.
    pub fn amount(&self) -> Result<Option<u64>> {
        received::fen_field(&self.params, "amount")
    }
}
