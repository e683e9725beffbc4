//! A body as its pairs: the one splitter every reader goes through (received
//! messages under each decoding of protocol.md §8, form bodies, NUL-separated
//! parameters, `cmpay explain`). The guards live here, once: the size limit,
//! the `=` (or the value) of every pair, the pair cap, and names that are
//! UTF-8, not empty and given once. A refusal says which guard failed
//! (`Fault`) and converts into the library's `Error`. Reading a form body
//! (percent-decoding, `parse`, `parse_utf8`, `parse_nul_pairs`) is here too;
//! writing one is `form`'s.

use crate::charset;
use crate::error::Error;
use crate::params::Params;
use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

/// Largest body the library accepts from the gateway, a notification or a
/// caller's bulk parameters.
pub const MAX_BODY: usize = 64 * 1024;

/// Most pairs a body may hold: every message has fewer than 40 fields, so
/// a body of thousands of short names is refused before it costs anything.
pub const MAX_PAIRS: usize = 256;

/// How a body writes its pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// `name=value&...` (application/x-www-form-urlencoded): names and values
    /// percent-encoded, split at the first `=` only (payUrl and amtItem hold
    /// `=` themselves); trailing CR/LF ignored, empty pairs (`a=1&&b=2`, a
    /// trailing `&`) skipped.
    Form,
    /// `name\0value\0...`: every name and every value followed by one NUL
    /// byte, nothing escaped; an empty last value is `name\0\0`. A body that
    /// does not end with NUL, or ends with a name and no value, is refused:
    /// there is one way to write each list of pairs.
    NulPairs,
}

/// Who wrote a body, which decides how a refusal is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A message received (from the gateway, a notification, or a request
    /// the simulator reads): its pairs are fields, a refusal is `Error::Parse`.
    Received,
    /// A caller's bulk parameters (the C ABI, `cmpay sign`): its pairs are
    /// parameters, a refusal is `Error::InvalidArgument`; an empty form body
    /// is no parameters.
    Parameters,
}

impl Origin {
    fn noun(self) -> &'static str {
        match self {
            Origin::Received => "field",
            Origin::Parameters => "parameter",
        }
    }
}

/// Which guard refused a body, with what it found. Pairs are counted from 1
/// in body order (empty form pairs not counted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// The body is larger than `limit` (`MAX_BODY`).
    TooLarge {
        /// The body's size in bytes.
        size: usize,
        /// The largest size accepted.
        limit: usize,
    },
    /// A received form body holds nothing (line ends at most).
    Empty,
    /// A form pair has no `=`.
    NoEquals {
        /// Which pair.
        pair: usize,
        /// Its first 40 bytes, for the message (invalid UTF-8 replaced).
        start: String,
    },
    /// NUL-separated pairs do not end with a NUL byte.
    Unterminated,
    /// NUL-separated pairs end with a name and no value.
    NoValue {
        /// Which pair.
        pair: usize,
    },
    /// More pairs than `limit` (`MAX_PAIRS`).
    TooManyPairs {
        /// The most pairs accepted.
        limit: usize,
    },
    /// A pair's name is empty.
    EmptyName {
        /// Which pair.
        pair: usize,
    },
    /// A pair's name (percent-decoded, in a form) is not UTF-8.
    NameNotUtf8 {
        /// Which pair.
        pair: usize,
    },
    /// A parameter's value (percent-decoded, in a form) is not UTF-8.
    ValueNotUtf8 {
        /// The parameter's name.
        name: String,
    },
    /// A name given a second time.
    Repeated {
        /// The name.
        name: String,
    },
}

/// A body refused by a guard: which one (`fault`), and who wrote the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyError {
    /// Who wrote the body.
    pub origin: Origin,
    /// Which guard refused it, with the details.
    pub fault: Fault,
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let noun = self.origin.noun();
        match &self.fault {
            Fault::TooLarge { size, limit } => {
                write!(f, "body of {size} bytes exceeds the {limit}-byte limit")
            }
            Fault::Empty => write!(f, "empty body"),
            Fault::NoEquals { pair, start } => write!(f, "{noun} {pair} without '=': {start:?}"),
            Fault::Unterminated => write!(
                f,
                "NUL-separated {noun}s must end with a NUL byte (name\\0value\\0...)"
            ),
            Fault::NoValue { pair } => write!(
                f,
                "NUL-separated {noun}s end with a name and no value ({noun} {pair})"
            ),
            Fault::TooManyPairs { limit } => {
                write!(f, "more than {limit} {noun}s; no message has that many")
            }
            Fault::EmptyName { pair } => write!(f, "{noun} {pair} has an empty name"),
            Fault::NameNotUtf8 { pair } => {
                write!(f, "the name of {noun} {pair} is not valid UTF-8")
            }
            Fault::ValueNotUtf8 { name } => write!(f, "the value of {name} is not valid UTF-8"),
            Fault::Repeated { name } => write!(f, "{noun} {name} appears twice"),
        }
    }
}

impl std::error::Error for BodyError {}

impl From<BodyError> for Error {
    fn from(e: BodyError) -> Error {
        match e.origin {
            Origin::Received => Error::Parse(e.to_string()),
            Origin::Parameters => Error::InvalidArgument(e.to_string()),
        }
    }
}

/// A body split into its pairs, names and values as byte ranges of the body
/// (nothing decoded yet). Size, `=` (or the value) and the pair cap are
/// checked by `split`; names by `fields`.
pub struct Pairs<'a> {
    body: &'a [u8],
    syntax: Syntax,
    origin: Origin,
    /// The body as text when it is all ASCII (every gateway body: its values
    /// are percent-encoded), so that no name or value needs a UTF-8 check
    /// of its own: the separators are ASCII, every slice is at a char boundary.
    ascii: Option<&'a str>,
    pairs: PairRanges,
}

/// (name, value) of each pair as byte ranges of the body.
type PairRanges = Vec<(Range<usize>, Range<usize>)>;

/// One value as the body carries it: its bytes, and the same as text when
/// the whole body is ASCII.
#[derive(Debug, Clone, Copy)]
pub struct RawValue<'v> {
    /// The bytes as on the wire (percent-encoded, in a form).
    pub bytes: &'v [u8],
    /// `bytes` as text, when the whole body is ASCII.
    pub ascii: Option<&'v str>,
}

impl<'a> Pairs<'a> {
    /// A received form body (`Syntax::Form`, `Origin::Received`).
    #[inline]
    pub fn received(body: &'a [u8]) -> Result<Pairs<'a>, BodyError> {
        Pairs::split(body, Syntax::Form, Origin::Received)
    }

    /// Splits `body`, refusing one over `MAX_BODY`, a pair without `=` (or
    /// without a value), more than `MAX_PAIRS` pairs, and an empty received
    /// form body.
    #[inline]
    pub fn split(body: &'a [u8], syntax: Syntax, origin: Origin) -> Result<Pairs<'a>, BodyError> {
        let refuse = |fault| BodyError { origin, fault };
        if body.len() > MAX_BODY {
            return Err(refuse(Fault::TooLarge {
                size: body.len(),
                limit: MAX_BODY,
            }));
        }
        let (body, pairs) = match syntax {
            Syntax::Form => {
                let body = trim_line_end(body);
                if body.is_empty() && origin == Origin::Received {
                    return Err(refuse(Fault::Empty));
                }
                (body, split_form(body).map_err(refuse)?)
            }
            Syntax::NulPairs => (body, split_nul(body).map_err(refuse)?),
        };
        let ascii = std::str::from_utf8(body).ok().filter(|t| t.is_ascii());
        Ok(Pairs {
            body,
            syntax,
            origin,
            ascii,
            pairs,
        })
    }

    /// The pairs in body order: (name, value), both as in the body.
    pub fn iter(&self) -> impl Iterator<Item = (&'a [u8], &'a [u8])> + '_ {
        let body = self.body;
        self.pairs
            .iter()
            .map(move |(n, v)| (&body[n.clone()], &body[v.clone()]))
    }

    /// How many pairs.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether there are no pairs (never, for a received body).
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The raw bytes of `name`'s value (names compared as sent, undecoded).
    pub fn raw(&self, name: &str) -> Option<&'a [u8]> {
        self.iter()
            .find(|(n, _)| *n == name.as_bytes())
            .map(|(_, v)| v)
    }

    /// Every pair as text: names percent-decoded (in a form) and refused
    /// unless UTF-8, not empty and given once; each value as `value` reads
    /// it. `value` gets the name, the raw value and a scratch buffer it may
    /// decode into: the text it returns is copied into the one buffer of
    /// `Params`, so a body whose values need no conversion allocates nothing
    /// per value.
    pub fn fields<E, F>(&self, mut value: F) -> Result<Params, E>
    where
        E: From<BodyError>,
        F: for<'v> FnMut(&str, RawValue<'v>, &'v mut Vec<u8>) -> Result<Cow<'v, str>, E>,
    {
        let mut params = Params::with_capacity(self.pairs.len());
        let mut seen = Names::default();
        let mut scratch = Vec::new();
        for (n, v) in &self.pairs {
            let raw_name = &self.body[n.clone()];
            let unescaped;
            let name = match self.ascii {
                Some(text) if !needs_unescape(raw_name) || self.syntax == Syntax::NulPairs => {
                    &text[n.clone()]
                }
                _ => {
                    unescaped = match self.syntax {
                        Syntax::Form => unescape(raw_name),
                        Syntax::NulPairs => Cow::Borrowed(raw_name),
                    };
                    match std::str::from_utf8(&unescaped) {
                        Ok(name) => name,
                        Err(_) => return Err(self.name_fault(n, NameFault::NotUtf8).into()),
                    }
                }
            };
            if name.is_empty() {
                return Err(self.name_fault(n, NameFault::Empty).into());
            }
            if !seen.insert(&params, name) {
                return Err(self.repeated(name).into());
            }
            let raw = RawValue {
                bytes: &self.body[v.clone()],
                ascii: self.ascii.map(|text| &text[v.clone()]),
            };
            let text = value(name, raw, &mut scratch)?;
            params.push(name, &text);
        }
        Ok(params)
    }

    /// The guards of `fields` on the names alone: Err when every reading
    /// of the values would be refused for the names' sake.
    #[cold]
    #[inline(never)]
    pub fn check_names(&self) -> Result<(), BodyError> {
        self.fields(|_, _, _| Ok::<_, BodyError>(Cow::Borrowed("")))
            .map(drop)
    }

    /// The fault of the name at `range` (its pair numbered from 1), off the
    /// hot path.
    #[cold]
    #[inline(never)]
    fn name_fault(&self, range: &Range<usize>, fault: NameFault) -> BodyError {
        let pair = 1 + self
            .pairs
            .iter()
            .position(|(n, _)| n.start == range.start)
            .unwrap_or(0);
        self.refuse(match fault {
            NameFault::Empty => Fault::EmptyName { pair },
            NameFault::NotUtf8 => Fault::NameNotUtf8 { pair },
        })
    }

    #[cold]
    #[inline(never)]
    fn repeated(&self, name: &str) -> BodyError {
        self.refuse(Fault::Repeated {
            name: name.to_string(),
        })
    }

    fn refuse(&self, fault: Fault) -> BodyError {
        BodyError {
            origin: self.origin,
            fault,
        }
    }
}

/// What `Pairs::name_fault` reports.
enum NameFault {
    Empty,
    NotUtf8,
}

/// A caller's bulk parameters in `syntax`, strictly UTF-8 (percent-decoded
/// once, in a form): never read in another charset.
pub fn parameters(body: &[u8], syntax: Syntax) -> Result<Params, BodyError> {
    let pairs = Pairs::split(body, syntax, Origin::Parameters)?;
    pairs.fields(|name, value, scratch| {
        let bytes = match syntax {
            Syntax::Form => unescape_in(value.bytes, scratch),
            Syntax::NulPairs => value.bytes,
        };
        match std::str::from_utf8(bytes) {
            Ok(text) => Ok(Cow::Borrowed(text)),
            Err(_) => Err(BodyError {
                origin: Origin::Parameters,
                fault: Fault::ValueNotUtf8 {
                    name: name.to_string(),
                },
            }),
        }
    })
}

/// The `&`-separated pairs of a form body, split at the first `=`.
fn split_form(body: &[u8]) -> Result<PairRanges, Fault> {
    let mut pairs = Vec::with_capacity(24);
    let mut start = 0;
    for end in memchr::memchr_iter(b'&', body).chain(std::iter::once(body.len())) {
        let (at, pair) = (start, &body[start..end]);
        start = end + 1;
        if pair.is_empty() {
            continue;
        }
        // Names are short: a plain loop beats memchr's set-up.
        let Some(eq) = pair.iter().position(|&b| b == b'=') else {
            return Err(no_equals(pairs.len() + 1, pair));
        };
        if pairs.len() == MAX_PAIRS {
            return Err(Fault::TooManyPairs { limit: MAX_PAIRS });
        }
        pairs.push((at..at + eq, at + eq + 1..end));
    }
    Ok(pairs)
}

#[cold]
fn no_equals(pair: usize, bytes: &[u8]) -> Fault {
    Fault::NoEquals {
        pair,
        start: String::from_utf8_lossy(&bytes[..bytes.len().min(40)]).into_owned(),
    }
}

/// NUL-terminated names and values, alternating.
fn split_nul(body: &[u8]) -> Result<PairRanges, Fault> {
    let Some(body) = body.strip_suffix(&[0]) else {
        return Err(Fault::Unterminated);
    };
    let mut pairs = Vec::with_capacity(32);
    let mut ends = memchr::memchr_iter(0, body).chain(std::iter::once(body.len()));
    let mut start = 0;
    while let Some(name_end) = ends.next() {
        let Some(value_end) = ends.next() else {
            return Err(Fault::NoValue {
                pair: pairs.len() + 1,
            });
        };
        if pairs.len() == MAX_PAIRS {
            return Err(Fault::TooManyPairs { limit: MAX_PAIRS });
        }
        pairs.push((start..name_end, name_end + 1..value_end));
        start = value_end + 1;
    }
    Ok(pairs)
}

/// Names at which the duplicate check switches from comparing names to a
/// hash set, so that its cost stays linear in the number of pairs.
const SMALL: usize = 32;

/// Finds repeated names: a 128-bit filter on (length, first and last byte)
/// spares most full look-ups among the first `SMALL` names (every real
/// message; a notification's 21 names do not collide in it); past that a
/// hash set of the names' (randomly keyed) hashes takes over.
#[derive(Default)]
struct Names {
    filter: u128,
    hashes: Option<(std::collections::HashSet<u64>, std::hash::RandomState)>,
}

impl Names {
    /// False when `name` is already in `params` (the names so far). Inline:
    /// it runs once a pair on every received body.
    #[inline(always)]
    fn insert(&mut self, params: &Params, name: &str) -> bool {
        // `params` holds the names so far: this is name number len + 1.
        if params.len() >= SMALL {
            return self.insert_hashed(params, name);
        }
        let b = name.as_bytes();
        let (first, last) = (b.first().copied(), b.last().copied());
        let (first, last) = (first.unwrap_or(0) as usize, last.unwrap_or(0) as usize);
        let bit = 1u128 << ((name.len() * 31 + last * 7 + first) % 128);
        let maybe_seen = self.filter & bit != 0;
        self.filter |= bit;
        if !maybe_seen {
            return true;
        }
        count_comparisons(params.len());
        params.get(name).is_none()
    }

    /// `insert` past the first `SMALL` names (no real message has that many).
    #[cold]
    #[inline(never)]
    fn insert_hashed(&mut self, params: &Params, name: &str) -> bool {
        use std::hash::BuildHasher;
        let (set, state) = self.hashes.get_or_insert_with(|| {
            let state = std::hash::RandomState::new();
            let set = params.iter().map(|(n, _)| state.hash_one(n)).collect();
            (set, state)
        });
        // A hash seen before: compare for real (a collision of 64-bit
        // keyed hashes cannot be steered by the sender).
        set.insert(state.hash_one(name)) || {
            count_comparisons(params.len());
            params.get(name).is_none()
        }
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
pub fn parse(body: &[u8]) -> crate::error::Result<Params> {
    Pairs::received(body)?
        .fields(|name, value, scratch| charset::decode_cow(name, unescape_in(value.bytes, scratch)))
}

/// Strict UTF-8 form parsing for caller input (the CLI's and the C ABI's bulk
/// parameters): values must decode as UTF-8, never as another charset.
/// Trailing CR/LF is ignored and an empty body is no parameters; otherwise
/// the guards of `body::Pairs`, as `InvalidArgument`.
pub fn parse_utf8(body: &[u8]) -> crate::error::Result<Params> {
    Ok(parameters(body, Syntax::Form)?)
}

/// Bulk parameters as NUL-terminated pairs (`body::Syntax::NulPairs`): every
/// name and every value is followed by one NUL byte, `name\0value\0name\0value\0`.
/// UTF-8 with no escaping, so a host language builds them with one join and
/// the library splits them without decoding; an empty last value is
/// `name\0\0`. (The C ABI takes them when the body holds a NUL byte, which a
/// form body never does.) A body that does not end with NUL, or ends with a
/// name and no value, is refused: there is one way to write each list of pairs.
pub fn parse_nul_pairs(body: &[u8]) -> crate::error::Result<Params> {
    Ok(parameters(body, Syntax::NulPairs)?)
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

    fn fault(r: Result<Params, BodyError>) -> Fault {
        r.unwrap_err().fault
    }

    #[test]
    fn every_guard_says_what_it_found() {
        let too_large = vec![b'a'; MAX_BODY + 1];
        for syntax in [Syntax::Form, Syntax::NulPairs] {
            assert_eq!(
                fault(parameters(&too_large, syntax)),
                Fault::TooLarge {
                    size: MAX_BODY + 1,
                    limit: MAX_BODY
                }
            );
        }
        assert_eq!(
            Pairs::received(b"\r\n").err().map(|e| e.fault),
            Some(Fault::Empty)
        );
        assert_eq!(
            fault(parameters(b"a=1&&b&c=3", Syntax::Form)),
            Fault::NoEquals {
                pair: 2,
                start: "b".into()
            }
        );
        assert_eq!(
            fault(parameters(b"a\x001", Syntax::NulPairs)),
            Fault::Unterminated
        );
        assert_eq!(
            fault(parameters(b"a\x001\0b\0", Syntax::NulPairs)),
            Fault::NoValue { pair: 2 }
        );
        assert_eq!(
            fault(parameters(b"a=1&=2", Syntax::Form)),
            Fault::EmptyName { pair: 2 }
        );
        assert_eq!(
            fault(parameters(b"a=1&%FF=2", Syntax::Form)),
            Fault::NameNotUtf8 { pair: 2 }
        );
        assert_eq!(
            fault(parameters(b"a=%FF", Syntax::Form)),
            Fault::ValueNotUtf8 { name: "a".into() }
        );
        assert_eq!(
            fault(parameters(b"a=1&%61=2", Syntax::Form)),
            Fault::Repeated { name: "a".into() },
            "names are compared percent-decoded"
        );
        let many: Vec<u8> = (0..=MAX_PAIRS)
            .flat_map(|i| format!("n{i}\0\0").into_bytes())
            .collect();
        assert_eq!(
            fault(parameters(&many, Syntax::NulPairs)),
            Fault::TooManyPairs { limit: MAX_PAIRS }
        );
    }

    #[test]
    fn the_origin_picks_the_error_and_its_words() {
        let e = Error::from(Pairs::received(b"a=1&b").err().unwrap());
        assert_eq!(e, Error::Parse("field 2 without '=': \"b\"".into()));
        let e = parse_utf8(b"a=1&a=2").unwrap_err();
        assert_eq!(
            e,
            Error::InvalidArgument("parameter a appears twice".into())
        );
        // The cap no longer reads "invalid argument: parse: ...".
        let many: String = (0..=MAX_PAIRS).map(|i| format!("n{i}=&")).collect();
        assert_eq!(
            parse_utf8(many.as_bytes()).unwrap_err(),
            Error::InvalidArgument(format!(
                "more than {MAX_PAIRS} parameters; no message has that many"
            ))
        );
    }

    /// Differences the one splitter removed: each reader had guards of its
    /// own, so the same pairs were accepted by one and refused by another.
    #[test]
    fn every_reader_applies_every_guard() {
        // An empty name: refused as NUL pairs, accepted as a form.
        assert!(parse_nul_pairs(b"\x001\0").is_err());
        assert_eq!(
            parse_utf8(b"=1").unwrap_err().code(),
            crate::ErrorCode::InvalidArgument
        );
        // The size limit: the C ABI applied it, the core's parameter
        // readers (and so `cmpay sign`) did not.
        let big = format!("a={}", "x".repeat(MAX_BODY));
        assert!(parse_utf8(big.as_bytes()).is_err());
        // Trailing line ends: ignored by the received-body reader and by
        // every caller of parse_utf8 but the tests.
        assert_eq!(parse_utf8(b"a=1\r\n").unwrap().value("a"), "1");
        // A name that is not UTF-8: refused by the verifier's reading of
        // a body, read as GB18030 by body::parse.
        assert_eq!(
            parse(b"%BA%CD=1").unwrap_err(),
            Error::Parse("the name of field 1 is not valid UTF-8".into())
        );
        // An empty body is no parameters; a received one is refused.
        assert!(parse_utf8(b"").unwrap().is_empty());
        assert!(parse(b"").is_err());
    }

    #[test]
    fn nul_pairs_are_not_percent_decoded() {
        let p = parameters(b"a\0%FF+\0", Syntax::NulPairs).unwrap();
        assert_eq!(p.value("a"), "%FF+");
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
        assert_eq!(
            Pairs::received(&body).err().map(|e| e.fault),
            Some(Fault::TooManyPairs { limit: 256 })
        );
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
        assert_eq!(
            fault(parameters(&nul, Syntax::NulPairs)),
            Fault::Repeated { name: "n7".into() }
        );
    }
}
