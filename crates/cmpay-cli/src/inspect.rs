//! A received body field by field as the wire carried it, for diagnosing a
//! signature that does not hold (`cmpay explain`). Verification never reads
//! a body this way: it decodes strictly (`decode`); this keeps each value's
//! raw bytes and shows undecodable text with replacement characters.

use cmpay::body::{self, Pairs};
use cmpay::charset;
use cmpay::error::{Error, Result};
use cmpay::params::Params;
use std::borrow::Cow;

/// How a value's bytes (after percent-decoding once) became text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Valid UTF-8.
    Utf8,
    /// Not UTF-8, valid GB18030 (GBK, GB2312).
    Gb18030,
    /// Neither UTF-8 nor GB18030: shown with replacement characters.
    Broken,
}

/// One received field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawField {
    /// The name, percent-decoded (UTF-8).
    pub name: String,
    /// The value as on the wire.
    pub raw: Vec<u8>,
    /// The value percent-decoded once.
    pub bytes: Vec<u8>,
    /// `bytes` as text (UTF-8, else GB18030), see `read`.
    pub text: String,
    /// How `text` was read from `bytes`.
    pub read: Reading,
}

/// A received body's fields in the order they came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawMessage {
    /// The fields in body order.
    pub fields: Vec<RawField>,
}

impl RawMessage {
    /// Splits a body as the library does (`body::Pairs`: size limit, first
    /// '=' only, pair cap, names UTF-8, not empty and given once), and keeps
    /// each value's raw bytes.
    pub fn split(body: &[u8]) -> Result<RawMessage> {
        let pairs = Pairs::received(body)?;
        let mut fields: Vec<RawField> = Vec::with_capacity(pairs.len());
        pairs.fields(|name, raw, _| {
            let bytes = body::unescape(raw.bytes).into_owned();
            let (text, read) = read_text(&bytes);
            fields.push(RawField {
                name: name.to_string(),
                raw: raw.bytes.to_vec(),
                bytes,
                text: text.clone(),
                read,
            });
            Ok::<_, Error>(Cow::Owned(text))
        })?;
        Ok(RawMessage { fields })
    }

    /// The field called `name`.
    pub fn get(&self, name: &str) -> Option<&RawField> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Every field's text, in body order.
    pub fn params(&self) -> Params {
        self.fields
            .iter()
            .map(|f| (f.name.as_str(), f.text.as_str()))
            .collect()
    }
}

/// Bytes as text: UTF-8 when they are, else GB18030, with replacement
/// characters where they are neither (`Reading::Broken`).
pub fn read_text(bytes: &[u8]) -> (String, Reading) {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_string(), Reading::Utf8);
    }
    let (text, malformed) = charset::gb18030_lossy(bytes);
    let read = if malformed {
        Reading::Broken
    } else {
        Reading::Gb18030
    };
    (text, read)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_raw_bytes_and_says_how_each_value_was_read() {
        let m = RawMessage::split(b"a=%E5%92%8C+1&b=%BA%CD&c=%FF%FF&d=x=y\r\n").unwrap();
        let f = |n| m.get(n).unwrap();
        assert_eq!(
            (f("a").raw.as_slice(), f("a").text.as_str(), f("a").read),
            (&b"%E5%92%8C+1"[..], "\u{548c} 1", Reading::Utf8)
        );
        assert_eq!(
            (f("b").text.as_str(), f("b").read),
            ("\u{548c}", Reading::Gb18030)
        );
        assert_eq!(f("c").read, Reading::Broken);
        assert_eq!(f("d").text, "x=y");
        assert_eq!(m.params().value("a"), "\u{548c} 1");
        assert!(RawMessage::split(b"a=1&a=2").is_err());
        assert!(RawMessage::split(b"=1").is_err());
        assert!(RawMessage::split(b"a").is_err());
        assert!(RawMessage::split(b"").is_err());
    }
}
