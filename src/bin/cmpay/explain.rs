//! `cmpay explain`: why a body's hmac does (not) match. Shows the signature
//! source field by field, then tries the usual causes of IPS0008 one by one
//! (a field decoded twice or not at all, GBK read as UTF-8 or the reverse, a
//! field left out or added, another order, upper-case inner hex, ...) and
//! names the ones under which the hmac matches.

use crate::args::{self, Side};
use crate::keyopt::{self, VerifyKey};
use crate::{CmdResult, Failure};
use cmpay::fields::UNSIGNED;
use cmpay::sign::Md5Variant;
use cmpay::{Charset, MessageKind, Params, charset, form, sign};
use std::fmt::Write as _;

const HELP: &str = "\
usage: cmpay explain (--key KEY | --key-file FILE | --rsa-public PEM) --kind KIND < body

Takes a received body on standard input, as it arrived on the wire, and
shows why its hmac does or does not match — the tool for a gateway answer
IPS0008 (签名不符) or a notification that will not verify:

  - the signature source field by field, in the table's order: name, value
    (percent-decoded once, read as UTF-8, or GB18030 when not UTF-8) and the
    value's UTF-8 bytes in hex; the fields that are not signed;
  - the expected hmac (MD5: computed from the source; RSA: checked with the
    public key) and the received one;
  - when they differ, each common cause tried in turn, and the ones under
    which the hmac matches: a field decoded twice, or not percent-decoded at
    all; a literal '+'; UTF-8 bytes read as GBK or GBK bytes read as UTF-8;
    the source hashed as GBK bytes; a field left out by the signer, or an
    unsigned or unknown field included at some position; the values joined
    in the body's order; another KIND; upper-case inner hex or a single
    HMAC-MD5. When none matches: the key is wrong or the content was altered.
  - for order-request, the body as the gateway reads it: values decoded in
    the charset that characterSet declares (a UTF-8 body labelled 00/GBK is
    the classic IPS0008).

Options as for `cmpay verify` (--kind, --key, --key-file, --rsa-public,
--allow-1024).

Exit status: 0 the hmac matches (for a notification or answer: also under
the other decodings of protocol.md §8 that verify applies); 1 it does not; 2 usage error, unreadable key or
input (e.g. a body that cannot be split into name=value pairs).
";

pub fn run(parser: &mut lexopt::Parser) -> CmdResult {
    let Some(a) = args::parse(parser, Side::Verify, HELP)? else {
        return Ok(());
    };
    let key = keyopt::verify_key(&a.key, a.allow_legacy_1024)?;
    let body = args::read_stdin()?;
    let message =
        RawMessage::split(&body).map_err(|e| Failure::Usage(format!("standard input: {e}")))?;
    let (report, ok) = explain(&key, a.kind, &message);
    say_raw!("{report}");
    if ok {
        Ok(())
    } else {
        Err(Failure::Negative(None))
    }
}

/// How a value's bytes (after percent-decoding) became text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Read {
    Utf8,
    Gb18030,
    /// Neither UTF-8 nor GB18030: shown with replacement characters.
    Broken,
}

struct RawField {
    name: String,
    /// As on the wire.
    raw: Vec<u8>,
    /// Percent-decoded once.
    bytes: Vec<u8>,
    /// `bytes` as text (UTF-8, else GB18030), as verify reads it.
    text: String,
    read: Read,
}

struct RawMessage {
    fields: Vec<RawField>,
}

impl RawMessage {
    /// Splits a body as `form::parse` does (first '=' only, repeated names
    /// refused) but keeps each value's raw bytes.
    fn split(body: &[u8]) -> Result<RawMessage, String> {
        if body.len() > form::MAX_BODY {
            return Err(format!(
                "body of {} bytes exceeds the {}-byte limit",
                body.len(),
                form::MAX_BODY
            ));
        }
        let body = form::trim_line_end(body);
        if body.is_empty() {
            return Err("empty body".into());
        }
        let mut fields: Vec<RawField> = Vec::new();
        for pair in body.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
            let eq = pair.iter().position(|&b| b == b'=').ok_or_else(|| {
                format!(
                    "pair without '=': {:?}",
                    String::from_utf8_lossy(&pair[..pair.len().min(40)])
                )
            })?;
            let name = charset::decode("(name)", &form::unescape(&pair[..eq]))
                .map_err(|e| e.to_string())?;
            if name.is_empty() {
                return Err("pair with an empty name".into());
            }
            if fields.iter().any(|f| f.name == name) {
                return Err(format!("field {name} appears twice"));
            }
            let raw = pair[eq + 1..].to_vec();
            let bytes = form::unescape(&raw).to_vec();
            let (text, read) = read_bytes(&bytes);
            fields.push(RawField {
                name,
                raw,
                bytes,
                text,
                read,
            });
        }
        Ok(RawMessage { fields })
    }

    fn get(&self, name: &str) -> Option<&RawField> {
        self.fields.iter().find(|f| f.name == name)
    }

    fn params(&self) -> Params {
        self.fields
            .iter()
            .map(|f| (f.name.clone(), f.text.clone()))
            .collect()
    }
}

fn read_bytes(bytes: &[u8]) -> (String, Read) {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_string(), Read::Utf8);
    }
    let (text, malformed) = charset::gb18030_lossy(bytes);
    (
        text,
        if malformed {
            Read::Broken
        } else {
            Read::Gb18030
        },
    )
}

fn hex_spaced(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            out.push(if i % 32 == 0 { '\n' } else { ' ' });
            if i % 32 == 0 {
                out.push_str(&" ".repeat(20));
            }
        }
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// How the hmac is computed from a candidate source.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Normal,
    UpperInner,
    SingleHmac,
}

struct Candidate {
    cause: String,
    /// Other causes that give the very same source.
    also: Vec<String>,
    source: Vec<u8>,
    mode: Mode,
    /// Under this cause the message is accepted anyway (notify's retry).
    accepted_by_verify: bool,
}

fn candidate_matches(key: &VerifyKey, c: &Candidate, hmac: &str) -> bool {
    match c.mode {
        Mode::Normal => key.matches(&c.source, hmac),
        Mode::UpperInner => key
            .md5_of(&c.source, Md5Variant::UpperInnerHex)
            .is_some_and(|h| h.eq_ignore_ascii_case(hmac)),
        Mode::SingleHmac => key
            .md5_of(&c.source, Md5Variant::SingleHmac)
            .is_some_and(|h| h.eq_ignore_ascii_case(hmac)),
    }
}

/// The source from a value per signed field (None: the field is left out).
fn source_of(kind: MessageKind, value: impl Fn(&str) -> Option<String>) -> String {
    kind.fields().iter().filter_map(|f| value(f.name)).collect()
}

fn names(list: &[&RawField]) -> String {
    list.iter()
        .map(|f| f.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// One way a field's value may have been taken differently by the signer.
struct Alternative {
    /// `{fields}` is replaced by the field names.
    cause: &'static str,
    value: fn(&RawField) -> Option<String>,
}

const ALTERNATIVES: &[Alternative] = &[
    Alternative {
        cause: "{fields} decoded twice: the value was percent-encoded twice on the wire, and signed as the text decoded twice",
        value: |f| {
            if !form::has_percent_escape(&f.text) {
                return None;
            }
            let again = form::unescape(f.text.as_bytes());
            Some(read_bytes(&again).0)
        },
    },
    Alternative {
        cause: "{fields} not percent-decoded by the signer: it hashed the percent-encoded text as it stands in the body",
        value: |f| (f.raw != f.bytes).then(|| String::from_utf8_lossy(&f.raw).into_owned()),
    },
    Alternative {
        cause: "{fields}: '+' is a literal plus sign, not a space: the sender did not encode it as %2B",
        value: |f| {
            if !f.raw.contains(&b'+') {
                return None;
            }
            // '+' kept literal: escape it before the form decoder sees it.
            let raw: Vec<u8> = f
                .raw
                .iter()
                .flat_map(|&b| if b == b'+' { b"%2B".to_vec() } else { vec![b] })
                .collect();
            Some(read_bytes(&cmpay::form::unescape(&raw)).0)
        },
    },
    Alternative {
        cause: "{fields}: the signer read UTF-8 bytes as GBK (its source held mojibake); one side encodes or decodes with the wrong charset",
        value: |f| {
            if f.read != Read::Utf8 || f.bytes.is_ascii() {
                return None;
            }
            Some(charset::gb18030_lossy(&f.bytes).0)
        },
    },
    Alternative {
        cause: "{fields}: the signer read GBK bytes as UTF-8 (its source held replacement characters); one side encodes or decodes with the wrong charset",
        value: |f| (f.read != Read::Utf8).then(|| String::from_utf8_lossy(&f.bytes).into_owned()),
    },
];

/// Explains `message`; returns the report and whether the hmac matches.
fn explain(key: &VerifyKey, kind: MessageKind, message: &RawMessage) -> (String, bool) {
    let mut out = String::new();
    let params = message.params();
    let hmac = params.value("hmac").trim().to_string();
    let sign_type = if key.is_md5() { "MD5" } else { "RSA" };
    let _ = writeln!(
        out,
        "message: {}, {} key, {} fields in the body",
        kind.name(),
        sign_type,
        message.fields.len()
    );

    // The source, field by field.
    let _ = writeln!(
        out,
        "\nsignature source, field by field (table order; values percent-decoded once, read as UTF-8, or GB18030 when not UTF-8):"
    );
    for (i, field) in kind.fields().iter().enumerate() {
        let _ = write!(out, "{:>3} {:<15} ", i + 1, field.name);
        match message.get(field.name) {
            None => {
                let _ = writeln!(out, "(absent: adds nothing)");
            }
            Some(f) if f.text.is_empty() => {
                let _ = writeln!(out, "(empty: adds nothing)");
            }
            Some(f) => {
                let _ = writeln!(out, "{:?}", f.text);
                let _ = writeln!(out, "{:20}{}", "", hex_spaced(f.text.as_bytes()));
                for note in field_notes(f) {
                    let _ = writeln!(out, "{:20}note: {note}", "");
                }
            }
        }
    }
    let others: Vec<&RawField> = message
        .fields
        .iter()
        .filter(|f| kind.field(&f.name).is_none())
        .collect();
    if !others.is_empty() {
        let list: Vec<String> = others
            .iter()
            .map(|f| {
                let what = if UNSIGNED.contains(&f.name.as_str()) {
                    "never signed"
                } else {
                    "not a field of this message"
                };
                let len = if f.text.is_empty() {
                    "empty".to_string()
                } else {
                    format!("{} chars", f.text.chars().count())
                };
                format!("{} ({what}, {len})", f.name)
            })
            .collect();
        let _ = writeln!(out, "not in the source: {}", list.join("; "));
    }
    let source = sign::signature_source(kind, &params);
    let _ = writeln!(
        out,
        "\nsource ({} bytes as UTF-8): {:?}",
        source.len(),
        source
    );

    // Expected and received.
    match key.md5_of(source.as_bytes(), Md5Variant::Standard) {
        Some(expected) => {
            let _ = writeln!(out, "expected hmac: {expected}");
        }
        None => {
            let _ = writeln!(
                out,
                "expected hmac: (RSA: the received signature is checked with the public key; there is no single expected value)"
            );
        }
    }
    if hmac.is_empty() {
        let _ = writeln!(out, "received hmac: (none: the body has no hmac)");
        let _ = writeln!(out, "\nresult: MISMATCH — there is no hmac to check");
        return (out, false);
    }
    let _ = writeln!(out, "received hmac: {hmac}");
    if hmac.bytes().any(|b| b.is_ascii_uppercase()) {
        let _ = writeln!(
            out,
            "note: the received hmac is upper-case hex: accepted here (protocol 4.2), but always send lower case"
        );
    }

    let baseline = key.matches(source.as_bytes(), &hmac);
    let gateway_view = if kind == MessageKind::OrderRequest {
        gateway_reading(key, kind, message, &hmac, &mut out)
    } else {
        None
    };
    if baseline {
        match gateway_view {
            Some(false) => {
                let _ = writeln!(
                    out,
                    "\nresult: MATCH as read here, but NOT as the gateway reads the body (see above): it would answer IPS0008"
                );
                return (out, false);
            }
            _ => {
                let _ = writeln!(
                    out,
                    "\nresult: MATCH — the hmac is right; the message is valid"
                );
                return (out, true);
            }
        }
    }
    let _ = writeln!(
        out,
        "\nresult: MISMATCH (values decoded once, as the protocol says)"
    );

    // The usual causes, one by one.
    let candidates = candidates(key, kind, message, &params, &source);
    let matched: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| candidate_matches(key, c, &hmac))
        .collect();
    let _ = writeln!(
        out,
        "tried {} variants of the common causes",
        candidates.len()
    );
    if matched.is_empty() {
        let _ = writeln!(out, "no variant matches: key wrong or content altered");
        let hint = if key.is_md5() {
            "check that --key is this merchant's 64-character signKey, and that nothing changed the body on its way"
        } else {
            "check that --rsa-public is the signer's public key, and that nothing changed the body on its way"
        };
        let _ = writeln!(out, "  ({hint})");
        return (out, false);
    }
    let accepted = matched.iter().any(|c| c.accepted_by_verify);
    for c in &matched {
        let _ = writeln!(out, "cause: {}", c.cause);
        for other in &c.also {
            let _ = writeln!(out, "   or: {other}");
        }
        if c.accepted_by_verify {
            let _ = writeln!(
                out,
                "       (verify and the library accept this: it is one of the decodings of protocol.md §8)"
            );
        }
    }
    (out, accepted)
}

fn field_notes(f: &RawField) -> Vec<String> {
    let mut notes = Vec::new();
    match f.read {
        Read::Utf8 => {}
        Read::Gb18030 => notes.push("bytes on the wire are not UTF-8: read as GB18030 (GBK)".to_string()),
        Read::Broken => notes.push("bytes are neither UTF-8 nor GB18030: shown with replacement characters (verify refuses the body)".to_string()),
    }
    if form::has_percent_escape(&f.text) {
        notes.push("still holds %XX after one decoding (percent-encoded twice?)".into());
    }
    if f.raw.contains(&b'+') {
        notes.push("'+' on the wire was read as a space".into());
    }
    notes
}

/// For order-request: the values as the gateway decodes them, in the charset
/// characterSet declares. Prints what differs; Some(matches) when anything does.
fn gateway_reading(
    key: &VerifyKey,
    kind: MessageKind,
    message: &RawMessage,
    hmac: &str,
    out: &mut String,
) -> Option<bool> {
    let code = message
        .get("characterSet")
        .map(|f| f.text.as_str())
        .unwrap_or("");
    let charset = match Charset::from_code(code) {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(out, "\nas the gateway reads it: {e}");
            return Some(false);
        }
    };
    let decode = |bytes: &[u8]| -> String {
        match charset {
            Charset::Utf8 => String::from_utf8_lossy(bytes).into_owned(),
            Charset::Gbk | Charset::Gb2312 => charset::gb18030_lossy(bytes).0,
        }
    };
    let differing: Vec<&RawField> = message
        .fields
        .iter()
        .filter(|f| kind.field(&f.name).is_some() && decode(&f.bytes) != f.text)
        .collect();
    if differing.is_empty() {
        return None;
    }
    let _ = writeln!(
        out,
        "\nas the gateway reads it (characterSet={} says {}), these values differ:",
        charset.code(),
        charset.http_name()
    );
    for f in &differing {
        let _ = writeln!(
            out,
            "    {:<15} {:?} (here: {:?})",
            f.name,
            decode(&f.bytes),
            f.text
        );
    }
    let source = source_of(kind, |name| message.get(name).map(|f| decode(&f.bytes)));
    let ok = key.matches(source.as_bytes(), hmac);
    let _ = writeln!(
        out,
        "    {}: encode every value in {} (or declare the charset the body is really in)",
        if ok {
            "the hmac still matches that reading"
        } else {
            "the hmac does not match that reading"
        },
        charset.http_name()
    );
    Some(ok)
}

fn candidates(
    key: &VerifyKey,
    kind: MessageKind,
    message: &RawMessage,
    params: &Params,
    source: &str,
) -> Vec<Candidate> {
    let mut list: Vec<Candidate> = Vec::new();
    let push =
        |list: &mut Vec<Candidate>, cause: String, bytes: Vec<u8>, mode: Mode, accepted: bool| {
            if mode == Mode::Normal && bytes == source.as_bytes() {
                return;
            }
            // Two causes that give the same source are both named.
            if let Some(same) = list
                .iter_mut()
                .find(|c| c.mode == mode && c.source == bytes)
            {
                same.also.push(cause);
                same.accepted_by_verify |= accepted;
                return;
            }
            list.push(Candidate {
                cause,
                also: Vec::new(),
                source: bytes,
                mode,
                accepted_by_verify: accepted,
            });
        };
    let signed: Vec<&RawField> = message
        .fields
        .iter()
        .filter(|f| kind.field(&f.name).is_some())
        .collect();
    let text_of = |name: &str| message.get(name).map(|f| f.text.clone());

    // Per-field alternatives: all the fields they apply to at once, then each alone.
    for (i, alt) in ALTERNATIVES.iter().enumerate() {
        let applies: Vec<(&RawField, String)> = signed
            .iter()
            .filter_map(|f| (alt.value)(f).filter(|v| *v != f.text).map(|v| (*f, v)))
            .collect();
        if applies.is_empty() {
            continue;
        }
        let all: Vec<&RawField> = applies.iter().map(|(f, _)| *f).collect();
        let with = |chosen: &[&str]| {
            source_of(kind, |name| {
                match applies
                    .iter()
                    .find(|(f, _)| f.name == name && chosen.contains(&name))
                {
                    Some((_, v)) => Some(v.clone()),
                    None => text_of(name),
                }
            })
        };
        let chosen: Vec<&str> = all.iter().map(|f| f.name.as_str()).collect();
        // A notification or answer is verified under the decodings of
        // protocol.md §8: every value decoded twice, or read as GB18030.
        let retry = !kind.is_request() && (i == 0 || i == 3);
        push(
            &mut list,
            alt.cause.replace("{fields}", &names(&all)),
            with(&chosen).into_bytes(),
            Mode::Normal,
            retry,
        );
        if all.len() > 1 {
            for f in &all {
                push(
                    &mut list,
                    alt.cause.replace("{fields}", &f.name),
                    with(&[f.name.as_str()]).into_bytes(),
                    Mode::Normal,
                    false,
                );
            }
        }
    }

    // The source hashed as GBK bytes.
    if let Ok(gbk) = Charset::Gbk.encode("source", source)
        && *gbk != *source.as_bytes()
    {
        push(&mut list, "the signer hashed the source as GBK bytes: the protocol hashes UTF-8 whatever characterSet says".into(), gbk.into_owned(), Mode::Normal, false);
    }

    // A field left out by the signer.
    for f in &signed {
        if f.text.is_empty() {
            continue;
        }
        let without = source_of(
            kind,
            |name| if name == f.name { None } else { text_of(name) },
        );
        push(
            &mut list,
            format!(
                "the signer left out {} (a signed field of {})",
                f.name,
                kind.name()
            ),
            without.into_bytes(),
            Mode::Normal,
            false,
        );
    }

    // A field included by the signer that is not part of the source.
    let table = kind.fields();
    for extra in message
        .fields
        .iter()
        .filter(|f| kind.field(&f.name).is_none() && f.name != "hmac" && !f.text.is_empty())
    {
        for at in 0..=table.len() {
            let mut s = String::new();
            for (j, field) in table.iter().enumerate() {
                if j == at {
                    s.push_str(&extra.text);
                }
                s.push_str(params.value(field.name));
            }
            if at == table.len() {
                s.push_str(&extra.text);
            }
            let place = match table.get(at) {
                Some(next) => format!("before {}", next.name),
                None => "at the end".to_string(),
            };
            push(
                &mut list,
                format!(
                    "the signer included {} (not signed in {}) {place}",
                    extra.name,
                    kind.name()
                ),
                s.into_bytes(),
                Mode::Normal,
                false,
            );
        }
    }

    // Another message kind.
    for other in MessageKind::ALL.into_iter().filter(|k| *k != kind) {
        let s = sign::signature_source(other, params);
        push(
            &mut list,
            format!(
                "the message signs as {}: wrong --kind (or the signer used that table)?",
                other.name()
            ),
            s.into_bytes(),
            Mode::Normal,
            false,
        );
    }

    // The values in the body's order instead of the table's.
    let body_order: String = signed.iter().map(|f| f.text.as_str()).collect();
    push(
        &mut list,
        "the signer joined the values in the body's order, not the table's".into(),
        body_order.into_bytes(),
        Mode::Normal,
        false,
    );
    let everything: String = message
        .fields
        .iter()
        .filter(|f| f.name != "hmac")
        .map(|f| f.text.as_str())
        .collect();
    push(
        &mut list,
        "the signer joined every value of the body (unsigned ones too) in the body's order".into(),
        everything.into_bytes(),
        Mode::Normal,
        false,
    );

    // MD5 variants of the algorithm.
    if key.is_md5() {
        push(
            &mut list,
            "the signer wrote the inner HMAC-MD5 in upper-case hex (it must be lower case)".into(),
            source.as_bytes().to_vec(),
            Mode::UpperInner,
            false,
        );
        push(
            &mut list,
            "the signer used a single HMAC-MD5(signKey, source) instead of the double one".into(),
            source.as_bytes().to_vec(),
            Mode::SingleHmac,
            false,
        );
    }
    list
}
