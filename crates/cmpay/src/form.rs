//! application/x-www-form-urlencoded, as the gateway speaks it: values are
//! encoded to bytes in the message's charset, then percent-encoded
//! (alphanumerics and `*-._` kept, space as `+`); received pairs split at the
//! first `=` only, because payUrl and amtItem contain `=` themselves.

use crate::charset::{self, Charset};
use crate::error::{Error, Result};
use crate::params::Params;
use std::borrow::Cow;

/// Largest body the library accepts from the gateway or a notification.
pub const MAX_BODY: usize = 64 * 1024;

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

/// Parses a received body into pairs, values decoded once. Names must be
/// ASCII-safe text; a repeated name, a pair without `=`, or a body over
/// `MAX_BODY` is a parse error.
pub fn parse(body: &[u8]) -> Result<Params> {
    if body.len() > MAX_BODY {
        return Err(Error::Parse(format!(
            "body of {} bytes exceeds the {MAX_BODY}-byte limit",
            body.len()
        )));
    }
    let body = trim_line_end(body);
    if body.is_empty() {
        return Err(Error::Parse("empty body".into()));
    }
    let mut params = Params::with_capacity(24);
    let mut seen = Names::default();
    for pair in split_pairs(body) {
        if pair.is_empty() {
            continue; // tolerate "a=1&&b=2" and a trailing '&'
        }
        let eq = memchr::memchr(b'=', pair).ok_or_else(|| {
            Error::Parse(format!(
                "pair without '=': {:?}",
                String::from_utf8_lossy(&pair[..pair.len().min(40)])
            ))
        })?;
        let (name, value) = (&pair[..eq], &pair[eq + 1..]);
        let (escaped_name, escaped_value) = (needs_unescape(name), needs_unescape(value));
        let unescaped_name = if escaped_name {
            Cow::Owned(decode_escapes(name))
        } else {
            Cow::Borrowed(name)
        };
        let name = charset::decode_cow("(name)", &unescaped_name)?;
        if name.is_empty() {
            return Err(Error::Parse("pair with an empty name".into()));
        }
        let unescaped_value = if escaped_value {
            Cow::Owned(decode_escapes(value))
        } else {
            Cow::Borrowed(value)
        };
        let value = charset::decode_cow(&name, &unescaped_value)?;
        if !seen.insert(&params, &name)? {
            return Err(Error::Parse(format!("field {name} appears twice")));
        }
        params.push(&name, &value);
    }
    Ok(params)
}

/// Strict UTF-8 form parsing for caller input (the CLI's and the C ABI's bulk
/// parameters): values must decode as UTF-8, never as another charset.
pub fn parse_utf8(body: &[u8]) -> Result<Params> {
    let mut params = Params::with_capacity(32);
    let mut seen = Names::default();
    let not_utf8 = |what: String| Error::InvalidArgument(format!("{what} is not valid UTF-8"));
    for pair in split_pairs(body).filter(|p| !p.is_empty()) {
        let eq = memchr::memchr(b'=', pair)
            .ok_or_else(|| Error::InvalidArgument("parameter without '='".into()))?;
        let (name, value) = (unescape(&pair[..eq]), unescape(&pair[eq + 1..]));
        let name = std::str::from_utf8(&name).map_err(|_| not_utf8("a parameter name".into()))?;
        let value =
            std::str::from_utf8(&value).map_err(|_| not_utf8(format!("the value of {name}")))?;
        if !seen
            .insert(&params, name)
            .map_err(|e| Error::InvalidArgument(e.to_string()))?
        {
            return Err(Error::InvalidArgument(format!(
                "parameter {name} given twice"
            )));
        }
        params.push(name, value);
    }
    Ok(params)
}

/// Bulk parameters as NUL-terminated pairs: every name and every value is
/// followed by one NUL byte, `name\0value\0name\0value\0`. UTF-8 with no
/// escaping, so a host language builds them with one join and the library
/// splits them without decoding; an empty last value is `name\0\0`. (The C
/// ABI takes them when the body holds a NUL byte, which a form body never
/// does.) A body that does not end with NUL, or ends with a name and no
/// value, is refused: there is one way to write each list of pairs.
pub fn parse_nul_pairs(body: &[u8]) -> Result<Params> {
    let Some(body) = body.strip_suffix(&[0]) else {
        return Err(Error::InvalidArgument(
            "NUL-separated parameters must end with a NUL byte (name\\0value\\0...)".into(),
        ));
    };
    let mut params = Params::with_capacity(32);
    let mut seen = Names::default();
    let mut parts = body.split(|&b| b == 0);
    while let Some(name) = parts.next() {
        let value = parts.next().ok_or_else(|| {
            Error::InvalidArgument("NUL-separated parameters end with a name and no value".into())
        })?;
        let name = std::str::from_utf8(name)
            .map_err(|_| Error::InvalidArgument("a parameter name is not valid UTF-8".into()))?;
        let value = std::str::from_utf8(value).map_err(|_| {
            Error::InvalidArgument(format!("the value of {name} is not valid UTF-8"))
        })?;
        if name.is_empty() {
            return Err(Error::InvalidArgument(
                "a parameter has an empty name".into(),
            ));
        }
        if !seen
            .insert(&params, name)
            .map_err(|e| Error::InvalidArgument(e.to_string()))?
        {
            return Err(Error::InvalidArgument(format!(
                "parameter {name} given twice"
            )));
        }
        params.push(name, value);
    }
    Ok(params)
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

/// Most pairs a body may hold: every message has fewer than 40 fields, so
/// a body of thousands of short names is refused before it costs anything.
pub const MAX_PAIRS: usize = 256;

/// Names at which the duplicate check switches from comparing names to a
/// hash set, so that its cost stays linear in the number of pairs.
const SMALL: usize = 32;

/// Finds repeated names: a 128-bit filter on (length, first and last byte)
/// spares most full look-ups among the first `SMALL` names (every real
/// message; a notification's 21 names do not collide in it); past that a
/// hash set of the names' (randomly keyed) hashes takes over. Also enforces
/// `MAX_PAIRS`.
#[derive(Default)]
pub(crate) struct Names {
    filter: u128,
    count: usize,
    hashes: Option<(std::collections::HashSet<u64>, std::hash::RandomState)>,
}

impl Names {
    /// Ok(false) when `name` is already in `params`; an error past `MAX_PAIRS`.
    pub(crate) fn insert(&mut self, params: &Params, name: &str) -> Result<bool> {
        use std::hash::BuildHasher;
        self.count += 1;
        if self.count > MAX_PAIRS {
            return Err(Error::Parse(format!(
                "more than {MAX_PAIRS} fields; no message has that many"
            )));
        }
        if self.count > SMALL {
            let (set, state) = self.hashes.get_or_insert_with(|| {
                let state = std::hash::RandomState::new();
                let set = params.iter().map(|(n, _)| state.hash_one(n)).collect();
                (set, state)
            });
            // A hash seen before: compare for real (a collision of 64-bit
            // keyed hashes cannot be steered by the sender).
            return Ok(set.insert(state.hash_one(name)) || {
                count_comparisons(params.len());
                params.get(name).is_none()
            });
        }
        let b = name.as_bytes();
        let (first, last) = (b.first().copied(), b.last().copied());
        let (first, last) = (first.unwrap_or(0) as usize, last.unwrap_or(0) as usize);
        let bit = 1u128 << ((name.len() * 31 + last * 7 + first) % 128);
        let maybe_seen = self.filter & bit != 0;
        self.filter |= bit;
        if !maybe_seen {
            return Ok(true);
        }
        count_comparisons(params.len());
        Ok(params.get(name).is_none())
    }
}

thread_local! {
    static COMPARISONS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

fn count_comparisons(n: usize) {
    COMPARISONS.with(|c| c.set(c.get() + n as u64));
}

/// Name comparisons the duplicate checks of this thread have made so far:
/// the work a hostile body of many names costs, for tests to bound without
/// a clock.
#[doc(hidden)]
pub fn name_comparisons() -> u64 {
    COMPARISONS.with(|c| c.get())
}

/// Values are short: a plain loop beats a SIMD search's set-up here.
pub(crate) fn needs_unescape(raw: &[u8]) -> bool {
    raw.iter().any(|&b| b == b'%' || b == b'+')
}

/// The `&`-separated pairs of a body (memchr: bodies are scanned once, fast).
fn split_pairs(body: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut start = 0;
    memchr::memchr_iter(b'&', body)
        .chain(std::iter::once(body.len()))
        .map(move |end| {
            let pair = &body[start..end];
            start = end + 1;
            pair
        })
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

    /// 10,922 distinct names fill a 64 KiB body: refused at MAX_PAIRS, and
    /// the duplicate check's work stays linear up to there.
    #[test]
    fn many_names_cost_linear_work_and_are_capped() {
        // Four-letter names, "name=&": 6 bytes a pair.
        let letters = b"abcdefghijklmnopqrstuvwxyz";
        let mut body = Vec::new();
        let mut i = 0;
        while body.len() + 6 <= MAX_BODY {
            let mut n = i;
            for _ in 0..4 {
                body.push(letters[n % 26]);
                n /= 26;
            }
            body.extend_from_slice(b"=&");
            i += 1;
        }
        assert_eq!(i, 10_922);
        let before = name_comparisons();
        let err = parse(&body).unwrap_err();
        assert!(err.to_string().contains("more than 256"), "{err}");
        let spent = name_comparisons() - before;
        // Only the filter stage compares names: at most SMALL * SMALL.
        assert!(spent <= (SMALL * SMALL) as u64, "{spent} comparisons");
        // Just under the cap, and with names that all collide in the
        // filter: still bounded by the small stage.
        let mut body = String::new();
        for i in 0..MAX_PAIRS {
            body.push_str(&format!("{}=&", "a".repeat(1 + i % 2) + &"b".repeat(i)));
        }
        let before = name_comparisons();
        assert_eq!(parse(body.as_bytes()).unwrap().len(), MAX_PAIRS);
        let spent = name_comparisons() - before;
        assert!(spent <= (SMALL * SMALL) as u64, "{spent} comparisons");
        // A real duplicate past the small stage is still found.
        let nul: Vec<u8> = (0..100)
            .flat_map(|i| format!("n{i}\0v\0").into_bytes())
            .chain(b"n7\0again\0".iter().copied())
            .collect();
        assert!(
            parse_nul_pairs(&nul)
                .unwrap_err()
                .to_string()
                .contains("n7 given twice")
        );
    }

    #[test]
    fn encodes_like_the_gateway() {
        let mut s = String::new();
        push_pair(&mut s, Charset::Gbk, "a", "和 *-._~/").unwrap();
        assert_eq!(s, "a=%BA%CD+*-._%7E%2F");
    }
}
