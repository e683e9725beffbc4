//! One error type for the whole library. Each variant has a stable numeric
//! code (`ErrorCode`): numbers are only ever appended, never reused.

use std::fmt;

/// Stable numeric error codes, one per kind of `Error`: 1 to 99, only ever
/// appended, never reused (0 is not an error and is never a code).
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// A caller-supplied value is wrong (see `Error::InvalidArgument`).
    InvalidArgument = 1,
    /// An outgoing field fails its table's rule.
    FieldInvalid = 2,
    /// A key could not be loaded or is refused.
    Key = 3,
    /// A message's hmac does not match its contents.
    SignatureMismatch = 4,
    /// A body or value is malformed.
    Parse = 5,
    /// The gateway answered with a return code other than success.
    Gateway = 6,
    /// DNS, connect, reset, or an HTTP status without a usable body.
    Transport = 7,
    /// No answer within the configured time.
    Timeout = 8,
    /// The TLS handshake or certificate check failed.
    Tls = 9,
    /// A verified message's signed source has another reading that changes
    /// what it means (another order, amount, payment or status): confirm it
    /// with the gateway (`Client::confirm`) before acting on it.
    Ambiguous = 10,
    /// The gateway's answer to the order query does not confirm the
    /// notification (another status, amount or payNo).
    NotConfirmed = 11,
    /// A request was not signed: its signature source reads as a message
    /// the gateway sends this merchant, so its hmac would forge one.
    ForgeableSource = 12,
}

#[derive(Debug, Clone, PartialEq, Eq)]
/// Everything that can go wrong, each with a stable `ErrorCode`.
pub enum Error {
    /// A caller-supplied value is wrong in a way no field table describes
    /// (unknown field, bad option, wrong kind).
    InvalidArgument(String),
    /// An outgoing field fails its table's rule. `gateway_code` is the code the
    /// gateway itself would answer with (e.g. MCG01033), where it has one.
    Field {
        /// The field's wire name.
        field: String,
        /// What is wrong with its value.
        reason: String,
        /// The gateway's own code for this failure, where it has one.
        gateway_code: Option<&'static str>,
    },
    /// A key could not be loaded or is refused (too short, wrong type).
    Key(String),
    /// A message's hmac does not match its contents.
    SignatureMismatch(String),
    /// A body or value is malformed.
    Parse(String),
    /// The gateway answered with a return code other than success.
    /// `signature_verified` says whether the answer's hmac held.
    Gateway {
        /// The gateway's returnCode.
        return_code: String,
        /// The gateway's message, as it sent it.
        message: String,
        /// Whether the answer's hmac held (a gateway error is reported either way).
        signature_verified: bool,
    },
    /// DNS, connect, reset, or an HTTP status without a usable body.
    Transport(String),
    /// No answer within the configured time; names what was tried.
    Timeout(String),
    /// The TLS handshake or certificate check failed; names what was tried.
    Tls(String),
    /// A verified message's signed source has another reading that changes
    /// what it means; names the readings.
    Ambiguous(String),
    /// The gateway's answer does not confirm the notification; names what differs.
    NotConfirmed(String),
    /// A request whose signature source reads as a message the gateway
    /// sends; names the reading.
    ForgeableSource(String),
}

/// The library's result type.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// The stable numeric code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InvalidArgument(_) => ErrorCode::InvalidArgument,
            Error::Field { .. } => ErrorCode::FieldInvalid,
            Error::Key(_) => ErrorCode::Key,
            Error::SignatureMismatch(_) => ErrorCode::SignatureMismatch,
            Error::Parse(_) => ErrorCode::Parse,
            Error::Gateway { .. } => ErrorCode::Gateway,
            Error::Transport(_) => ErrorCode::Transport,
            Error::Timeout(_) => ErrorCode::Timeout,
            Error::Tls(_) => ErrorCode::Tls,
            Error::Ambiguous(_) => ErrorCode::Ambiguous,
            Error::NotConfirmed(_) => ErrorCode::NotConfirmed,
            Error::ForgeableSource(_) => ErrorCode::ForgeableSource,
        }
    }

    /// The gateway's return code, for gateway errors and for field errors
    /// that the gateway would have answered with its own code.
    pub fn return_code(&self) -> Option<&str> {
        match self {
            Error::Gateway { return_code, .. } => Some(return_code),
            Error::Field { gateway_code, .. } => *gateway_code,
            _ => None,
        }
    }

    /// A field error: `field` is the wire name, `reason` what is wrong, and
    /// `gateway_code` the gateway's own code for it, where it has one.
    pub fn field(
        field: &str,
        reason: impl Into<String>,
        gateway_code: Option<&'static str>,
    ) -> Error {
        Error::Field {
            field: field.to_string(),
            reason: reason.into(),
            gateway_code,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidArgument(m) => write!(f, "invalid argument: {m}"),
            Error::Field {
                field,
                reason,
                gateway_code: Some(c),
            } => write!(f, "field {field}: {reason} ({c})"),
            Error::Field {
                field,
                reason,
                gateway_code: None,
            } => write!(f, "field {field}: {reason}"),
            Error::Key(m) => write!(f, "key: {m}"),
            Error::SignatureMismatch(m) => write!(f, "signature mismatch: {m}"),
            Error::Parse(m) => write!(f, "parse: {m}"),
            Error::Gateway {
                return_code,
                message,
                signature_verified,
            } => {
                let meaning = crate::codes::return_code(return_code)
                    .map(|c| c.english)
                    .unwrap_or("unknown code");
                write!(f, "gateway error {return_code} ({meaning}): {message}")?;
                if !signature_verified {
                    write!(f, " [answer's signature did not verify]")?;
                }
                Ok(())
            }
            Error::Transport(m) => write!(f, "transport: {m}"),
            Error::Timeout(m) => write!(f, "timeout: {m}"),
            Error::Tls(m) => write!(f, "tls: {m}"),
            Error::Ambiguous(m) => write!(f, "ambiguous: {m}"),
            Error::NotConfirmed(m) => write!(f, "not confirmed: {m}"),
            Error::ForgeableSource(m) => write!(f, "forgeable source: {m}"),
        }
    }
}

impl std::error::Error for Error {}
