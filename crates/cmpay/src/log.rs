//! The exchange log: one hook, held by the `Client` (set in
//! `ClientConfig::logger`), told what an operator needs when a payment goes
//! wrong. No global state: each client reports to its own logger.
//!
//! A record is a level, a stable event name and a one-line message. The
//! events, and the level each is reported at:
//!
//! | event | level | when |
//! |---|---|---|
//! | `request.sent` | info | a request is about to be POSTed: kind, type, URL, requestId, orderId, the timeouts |
//! | `request.body` | debug | the request body, its hmac redacted |
//! | `answer.received` | info (warn for a gateway error) | the answer: HTTP status, milliseconds taken, returnCode, message, requestId, orderId |
//! | `answer.body` | debug | the answer body, its hmac redacted |
//! | `answer.refused` | error | an answer that does not verify, breaks its formats or echoes another request |
//! | `retry` | warn | a query retried with a new requestId after a connection failure |
//! | `timeout` | error | no answer in time (what was tried, milliseconds taken) |
//! | `tls.failed` | error | the TLS handshake or certificate check failed |
//! | `transport.failed` | error | DNS, connect, reset, or an HTTP status without a gateway answer |
//! | `notify.verified` | info | a notification verified: type, orderId, payNo, amount, status, decoding, ambiguity |
//! | `notify.refused` | warn | a notification refused, and why (the error's code and text) |
//! | `notify.body` | debug | a received notification body, its hmac redacted |
//!
//! What is never logged: the signKey, a private key, the hmac of any message
//! (bodies are logged only at debug level, with the value of `hmac`
//! replaced by `[redacted]`), nor the signature source: nothing a reader of
//! the log could use to forge a message. Text that came from the network is
//! logged with its control characters escaped, so one record stays one line.

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

/// How much a record matters; a logger is given the records at its
/// `max_level` and above (`Error` is the most severe).
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// A request or notification failed.
    Error = 1,
    /// Something an operator should look at (a gateway error, a retry, a
    /// refused notification).
    Warn = 2,
    /// Every exchange: request sent, answer received, notification verified.
    Info = 3,
    /// Bodies, their hmac redacted.
    Debug = 4,
}

impl Level {
    /// `error`, `warn`, `info` or `debug`.
    pub fn name(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warn => "warn",
            Level::Info => "info",
            Level::Debug => "debug",
        }
    }

    /// The level of a number (1 error, 2 warn, 3 info, 4 debug).
    pub fn from_number(n: i32) -> Option<Level> {
        match n {
            1 => Some(Level::Error),
            2 => Some(Level::Warn),
            3 => Some(Level::Info),
            4 => Some(Level::Debug),
            _ => None,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The events, by name (see the table of the module).
pub mod event {
    /// A request is about to be POSTed.
    pub const REQUEST_SENT: &str = "request.sent";
    /// The request body (debug).
    pub const REQUEST_BODY: &str = "request.body";
    /// An answer was received and verified (or is a gateway error).
    pub const ANSWER_RECEIVED: &str = "answer.received";
    /// The answer body (debug).
    pub const ANSWER_BODY: &str = "answer.body";
    /// An answer was refused (signature, format, echo).
    pub const ANSWER_REFUSED: &str = "answer.refused";
    /// A query is retried with a new requestId.
    pub const RETRY: &str = "retry";
    /// No answer in time.
    pub const TIMEOUT: &str = "timeout";
    /// The TLS handshake or certificate check failed.
    pub const TLS_FAILED: &str = "tls.failed";
    /// DNS, connect, reset, or an HTTP status without a gateway answer.
    pub const TRANSPORT_FAILED: &str = "transport.failed";
    /// A notification verified.
    pub const NOTIFY_VERIFIED: &str = "notify.verified";
    /// A notification was refused.
    pub const NOTIFY_REFUSED: &str = "notify.refused";
    /// A received notification body (debug).
    pub const NOTIFY_BODY: &str = "notify.body";
}

/// Receives the client's records. Called on the thread that made the call
/// being logged, possibly from several threads at once. A logger that
/// panics loses that record; the call it reports on goes on unaffected.
pub trait Logger: Send + Sync {
    /// One record: its level, its event name (`event::*`) and its message.
    fn log(&self, level: Level, event: &str, message: &str);
}

impl<F> Logger for F
where
    F: Fn(Level, &str, &str) + Send + Sync,
{
    fn log(&self, level: Level, event: &str, message: &str) {
        self(level, event, message)
    }
}

/// A logger and the most verbose level it is given: what
/// `ClientConfig::logger` holds. Cloning shares the logger. Two are equal
/// when they share the same logger and level.
#[derive(Clone)]
pub struct LogSink {
    logger: Arc<dyn Logger>,
    max_level: Level,
}

impl LogSink {
    /// Records at `max_level` and more severe go to `logger`.
    pub fn new(logger: impl Logger + 'static, max_level: Level) -> LogSink {
        LogSink::from_arc(Arc::new(logger), max_level)
    }

    /// As `new`, for a logger already shared.
    pub fn from_arc(logger: Arc<dyn Logger>, max_level: Level) -> LogSink {
        LogSink { logger, max_level }
    }

    /// The most verbose level given to the logger.
    pub fn max_level(&self) -> Level {
        self.max_level
    }

    /// Whether a record at `level` would be given to the logger (build
    /// costly messages only then).
    pub fn enabled(&self, level: Level) -> bool {
        level <= self.max_level
    }

    /// Gives one record to the logger when its level is enabled; a panic in
    /// the logger is caught and the record dropped.
    pub fn log(&self, level: Level, event: &str, message: &str) {
        if self.enabled(level) {
            let _ = catch_unwind(AssertUnwindSafe(|| self.logger.log(level, event, message)));
        }
    }
}

impl fmt::Debug for LogSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LogSink")
            .field("max_level", &self.max_level)
            .finish_non_exhaustive()
    }
}

impl PartialEq for LogSink {
    fn eq(&self, other: &LogSink) -> bool {
        Arc::ptr_eq(&self.logger, &other.logger) && self.max_level == other.max_level
    }
}

impl Eq for LogSink {}

/// An optional sink: what the client and the notification path report
/// through (nothing is built when there is no logger or the level is off).
pub(crate) fn emit(
    sink: Option<&LogSink>,
    level: Level,
    event: &str,
    message: impl FnOnce() -> String,
) {
    if let Some(sink) = sink.filter(|s| s.enabled(level)) {
        let message = catch_unwind(AssertUnwindSafe(message)).unwrap_or_default();
        sink.log(level, event, &message);
    }
}

/// Text from the network for a log line: control characters (and the
/// backslash that starts an escape) escaped, so one record stays one line.
pub(crate) fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || c == '\\' {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// A form body (request, answer or notification) for a debug record: the
/// value of every `hmac` pair replaced by `[redacted]` (whatever the case of
/// its name, percent-encoded or not), bytes that are not UTF-8 shown as
/// `\xNN`, control characters escaped.
pub fn redact_body(body: &[u8]) -> String {
    let text = bytes_text(body);
    let mut out = String::with_capacity(text.len());
    for (i, pair) in text.split('&').enumerate() {
        if i > 0 {
            out.push('&');
        }
        let name = pair.split('=').next().unwrap_or("");
        if pair.contains('=') && is_hmac_name(name) {
            out.push_str(name);
            out.push_str("=[redacted]");
        } else {
            out.push_str(pair);
        }
    }
    out
}

/// `hmac` under any case or percent-encoding of its letters, with
/// surrounding whitespace (what a lenient reader would take for it).
fn is_hmac_name(name: &str) -> bool {
    let mut decoded = String::new();
    let bytes = name.trim().as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(b) = u8::from_str_radix(hex, 16) {
                decoded.push(b as char);
                i += 3;
                continue;
            }
        }
        decoded.push(bytes[i] as char);
        i += 1;
    }
    decoded.trim().eq_ignore_ascii_case("hmac")
}

/// Bytes as text: UTF-8 kept, any other byte written `\xNN`, control
/// characters escaped.
fn bytes_text(body: &[u8]) -> String {
    let mut out = String::with_capacity(body.len());
    for chunk in body.utf8_chunks() {
        out.push_str(&clean(chunk.valid()));
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn bodies_lose_their_hmac() {
        assert_eq!(
            redact_body(b"a=1&hmac=abcdef&b=2"),
            "a=1&hmac=[redacted]&b=2"
        );
        assert_eq!(redact_body(b"HMAC=abc"), "HMAC=[redacted]");
        assert_eq!(redact_body(b"%68mac=abc&x="), "%68mac=[redacted]&x=");
        assert_eq!(redact_body(b" hmac =abc"), " hmac =[redacted]");
        assert_eq!(redact_body(b"hmacx=abc"), "hmacx=abc");
        assert_eq!(redact_body(b"hmac"), "hmac");
        assert_eq!(
            redact_body(b"m=\xff\n&hmac=1"),
            "m=\\xff\\n&hmac=[redacted]"
        );
    }

    #[test]
    fn clean_escapes_control_characters() {
        assert_eq!(clean("a\nb\r\\c\u{0}"), "a\\nb\\r\\\\c\\u{0}");
        assert_eq!(clean("支付成功"), "支付成功");
    }

    #[test]
    fn levels_filter_and_panics_are_dropped() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let s = seen.clone();
        let sink = LogSink::new(
            move |level: Level, event: &str, message: &str| {
                s.lock().unwrap().push(format!("{level} {event} {message}"));
            },
            Level::Info,
        );
        sink.log(Level::Debug, "x", "hidden");
        sink.log(Level::Info, "request.sent", "shown");
        emit(Some(&sink), Level::Error, "timeout", || "late".into());
        emit(Some(&sink), Level::Debug, "x", || unreachable!());
        emit(None, Level::Error, "x", || unreachable!());
        assert_eq!(
            *seen.lock().unwrap(),
            ["info request.sent shown", "error timeout late"]
        );
        let panicking = LogSink::new(
            |_: Level, _: &str, _: &str| panic!("a logger that fails"),
            Level::Debug,
        );
        panicking.log(Level::Error, "x", "y");
        assert_eq!(sink.clone(), sink);
        assert_ne!(sink, panicking);
        assert_eq!(Level::from_number(4), Some(Level::Debug));
        assert_eq!(Level::from_number(0), None);
        assert!(format!("{sink:?}").contains("Info"));
    }
}
