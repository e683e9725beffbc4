//! `cmpay explain`: why a body's hmac does (not) match. Shows the signature
//! source field by field, then tries the usual causes of IPS0008 one by one
//! (a field decoded twice or not at all, GBK read as UTF-8 or the reverse, a
//! field left out or added, another order, upper-case inner hex, ...) and
//! names the ones under which the hmac matches.

use crate::args::{self, Side};
use crate::inspect::{RawField, RawMessage, Reading};
use crate::keyopt::Md5Variant;
use crate::keyopt::{self, VerifyKey};
use crate::{CmdResult, Failure};
use cmpay::body;
use cmpay::fields::UNSIGNED;
use cmpay::{Charset, MessageKind, charset, sign};
use std::fmt::Write as _;

mod causes;

use causes::{Candidate, candidate_matches, candidates, source_of};

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

Last, what the gateway refuses whatever the hmac says, with the code it
answers (protocol.md §8.9): a body that starts with a UTF-8 byte-order mark
(the rest is explained as if without it); for a request, bytes that are not
in the declared characterSet (GBK under 02: declare 00, or encode UTF-8),
both IPS0008; then a field its rules refuse, with its code (or the
simulator's MCG99999) and what to send instead. Parameters sent in a URL's
query string are given as the body (the part after '?').

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
    // What the gateway cannot read at all is said last, whatever the hmac
    // (protocol.md §8.9): a byte-order mark, or bytes outside the declared
    // characterSet. The rest of the report is about the body without the mark.
    let refusal = gateway_refusal(a.kind, &body);
    let unmarked = body.strip_prefix(cmpay::decode::BOM).unwrap_or(&body);
    let message =
        RawMessage::split(unmarked).map_err(|e| Failure::Usage(format!("standard input: {e}")))?;
    let (mut report, mut ok) = explain(&key, a.kind, &message);
    if let Some((code, reason)) = refusal {
        let when = if code == "IPS0008" {
            " whatever the hmac"
        } else {
            " once the hmac holds"
        };
        let _ = writeln!(
            report,
            "\ngateway: REFUSED, it answers {code}{when} — {reason}"
        );
        ok = false;
    }
    say_raw!("{report}");
    if ok {
        Ok(())
    } else {
        Err(Failure::Negative(None))
    }
}

/// Why the gateway refuses this body whatever its hmac, if it does, with
/// the code it answers: a leading byte-order mark (any kind); for a request,
/// bytes that are not in the characterSet it declares (IPS0008), or a field
/// the gateway's rules refuse (its code, or the simulator's MCG99999). The
/// rules are the core's, which `cmpay verify` and the simulator apply.
fn gateway_refusal(kind: MessageKind, body: &[u8]) -> Option<(String, String)> {
    if body.starts_with(cmpay::decode::BOM) {
        return Some(("IPS0008".into(), cmpay::decode::BOM_REFUSED.to_string()));
    }
    if !kind.is_request() {
        return None;
    }
    let params = match cmpay::decode::request(body) {
        Err(cmpay::Error::Parse(m)) => return Some(("IPS0008".into(), m)),
        Err(_) => return None,
        Ok(p) => p,
    };
    let refused = kind
        .fields()
        .iter()
        .find_map(|f| cmpay::validate::check(f, params.value(f.name)).err())
        .or_else(|| cmpay::validate::order_rules(kind, &params).err())?;
    let code = refused
        .return_code()
        .unwrap_or(cmpay::codes::FIELD_INVALID_CODE);
    Some((code.to_string(), refused.to_string()))
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
                // What verify judges after the hmac, for a received message:
                // the fields' formats, then the other readings (docs/resplit.md).
                if !kind.is_request() {
                    if let Err(e) = cmpay::received::check(kind, &params) {
                        let _ = writeln!(
                            out,
                            "\nresult: MATCH, but the message is refused: {e}\n(the signature covers values joined with no separator: a field that breaks its format may have been moved across a boundary)"
                        );
                        return (out, false);
                    }
                    let values: Vec<&str> =
                        kind.fields().iter().map(|f| params.value(f.name)).collect();
                    let others = cmpay::readings::of_received(kind, &values);
                    if others.is_ambiguous() {
                        let _ = writeln!(
                            out,
                            "\nresult: MATCH — the hmac is right, but the message is AMBIGUOUS: the same signed source also reads, under every rule, as"
                        );
                        for r in &others.others {
                            let _ = writeln!(out, "  {r}");
                        }
                        let _ = writeln!(
                            out,
                            "a shop rules out each other orderId that is none of its orders, or confirms the notification with the gateway (an OrderQuery) before recording it"
                        );
                        return (out, true);
                    }
                }
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
        Reading::Utf8 => {}
        Reading::Gb18030 => notes.push("bytes on the wire are not UTF-8: read as GB18030 (GBK)".to_string()),
        Reading::Broken => notes.push("bytes are neither UTF-8 nor GB18030: shown with replacement characters (verify refuses the body)".to_string()),
    }
    if body::has_percent_escape(&f.text) {
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
