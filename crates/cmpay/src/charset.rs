//! characterSet: how outgoing values become bytes, and how received bytes
//! become text. Nothing here is lossy: text that a charset cannot represent,
//! or bytes that do not decode, are errors.

use crate::error::{Error, Result};
use encoding_rs::{GB18030, GBK, UTF_8};
use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
/// The body charsets the gateway knows, by their characterSet code.
pub enum Charset {
    /// characterSet 00, the gateway's default.
    #[default]
    Gbk,
    /// characterSet 01. Encoded with GBK's table, then checked to stay inside
    /// GB2312's rows, so the gateway never receives a GBK-only character
    /// labelled GB2312.
    Gb2312,
    /// characterSet 02.
    Utf8,
}

impl Charset {
    /// From the protocol's characterSet code ("00", "01", "02"); empty means 00.
    pub fn from_code(code: &str) -> Result<Charset> {
        match code {
            "" | "00" => Ok(Charset::Gbk),
            "01" => Ok(Charset::Gb2312),
            "02" => Ok(Charset::Utf8),
            other => Err(Error::field(
                "characterSet",
                format!("unknown characterSet {other:?}; expected 00, 01 or 02"),
                None,
            )),
        }
    }

    /// The protocol's characterSet code: "00", "01" or "02".
    pub fn code(self) -> &'static str {
        match self {
            Charset::Gbk => "00",
            Charset::Gb2312 => "01",
            Charset::Utf8 => "02",
        }
    }

    /// The name in the request's Content-Type.
    pub fn http_name(self) -> &'static str {
        match self {
            Charset::Gbk => "GBK",
            Charset::Gb2312 => "GB2312",
            Charset::Utf8 => "UTF-8",
        }
    }

    /// Encodes one field's value; `field` names it in the error.
    pub fn encode<'a>(self, field: &str, text: &'a str) -> Result<Cow<'a, [u8]>> {
        if self == Charset::Utf8 || text.is_ascii() {
            return Ok(Cow::Borrowed(text.as_bytes()));
        }
        let (bytes, _, unmappable) = GBK.encode(text);
        if unmappable {
            return Err(Error::field(
                field,
                format!(
                    "contains a character that {} cannot represent",
                    self.http_name()
                ),
                None,
            ));
        }
        if self == Charset::Gb2312 && !is_gb2312(&bytes) {
            return Err(Error::field(
                field,
                "contains a GBK character outside GB2312; use characterSet 00 or 02",
                None,
            ));
        }
        Ok(Cow::Owned(bytes.into_owned()))
    }
}

/// True when every double-byte character lies in GB2312's EUC-CN range.
fn is_gb2312(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
            continue;
        }
        match bytes.get(i + 1) {
            Some(&t) if (0xA1..=0xF7).contains(&b) && (0xA1..=0xFE).contains(&t) => i += 2,
            _ => return false,
        }
    }
    true
}

/// Decodes received bytes: UTF-8 when valid, else GB18030 (a superset of GBK
/// and GB2312). Bytes valid in neither are a parse error, never replaced.
pub fn decode(field: &str, bytes: &[u8]) -> Result<String> {
    decode_cow(field, bytes).map(Cow::into_owned)
}

/// As `decode`, borrowing when the bytes are UTF-8 already.
pub(crate) fn decode_cow<'a>(field: &str, bytes: &'a [u8]) -> Result<Cow<'a, str>> {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(Cow::Borrowed(s));
    }
    let (text, malformed) = GB18030.decode_without_bom_handling(bytes);
    if malformed {
        return Err(Error::Parse(format!(
            "field {field}: bytes are neither UTF-8 nor GB18030"
        )));
    }
    Ok(Cow::Owned(text.into_owned()))
}

/// Bytes read as GB18030 (GBK, GB2312) with replacement characters where
/// they are not, and whether any were needed. For showing what a signer may
/// have seen (`cmpay explain`) only: the library never decodes lossily.
pub fn gb18030_lossy(bytes: &[u8]) -> (String, bool) {
    let (text, malformed) = GB18030.decode_without_bom_handling(bytes);
    (text.into_owned(), malformed)
}

/// Strict UTF-8 decoding, for input that is documented to be UTF-8.
pub fn utf8(what: &str, bytes: &[u8]) -> Result<String> {
    let (text, malformed) = UTF_8.decode_without_bom_handling(bytes);
    if malformed {
        return Err(Error::InvalidArgument(format!("{what} is not valid UTF-8")));
    }
    Ok(text.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_round_trip_and_refusals() {
        assert_eq!(
            Charset::Gbk.encode("f", "和包").unwrap(),
            vec![0xBA, 0xCD, 0xB0, 0xFC]
        );
        assert_eq!(decode("f", &[0xBA, 0xCD, 0xB0, 0xFC]).unwrap(), "和包");
        // An emoji has no GBK form: refused, not turned into "&#128512;".
        let e = Charset::Gbk.encode("productName", "😀").unwrap_err();
        assert!(matches!(e, Error::Field { ref field, .. } if field == "productName"));
        // 瑀 is GBK-only (lead byte 0x8C): fine for 00, refused for 01.
        assert!(Charset::Gbk.encode("f", "瑀").is_ok());
        assert!(Charset::Gb2312.encode("f", "瑀").is_err());
        assert!(Charset::Gb2312.encode("f", "测试").is_ok());
        assert!(decode("f", &[0xFF, 0xFF]).is_err());
    }
}
