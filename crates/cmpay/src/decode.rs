//! How received bytes become the text a signature is checked over
//! (protocol.md §8). A request is read in its own `characterSet`, whether its
//! values are percent-encoded or raw. A notification or a gateway answer has
//! no charset of its own: it is verified under the four decodings of §8, in
//! order, and the first under which the signature holds is kept.

use crate::body::{self, Pairs, RawValue};
use crate::charset::Charset;
use crate::error::{Error, Result};
use crate::fields::{MessageKind, ORDER_TYPES};
use crate::form;
use crate::params::Params;
use crate::sign::Verifier;
use encoding_rs::GB18030;
use std::borrow::Cow;

/// One way of turning a received value's bytes into text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decoding {
    /// Percent-decoded once, read as UTF-8 (the gateway's answers, and
    /// notifications as the document says: signed, then sent as UTF-8).
    Utf8Once,
    /// Percent-decoded twice, read as UTF-8 (Chinese fields encoded twice).
    Utf8Twice,
    /// Percent-decoded once, read as GB18030 (GBK, GB2312).
    Gb18030Once,
    /// Percent-decoded twice, read as GB18030.
    Gb18030Twice,
}

impl Decoding {
    /// The order of protocol.md §8.
    pub(crate) const ORDER: [Decoding; 4] = [
        Decoding::Utf8Once,
        Decoding::Utf8Twice,
        Decoding::Gb18030Once,
        Decoding::Gb18030Twice,
    ];

    /// True for the decodings that percent-decode twice.
    pub fn twice(self) -> bool {
        matches!(self, Decoding::Utf8Twice | Decoding::Gb18030Twice)
    }

    /// For messages: "UTF-8, decoded once", ...
    pub fn name(self) -> &'static str {
        match self {
            Decoding::Utf8Once => "UTF-8, decoded once",
            Decoding::Utf8Twice => "UTF-8, decoded twice",
            Decoding::Gb18030Once => "GB18030, decoded once",
            Decoding::Gb18030Twice => "GB18030, decoded twice",
        }
    }

    fn utf8(self) -> bool {
        matches!(self, Decoding::Utf8Once | Decoding::Utf8Twice)
    }
}

/// Reading a received body's values under the decodings of §8 (its names
/// are read, and the body guarded, by `body::Pairs` itself).
impl Pairs<'_> {
    /// Every value under one of the §8 decodings. Fails when a value's bytes
    /// are not text in that decoding's charset.
    pub fn decode(&self, decoding: Decoding) -> Result<Params> {
        self.decode_received(None, decoding)
    }

    /// `decode`, for a received message of `kind` (when given): a value that
    /// is not text in the decoding's charset fails only when its field is
    /// signed (or hmac, serverCert). Any other field travels outside the
    /// signature, is set apart as unsigned and never acted on: it is kept as
    /// it arrived on the wire (percent-encoded; raw non-ASCII bytes are
    /// percent-encoded here), losslessly, so that one stray pair cannot make
    /// a genuine notification fail.
    pub(crate) fn decode_received(
        &self,
        kind: Option<MessageKind>,
        decoding: Decoding,
    ) -> Result<Params> {
        let charset = if decoding.utf8() {
            Charset::Utf8
        } else {
            Charset::Gbk
        };
        let unsigned = |name: &str| {
            kind.is_some_and(|k| {
                k.field(name).is_none() && !crate::fields::UNSIGNED.contains(&name)
            })
        };
        self.fields(|name, raw, scratch| {
            let text = decode_value(decoding, charset, name, raw, scratch);
            match text {
                Err(_) if unsigned(name) => Ok(match std::str::from_utf8(raw.bytes) {
                    Ok(ascii) if ascii.is_ascii() => Cow::Borrowed(ascii),
                    _ => Cow::Owned(form::escape(raw.bytes)),
                }),
                other => other,
            }
        })
    }
}

/// One value under `decoding`.
fn decode_value<'v>(
    decoding: Decoding,
    charset: Charset,
    name: &str,
    raw: RawValue<'v>,
    scratch: &'v mut Vec<u8>,
) -> Result<Cow<'v, str>> {
    if decoding.twice() {
        // Only tried when the once-decoded values did not verify:
        // plain allocations are fine here.
        let twice = body::unescape(&body::unescape(raw.bytes)).into_owned();
        return text_in(charset, name, &twice).map(Cow::Owned);
    }
    match raw.ascii {
        // ASCII with nothing to unescape: the same text in every charset.
        Some(text) if !body::needs_unescape(raw.bytes) => Ok(Cow::Borrowed(text)),
        _ => text_in_cow(charset, name, body::unescape_in(raw.bytes, scratch)),
    }
}

/// Bytes as text in `charset` (GBK and GB2312 read as GB18030), never lossy.
pub(crate) fn text_in(charset: Charset, field: &str, bytes: &[u8]) -> Result<String> {
    text_in_cow(charset, field, bytes).map(Cow::into_owned)
}

/// As `text_in`, borrowing the bytes when they are text already (ASCII in
/// any charset here, or valid UTF-8 read as UTF-8).
fn text_in_cow<'a>(charset: Charset, field: &str, bytes: &'a [u8]) -> Result<Cow<'a, str>> {
    if let Ok(ascii) = std::str::from_utf8(bytes)
        && (charset == Charset::Utf8 || ascii.is_ascii())
    {
        // ASCII is the same in every charset here; the common case.
        return Ok(Cow::Borrowed(ascii));
    }
    match charset {
        Charset::Utf8 => Err(Error::Parse(
            if GB18030
                .decode_without_bom_handling_and_without_replacement(bytes)
                .is_some()
            {
                format!(
                    "field {field}: the bytes are GBK but characterSet says 02 (UTF-8): declare characterSet 00, or encode UTF-8"
                )
            } else {
                format!("field {field}: bytes are not UTF-8 (characterSet 02)")
            },
        )),
        Charset::Gbk | Charset::Gb2312 => GB18030
            .decode_without_bom_handling_and_without_replacement(bytes)
            .ok_or_else(|| {
                Error::Parse(format!(
                    "field {field}: bytes are not GBK/GB18030 (characterSet {})",
                    charset.code()
                ))
            }),
    }
}

/// A request whose parameters may come in the URL's query string, the body,
/// or both (§8.9): the query's pairs and the body's are read as one list, in
/// the characterSet that list declares, so a name present in both is a
/// duplicate and refused, never one of the two picked. An empty query or
/// body adds nothing, and so does a query string that is no list of pairs
/// when there is a body.
pub fn request_parts(query: &[u8], body: &[u8]) -> Result<Params> {
    if body.starts_with(BOM) {
        return Err(Error::Parse(BOM_REFUSED.into()));
    }
    match (query.is_empty(), body.is_empty()) {
        (true, _) => request(body),
        (false, true) => request(query),
        // A query string that is no list of pairs (`?wsdl`) beside a body
        // is not the request's: the body alone is read.
        (false, false) if Pairs::received(query).is_err() => request(body),
        (false, false) => {
            let mut both = Vec::with_capacity(query.len() + 1 + body.len());
            both.extend_from_slice(query);
            both.push(b'&');
            both.extend_from_slice(body);
            request(&both).map_err(|e| match e {
                Error::Parse(m) => Error::Parse(format!(
                    "{m} (the URL's query string and the body are read as one list of parameters)"
                )),
                other => other,
            })
        }
    }
}

/// The UTF-8 byte-order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Why a request that starts with a byte-order mark is refused (§8.9): the
/// gateway's form reader takes the mark as part of the first name.
pub const BOM_REFUSED: &str = "the body starts with a UTF-8 byte-order mark (EF BB BF), which the gateway reads as part of the first name: write the body without it (.NET: new UTF8Encoding(false))";

/// A request as the gateway reads it (what the simulator and `cmpay verify
/// --kind order-request` receive): values percent-decoded once (raw values,
/// as the .NET and ASP kits send them, pass unchanged) and read in the
/// request's own `characterSet` (00 GBK and 01 GB2312 as GB18030, 02 UTF-8;
/// empty means 00). A request without `characterSet` (OrderQuery,
/// OrderRefund) is read as UTF-8 when it is, else as GB18030. A body that
/// starts with a UTF-8 byte-order mark is refused, naming the mark (§8.9).
pub fn request(body: &[u8]) -> Result<Params> {
    if body.starts_with(BOM) {
        return Err(Error::Parse(BOM_REFUSED.into()));
    }
    let raw = Pairs::received(body)?;
    let declared = raw.raw("characterSet").map(body::unescape);
    let charset = match declared.as_deref() {
        Some(code) => Some(Charset::from_code(
            std::str::from_utf8(code).unwrap_or("?"),
        )?),
        None => {
            let ty = raw.raw("type").map(body::unescape);
            let is_order = ty
                .as_deref()
                .and_then(|t| std::str::from_utf8(t).ok())
                .is_some_and(|t| ORDER_TYPES.contains(&t));
            is_order.then_some(Charset::Gbk)
        }
    };
    raw.fields(|name, value, scratch| {
        let bytes = body::unescape_in(value.bytes, scratch);
        match charset {
            Some(charset) => text_in_cow(charset, name, bytes),
            None => crate::charset::decode_cow(name, bytes),
        }
    })
}

/// A received notification or answer whose signature held, with the
/// decoding under which it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The values as they verified.
    pub params: Params,
    /// The decoding under which they did.
    pub decoding: Decoding,
}

/// The outcome of trying the §8 decodings on a notification or an answer.
pub struct Attempt {
    /// The values to report: those that verified, else the first decoding
    /// that could be read at all.
    pub params: Params,
    /// The decoding under which the signature held, if any.
    pub decoding: Option<Decoding>,
    /// Why it did not verify (under the first readable decoding).
    pub error: Option<Error>,
    /// How many signature checks were made (at most four).
    pub verifications: usize,
}

/// Tries the §8 decodings in order (at most four verifications; a decoding
/// that gives the same values as an earlier one is not verified again) and
/// keeps the first under which the signature of `kind` holds.
pub fn attempt(verifier: &Verifier, kind: MessageKind, body: &[u8]) -> Result<Attempt> {
    let raw = Pairs::received(body)?;
    let mut first: Option<(Params, Error)> = None;
    // Filled only when a decoding fails to verify: no allocation for a
    // notification that verifies at once.
    let mut tried: Vec<Params> = Vec::new();
    let mut unreadable: Option<Error> = None;
    for decoding in Decoding::ORDER {
        let params = match raw.decode_received(Some(kind), decoding) {
            Ok(p) => p,
            Err(e) => {
                unreadable.get_or_insert(e);
                continue;
            }
        };
        if tried.contains(&params) {
            continue;
        }
        match verifier.verify(kind, &params) {
            Ok(()) => {
                return Ok(Attempt {
                    params,
                    decoding: Some(decoding),
                    error: None,
                    verifications: tried.len() + 1,
                });
            }
            Err(e) => {
                if first.is_none() {
                    first = Some((params.clone(), e));
                }
                tried.push(params);
            }
        }
    }
    match first {
        Some((params, error)) => {
            let error = match error {
                Error::SignatureMismatch(m) if tried.len() > 1 => {
                    Error::SignatureMismatch(format!(
                        "{m}; tried {} decodings of protocol.md §8 (UTF-8 or GB18030, decoded once or twice)",
                        tried.len()
                    ))
                }
                other => other,
            };
            Ok(Attempt {
                params,
                decoding: None,
                error: Some(error),
                verifications: tried.len(),
            })
        }
        None => {
            // An empty, repeated or undecodable name fails every decoding
            // alike: the body itself is malformed, and said so as it is
            // (checked again only here, so that a body that reads under a
            // later decoding pays nothing for it).
            raw.check_names()?;
            Err(match unreadable {
                // The first error names the field; the charset is the decodings', not a characterSet.
                Some(Error::Parse(m)) => Error::Parse(format!(
                    "{}: text under no decoding of protocol.md §8 (UTF-8 or GB18030, decoded once or twice)",
                    m.split(": bytes").next().unwrap_or(&m)
                )),
                Some(e) => e,
                None => Error::Parse("body holds no text".into()),
            })
        }
    }
}

/// A notification or answer verified under the first §8 decoding that holds;
/// a signature error when none does.
pub fn verified(verifier: &Verifier, kind: MessageKind, body: &[u8]) -> Result<Verified> {
    let a = attempt(verifier, kind, body)?;
    match (a.decoding, a.error) {
        (Some(decoding), _) => Ok(Verified {
            params: a.params,
            decoding,
        }),
        (None, Some(e)) => Err(e),
        (None, None) => Err(Error::SignatureMismatch("did not verify".into())),
    }
}

/// Verifies a received body of any kind as its receiver reads it: a request
/// in its own characterSet (`request`), anything else under the §8
/// decodings (`verified`). Returns the values that verified.
pub fn verify_received(verifier: &Verifier, kind: MessageKind, body: &[u8]) -> Result<Params> {
    if kind.is_request() {
        let params = request(body)?;
        verifier.verify(kind, &params)?;
        Ok(params)
    } else {
        verified(verifier, kind, body).map(|v| v.params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_in_its_own_charset_encoded_or_raw() {
        // 同学 in GBK is CD AC D1 A7, which is valid UTF-8 too.
        let gbk = b"characterSet=00&productName=%CD%AC%D1%A7";
        assert_eq!(request(gbk).unwrap().value("productName"), "同学");
        let raw = b"characterSet=01&productName=\xCD\xAC\xD1\xA7";
        assert_eq!(request(raw).unwrap().value("productName"), "同学");
        let utf8 = "characterSet=02&productName=同学".as_bytes();
        assert_eq!(request(utf8).unwrap().value("productName"), "同学");
        // GBK bytes labelled UTF-8: refused, not guessed.
        assert!(request(b"characterSet=02&productName=%BA%CD").is_err());
        // An order without characterSet is GBK (its default).
        assert_eq!(
            request(b"type=DirectPayConfirm&productName=%CD%AC%D1%A7")
                .unwrap()
                .value("productName"),
            "同学"
        );
        assert!(request(b"characterSet=09&a=1").is_err());
    }

    #[test]
    fn decodings() {
        let raw = Pairs::received(b"a=%25BA%25CD&b=%BA%CD&c=x=y#z").unwrap();
        let once = raw.decode(Decoding::Gb18030Once).unwrap();
        assert_eq!(once.value("a"), "%BA%CD");
        assert_eq!(once.value("c"), "x=y#z");
        let twice = raw.decode(Decoding::Gb18030Twice).unwrap();
        assert_eq!((twice.value("a"), twice.value("b")), ("和", "和"));
        // BA CD is not UTF-8: that decoding cannot be read.
        assert!(raw.decode(Decoding::Utf8Once).is_err());
        // CD AC (同 in GBK) is valid UTF-8 too: read, but as another letter.
        let same = Pairs::received(b"b=%CD%AC").unwrap();
        assert_eq!(
            same.decode(Decoding::Utf8Once).unwrap().value("b"),
            "\u{36c}"
        );
        assert_eq!(same.decode(Decoding::Gb18030Once).unwrap().value("b"), "同");
    }

    #[test]
    fn ascii_body_and_raw_bytes_read_alike() {
        // The same pairs percent-encoded (an ASCII body: names and values
        // sliced from it unchecked) and raw (each checked on its own).
        let encoded = Pairs::received(b"na%6De=%E5%92%8C+x&b=1").unwrap();
        let raw = Pairs::received("na%6De=和 x&b=1".as_bytes()).unwrap();
        let (e, r) = (
            encoded.decode(Decoding::Utf8Once).unwrap(),
            raw.decode(Decoding::Utf8Once).unwrap(),
        );
        assert_eq!(e, r);
        assert_eq!((e.value("name"), e.value("b")), ("和 x", "1"));
        // Read as GB18030, the UTF-8 bytes are never taken for themselves.
        assert!(
            raw.decode(Decoding::Gb18030Once)
                .map_or(true, |p| p.value("name") != "和 x")
        );
    }

    /// A repeated, empty or undecodable name is the body's fault, the same
    /// under every decoding: reported as it is, once, not as a value that
    /// is "text under no decoding of protocol.md §8".
    #[test]
    fn a_malformed_name_is_not_blamed_on_the_decodings() {
        let verifier = crate::Verifier::Md5(crate::sign::Md5Key::new(&"k".repeat(64)).unwrap());
        for (body, message) in [
            (&b"a=1&a=2"[..], "parse: field a appears twice"),
            (b"a=1&=2", "parse: field 2 has an empty name"),
            (
                b"a=1&%FF=2",
                "parse: the name of field 2 is not valid UTF-8",
            ),
        ] {
            let err = attempt(&verifier, MessageKind::Notify, body).err().unwrap();
            assert_eq!(err.to_string(), message);
        }
    }
}
