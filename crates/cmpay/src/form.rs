//! application/x-www-form-urlencoded, as the gateway speaks it: values are
//! encoded to bytes in the message's charset, then percent-encoded
//! (alphanumerics and `*-._` kept, space as `+`); received pairs split at the
//! first `=` only, because payUrl and amtItem contain `=` themselves.

use crate::body::{self, Pairs, Syntax};
use crate::charset::{self, Charset};
use crate::error::Result;
use crate::params::Params;
use std::borrow::Cow;

pub use crate::body::{MAX_BODY, MAX_PAIRS};

/// Bytes percent-encoded as the gateway's forms are (alphanumerics and
/// `*-._` kept, space as `+`, everything else `%XX`).
pub fn escape(bytes: &[u8]) -> String {
    form_urlencoded::byte_serialize(bytes).collect()
}

/// Appends `name=value` (value in `charset`, percent-encoded) to `out`. The
/// name is percent-encoded too (UTF-8): a name such as `order%49d` must come
/// out as itself, never as `orderId` once the reader decodes it.
pub fn push_pair(out: &mut String, charset: Charset, name: &str, value: &str) -> Result<()> {
    if !out.is_empty() {
        out.push('&');
    }
    if name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        out.push_str(name); // every name of the tables: no copy
    } else {
        out.extend(form_urlencoded::byte_serialize(name.as_bytes()));
    }
    out.push('=');
    let bytes = charset.encode(name, value)?;
    out.extend(form_urlencoded::byte_serialize(&bytes));
    Ok(())
}

/// Percent-decodes one value's bytes (`+` is space; a `%` not followed by two
/// hex digits stays as it is); borrows when there is nothing to decode, which
/// is most values. One pass by hand: the percent-encoding crate's iterator
/// cost more than the signature itself on a 27-field order (BENCHMARKS.md).
pub fn unescape(raw: &[u8]) -> Cow<'_, [u8]> {
    if !needs_unescape(raw) {
        return Cow::Borrowed(raw);
    }
    Cow::Owned(decode_escapes(raw))
}

/// `unescape` into a caller's buffer (cleared first), so that decoding a
/// whole body reuses one allocation: returns `raw` itself when there is
/// nothing to decode, else the decoded bytes in `scratch`.
pub(crate) fn unescape_in<'a>(raw: &'a [u8], scratch: &'a mut Vec<u8>) -> &'a [u8] {
    if !needs_unescape(raw) {
        return raw;
    }
    scratch.clear();
    decode_escapes_into(raw, scratch);
    scratch
}

/// `unescape` for bytes known to hold `%` or `+`.
fn decode_escapes(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    decode_escapes_into(raw, &mut out);
    out
}

fn decode_escapes_into(raw: &[u8], out: &mut Vec<u8>) {
    out.reserve(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let b = raw[i];
        i += 1;
        match b {
            b'+' => out.push(b' '),
            b'%' => match (
                raw.get(i).and_then(hex_digit),
                raw.get(i + 1).and_then(hex_digit),
            ) {
                (Some(hi), Some(lo)) => {
                    out.push(hi << 4 | lo);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
    }
}

fn hex_digit(b: &u8) -> Option<u8> {
    (*b as char).to_digit(16).map(|d| d as u8)
}

/// Parses a received body into pairs, values percent-decoded once and read
/// as UTF-8, else GB18030 (never lossily). The guards are `body::Pairs`':
/// a body over `MAX_BODY`, empty, a pair without `=`, more than `MAX_PAIRS`
/// pairs, or a name that is empty, not UTF-8 or repeated is a parse error.
pub fn parse(body: &[u8]) -> Result<Params> {
    Pairs::received(body)?
        .fields(|name, value, scratch| charset::decode_cow(name, unescape_in(value.bytes, scratch)))
}

/// Strict UTF-8 form parsing for caller input (the CLI's and the C ABI's bulk
/// parameters): values must decode as UTF-8, never as another charset.
/// Trailing CR/LF is ignored and an empty body is no parameters; otherwise
/// the guards of `body::Pairs`, as `InvalidArgument`.
pub fn parse_utf8(body: &[u8]) -> Result<Params> {
    Ok(body::parameters(body, Syntax::Form)?)
}

/// Bulk parameters as NUL-terminated pairs (`body::Syntax::NulPairs`): every
/// name and every value is followed by one NUL byte, `name\0value\0name\0value\0`.
/// UTF-8 with no escaping, so a host language builds them with one join and
/// the library splits them without decoding; an empty last value is
/// `name\0\0`. (The C ABI takes them when the body holds a NUL byte, which a
/// form body never does.) A body that does not end with NUL, or ends with a
/// name and no value, is refused: there is one way to write each list of pairs.
pub fn parse_nul_pairs(body: &[u8]) -> Result<Params> {
    Ok(body::parameters(body, Syntax::NulPairs)?)
}

/// Encodes params as a UTF-8 form body (the inverse of `parse_utf8`).
pub fn encode_utf8(params: &Params) -> String {
    let mut out = String::new();
    for (name, value) in params.iter() {
        // UTF-8 encoding cannot fail.
        let _ = push_pair(&mut out, Charset::Utf8, name, value);
    }
    out
}

/// Values are short: a plain loop beats a SIMD search's set-up here.
pub(crate) fn needs_unescape(raw: &[u8]) -> bool {
    raw.iter().any(|&b| b == b'%' || b == b'+')
}

/// The bytes without trailing CR/LF (`echo` and line-based reads add one; a
/// real value's line break would be percent-encoded).
pub fn trim_line_end(mut b: &[u8]) -> &[u8] {
    while let [rest @ .., b'\r' | b'\n'] = b {
        b = rest;
    }
    b
}

/// Whether `s` still holds a `%XX` escape (a value that may have been
/// percent-encoded twice).
pub fn has_percent_escape(s: &str) -> bool {
    s.as_bytes()
        .windows(3)
        .any(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_first_equals_and_rejects_duplicates() {
        let p =
            parse(b"payUrl=url<hi:=>https://x<hi:$$>a&amt=CNY_AMT=1#X=2&m=%E5%92%8C+b").unwrap();
        assert_eq!(p.get("payUrl"), Some("url<hi:=>https://x<hi:$$>a"));
        assert_eq!(p.get("amt"), Some("CNY_AMT=1#X=2"));
        assert_eq!(p.get("m"), Some("和 b"));
        assert!(parse(b"a=1&a=2").is_err());
        assert!(parse(b"a=1&b").is_err());
        assert!(parse(&vec![b'a'; MAX_BODY + 1]).is_err());
        assert!(parse_utf8(b"a=%FF").is_err());
    }

    #[test]
    fn unescape_matches_the_percent_encoding_crate() {
        for raw in [
            "",
            "abc",
            "a+b",
            "%E5%92%8C",
            "%",
            "%4",
            "%zz%41",
            "100%",
            "%2B+%2b",
            "%%41",
        ] {
            let ours = unescape(raw.as_bytes()).into_owned();
            let plus: Vec<u8> = raw
                .bytes()
                .map(|b| if b == b'+' { b' ' } else { b })
                .collect();
            let theirs: Vec<u8> = percent_encoding::percent_decode(&plus).collect();
            assert_eq!(ours, theirs, "{raw}");
        }
    }

    #[test]
    fn nul_terminated_pairs() {
        let p = parse_nul_pairs("a\0和 b=&c\0empty\0\0".as_bytes()).unwrap();
        assert_eq!(
            p.iter().collect::<Vec<_>>(),
            vec![("a", "和 b=&c"), ("empty", "")]
        );
        let p = parse_nul_pairs(b"fee\0\0").unwrap();
        assert_eq!(p.get("fee"), Some(""), "an empty last value");
        assert_eq!(parse_nul_pairs(b"a\x001\0").unwrap().value("a"), "1");
        for (bad, why) in [
            (&b"a\x001"[..], "not NUL-terminated"),
            (b"a\0", "a name without a value"),
            (b"a\x001\0b\0", "a name without a value"),
            (b"a\x001\0a\x002\0", "a name twice"),
            (b"\x001\0", "an empty name"),
            (b"a\0\xff\0", "invalid UTF-8"),
        ] {
            assert!(parse_nul_pairs(bad).is_err(), "{why}");
        }
    }

    #[test]
    fn encodes_like_the_gateway() {
        let mut s = String::new();
        push_pair(&mut s, Charset::Gbk, "a", "和 *-._~/").unwrap();
        assert_eq!(s, "a=%BA%CD+*-._%7E%2F");
    }
}
