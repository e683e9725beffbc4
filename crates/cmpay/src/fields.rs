//! The field tables of protocol.md section 5, as data: the one place where
//! each message's fields, their order (which is the signature order), limits
//! and the gateway's own error codes are written down.

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
/// The seven messages of the protocol, each with its field table.
pub enum MessageKind {
    /// DirectPayConfirm: the merchant asks for a payment page.
    OrderRequest,
    /// The gateway's answer to an order request (carries payUrl).
    OrderResponse,
    /// The gateway's payment notification (page return or offline).
    Notify,
    /// OrderQuery: the merchant asks for an order's state.
    QueryRequest,
    /// The gateway's answer to a query.
    QueryResponse,
    /// OrderRefund: the merchant refunds (part of) an order.
    RefundRequest,
    /// The gateway's answer to a refund.
    RefundResponse,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// A field's type in the tables: text or digits.
pub enum FieldType {
    /// Text.
    S,
    /// Decimal digits only.
    N,
}

/// A check beyond length, type and enum values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// No check beyond the table's length, type and values.
    None,
    /// Integer fen, greater than 0.
    Positive,
    /// YYYYMMDD, a real calendar date.
    Date,
    /// http:// or https:// URL.
    Url,
}

/// The format a received field must have once its message's signature held
/// (protocol.md §8, "Field boundaries"): the source joins values with no
/// separator, so each rule is chosen to refuse a value whose boundary with
/// its neighbour was moved, while accepting what the gateway really sends.
/// Checked by `received::check`; empty values are governed by `may_be_empty`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Free text (only the length and the value list, if any, are checked).
    Text,
    /// ASCII letters and digits (payNo).
    Alnum,
    /// A return code: `[A-Z0-9]`, 6 to 10 characters (000000, MCG01033, E22160).
    Code,
    /// `d.d.d`, one digit each (2.0.0).
    Version,
    /// Integer fen: digits, no sign, no leading zero, at most 10 digits.
    Amount,
    /// `NAME=fen#NAME=fen...`, each name of `AMT_ITEM_NAMES` at most once,
    /// each value an `Amount`.
    AmtItem,
    /// A bank code: an upper-case letter, then upper-case letters or digits.
    BankAbbr,
    /// A masked mobile number, `ddd****dddd`.
    Mobile,
    /// YYYYMMDD, a real day.
    Date,
    /// YYYYMMDDHHmmSS, a real day and time.
    DateTime,
    /// Yuan as a decimal of at most two places, no sign, no leading zero.
    Fee,
    /// An upper-case word, `[A-Z_]` (a query's status other than the two
    /// final ones means "not paid yet").
    Word,
    /// A query answer's payType: ASCII letters and digits that do not begin
    /// with a final status word. It follows `status`, so without this a
    /// FAILED status after shopper text ending in SUCCESS would re-split as
    /// status SUCCESS, payType FAILED.
    PayType,
}

/// The parts of amtItem, in the order the gateway sends them.
pub const AMT_ITEM_NAMES: &[&str] = &["CNY_AMT", "CMY_AMT", "RED_AMT", "VCH_AMT", "POT_CHG_AMT"];

#[derive(Debug, Clone, Copy)]
/// One row of a field table.
pub struct Field {
    /// The wire name (e.g. orderId).
    pub name: &'static str,
    /// Maximum length in characters; 0 means not limited.
    pub max: usize,
    /// Text or digits.
    pub ty: FieldType,
    /// Whether an empty value is allowed.
    pub may_be_empty: bool,
    /// Allowed values; empty means any.
    pub values: &'static [&'static str],
    /// A check beyond length, type and values.
    pub rule: Rule,
    /// The received format (answers and notifications only).
    pub format: Format,
    /// Filled in when the caller leaves the field out.
    pub default: Option<&'static str>,
    /// The gateway's own return codes for this field's failures.
    pub if_empty: Option<&'static str>,
    /// The gateway's code when the value breaks its format.
    pub if_invalid: Option<&'static str>,
    /// The gateway's code when the value is too long.
    pub if_too_long: Option<&'static str>,
    /// The gateway's code when a number that must be positive is 0.
    pub if_zero: Option<&'static str>,
    /// What to send instead, added to a refusal of the value's format.
    pub hint: Option<&'static str>,
}

const fn f(name: &'static str, max: usize, ty: FieldType, may_be_empty: bool) -> Field {
    Field {
        name,
        max,
        ty,
        may_be_empty,
        values: &[],
        rule: Rule::None,
        format: Format::Text,
        default: None,
        if_empty: None,
        if_invalid: None,
        if_too_long: None,
        if_zero: None,
        hint: None,
    }
}

impl Field {
    const fn values(self, values: &'static [&'static str]) -> Field {
        Field { values, ..self }
    }
    const fn rule(self, rule: Rule) -> Field {
        Field { rule, ..self }
    }
    const fn format(self, format: Format) -> Field {
        Field { format, ..self }
    }
    const fn default(self, value: &'static str) -> Field {
        Field {
            default: Some(value),
            ..self
        }
    }
    const fn codes(
        self,
        if_empty: Option<&'static str>,
        if_invalid: Option<&'static str>,
    ) -> Field {
        Field {
            if_empty,
            if_invalid,
            ..self
        }
    }
    const fn zero(self, code: &'static str) -> Field {
        Field {
            if_zero: Some(code),
            ..self
        }
    }
    const fn hint(self, hint: &'static str) -> Field {
        Field {
            hint: Some(hint),
            ..self
        }
    }
    const fn too_long(self, code: &'static str) -> Field {
        Field {
            if_too_long: Some(code),
            ..self
        }
    }
}

use FieldType::{N, S};
use Format::{Alnum, Amount, BankAbbr, Code, Date, DateTime, Fee, Mobile, Version, Word};

/// The order request's `type` values the gateway accepts.
pub const ORDER_TYPES: &[&str] = &[
    "DirectPayConfirm",
    "DirectPay",
    "GWDirectPay",
    "WAPDirectPayConfirm",
];
const SIGN_TYPES: &[&str] = &["MD5", "RSA"];

/// 5.1 DirectPayConfirm request (merchantCert and hmac are added after these).
pub const ORDER_REQUEST: &[Field] = &[
    f("characterSet", 2, S, true)
        .values(&["00", "01", "02"])
        .default("00"),
    f("callbackUrl", 100, S, false).rule(Rule::Url),
    f("notifyUrl", 100, S, false).rule(Rule::Url),
    // The document's "the shopper's browser's IP address", Max(15), no
    // format: `unknown` and short IPv6 addresses pass (protocol.md §8.9).
    f("ipAddress", 15, S, false).hint(
        "send one address of at most 15 characters: the first of an X-Forwarded-For list, or `unknown` for an IPv6 address longer than 15",
    ),
    f("merchantId", 50, S, false),
    f("requestId", 50, S, false),
    f("signType", 3, S, false).values(SIGN_TYPES),
    f("type", 20, S, false)
        .values(ORDER_TYPES)
        .default("DirectPayConfirm"),
    f("version", 10, S, false).default("2.0.0"),
    f("amount", 10, N, false)
        .rule(Rule::Positive)
        .codes(Some("MCG01014"), None),
    f("bankAbbr", 8, S, true),
    f("currency", 3, S, false)
        .values(&["00"])
        .default("00")
        .codes(Some("MCG01018"), Some("MCG01019")),
    f("orderDate", 8, S, false)
        .rule(Rule::Date)
        .codes(Some("MCG01024"), Some("MCG01025")),
    f("orderId", 50, S, false),
    f("merAcDate", 8, S, false).rule(Rule::Date),
    // The document says Max(3); production sends 9999 days (protocol.md
    // §8.9), so 4 digits pass. MCG01028 is the gateway's code for 0 only.
    f("period", 4, N, false)
        .rule(Rule::Positive)
        .codes(Some("MCG01027"), None)
        .zero("MCG01028")
        .hint("at most 4 digits: use a larger periodUnit (03 months) for a longer period"),
    f("periodUnit", 2, S, false)
        .values(&["00", "01", "02", "03"])
        .codes(None, Some("MCG01030")),
    f("merchantAbbr", 50, S, true),
    f("productDesc", 256, S, true),
    f("productId", 50, S, true),
    f("productName", 50, S, false)
        .codes(Some("MCG01033"), None)
        .too_long("MCG01081"),
    f("productNum", 5, N, true),
    f("reserved1", 256, S, true),
    f("reserved2", 256, S, true),
    f("userToken", 64, S, true),
    f("showUrl", 400, S, true),
    f("couponsFlag", 2, S, true).values(&["00", "10", "20", "30", "40"]),
];

/// 5.2 DirectPayConfirm response, signed fields in order.
pub const ORDER_RESPONSE: &[Field] = &[
    f("merchantId", 50, S, false),
    f("requestId", 50, S, false),
    f("signType", 3, S, false).values(SIGN_TYPES),
    f("type", 20, S, false).values(ORDER_TYPES),
    f("version", 10, S, false).format(Version),
    f("returnCode", 10, S, false).format(Code),
    f("message", 256, S, true),
    f("payUrl", 0, S, true),
];

/// 5.4 PageNotify / OfflineNotify, the 19 signed fields in order.
pub const NOTIFY: &[Field] = &[
    f("merchantId", 50, S, false),
    f("payNo", 50, S, false).format(Alnum),
    f("returnCode", 10, S, false).format(Code),
    f("message", 256, S, true),
    f("signType", 3, S, false).values(SIGN_TYPES),
    f("type", 20, S, false).values(&["PageNotify", "OfflineNotify"]),
    f("version", 10, S, false).format(Version),
    f("amount", 10, N, false).format(Amount),
    f("amtItem", 256, S, true).format(Format::AmtItem),
    f("bankAbbr", 8, S, true).format(BankAbbr),
    f("mobile", 15, S, true).format(Mobile),
    f("orderId", 50, S, false),
    f("payDate", 20, S, true).format(DateTime),
    f("accountDate", 8, S, true).format(Date),
    f("reserved1", 256, S, true),
    f("reserved2", 256, S, true),
    f("status", 10, S, false).values(&["SUCCESS", "FAILED"]),
    f("orderDate", 10, S, true).format(Date),
    f("fee", 10, S, true).format(Fee),
];

/// 5.5 OrderQuery request.
pub const QUERY_REQUEST: &[Field] = &[
    f("merchantId", 50, S, false),
    f("requestId", 50, S, false),
    f("signType", 3, S, false).values(SIGN_TYPES),
    f("type", 20, S, false)
        .values(&["OrderQuery"])
        .default("OrderQuery"),
    f("version", 10, S, false).default("2.0.0"),
    f("orderId", 50, S, false),
];

/// 5.5 OrderQuery response: the notification's fields without accountDate.
pub const QUERY_RESPONSE: &[Field] = &[
    f("merchantId", 50, S, false),
    f("payNo", 50, S, true).format(Alnum),
    f("returnCode", 10, S, false).format(Code),
    f("message", 256, S, true),
    f("signType", 3, S, false).values(SIGN_TYPES),
    f("type", 20, S, false).values(&["OrderQuery"]),
    f("version", 10, S, false).format(Version),
    f("amount", 10, N, true).format(Amount),
    f("amtItem", 256, S, true).format(Format::AmtItem),
    f("bankAbbr", 8, S, true).format(BankAbbr),
    f("mobile", 15, S, true).format(Mobile),
    f("orderId", 50, S, false),
    f("payDate", 20, S, true).format(DateTime),
    f("reserved1", 256, S, true),
    f("reserved2", 256, S, true),
    f("status", 10, S, true).format(Word),
    // Not in the query document; the Java and ASP kits sign it here when the
    // gateway sends it (protocol.md §8). Absent, it adds nothing to the source.
    f("payType", 10, S, true).format(Format::PayType),
    f("orderDate", 10, S, true).format(Date),
    f("fee", 10, S, true).format(Fee),
];

/// 5.6 OrderRefund request.
pub const REFUND_REQUEST: &[Field] = &[
    f("merchantId", 50, S, false),
    f("requestId", 50, S, false),
    f("signType", 3, S, false).values(SIGN_TYPES),
    f("type", 20, S, false)
        .values(&["OrderRefund"])
        .default("OrderRefund"),
    f("version", 10, S, false).default("2.0.0"),
    f("orderId", 50, S, false),
    f("amount", 10, N, false)
        .rule(Rule::Positive)
        .codes(Some("MCG01088"), Some("MCG01088")),
];

/// 5.6 OrderRefund response.
pub const REFUND_RESPONSE: &[Field] = &[
    f("merchantId", 50, S, false),
    f("payNo", 50, S, true).format(Alnum),
    f("returnCode", 10, S, false).format(Code),
    f("message", 256, S, true),
    f("signType", 3, S, false).values(SIGN_TYPES),
    f("type", 20, S, false).values(&["OrderRefund"]),
    f("version", 10, S, false).format(Version),
    f("amount", 10, N, true).format(Amount),
    f("orderId", 50, S, false),
    f("status", 10, S, true).format(Word),
];

/// Fields that travel with a message but are never signed.
pub const UNSIGNED: &[&str] = &["hmac", "merchantCert", "serverCert"];

impl MessageKind {
    /// Every message kind, in the order of protocol.md.
    pub const ALL: [MessageKind; 7] = [
        MessageKind::OrderRequest,
        MessageKind::OrderResponse,
        MessageKind::Notify,
        MessageKind::QueryRequest,
        MessageKind::QueryResponse,
        MessageKind::RefundRequest,
        MessageKind::RefundResponse,
    ];

    /// The message's fields in signature order.
    pub fn fields(self) -> &'static [Field] {
        match self {
            MessageKind::OrderRequest => ORDER_REQUEST,
            MessageKind::OrderResponse => ORDER_RESPONSE,
            MessageKind::Notify => NOTIFY,
            MessageKind::QueryRequest => QUERY_REQUEST,
            MessageKind::QueryResponse => QUERY_RESPONSE,
            MessageKind::RefundRequest => REFUND_REQUEST,
            MessageKind::RefundResponse => REFUND_RESPONSE,
        }
    }

    /// The kind's name as text (`order-request`, `notify`, ...).
    pub fn name(self) -> &'static str {
        match self {
            MessageKind::OrderRequest => "order-request",
            MessageKind::OrderResponse => "order-response",
            MessageKind::Notify => "notify",
            MessageKind::QueryRequest => "query-request",
            MessageKind::QueryResponse => "query-response",
            MessageKind::RefundRequest => "refund-request",
            MessageKind::RefundResponse => "refund-response",
        }
    }

    /// The kind named like the enum variant (e.g. "OrderRequest"); an error names the choices.
    pub fn from_name(name: &str) -> Result<MessageKind> {
        MessageKind::ALL
            .into_iter()
            .find(|k| k.name() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = MessageKind::ALL.iter().map(|k| k.name()).collect();
                Error::InvalidArgument(format!(
                    "unknown message kind {name:?}; expected one of {}",
                    names.join(", ")
                ))
            })
    }

    /// The gateway's answer to this request (None for answers and Notify).
    pub fn answer(self) -> Option<MessageKind> {
        match self {
            MessageKind::OrderRequest => Some(MessageKind::OrderResponse),
            MessageKind::QueryRequest => Some(MessageKind::QueryResponse),
            MessageKind::RefundRequest => Some(MessageKind::RefundResponse),
            _ => None,
        }
    }

    /// The request a body's `type` field names: an order type of
    /// `ORDER_TYPES`, OrderQuery or OrderRefund.
    pub fn request_of_type(ty: &str) -> Option<MessageKind> {
        match ty {
            "OrderQuery" => Some(MessageKind::QueryRequest),
            "OrderRefund" => Some(MessageKind::RefundRequest),
            t if ORDER_TYPES.contains(&t) => Some(MessageKind::OrderRequest),
            _ => None,
        }
    }

    /// The names of this message's fields in table order, space-separated
    /// (for error messages and help).
    pub(crate) fn field_names(self) -> String {
        self.fields()
            .iter()
            .map(|f| f.name)
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Requests go merchant → gateway and are validated before signing.
    pub fn is_request(self) -> bool {
        matches!(
            self,
            MessageKind::OrderRequest | MessageKind::QueryRequest | MessageKind::RefundRequest
        )
    }

    /// This message's field called `name`, if it has one.
    pub fn field(self, name: &str) -> Option<&'static Field> {
        self.fields().iter().find(|f| f.name == name)
    }
}
