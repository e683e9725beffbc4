//! The causes `cmpay explain` tries: each one rebuilds the signature source
//! (or the hmac) as a signer making that mistake would have, so that the
//! report can name the ones under which the received hmac matches.

use crate::inspect::{RawField, RawMessage, Reading, read_text};
use crate::keyopt::Md5Variant;
use crate::keyopt::VerifyKey;
use cmpay::body;
use cmpay::{Charset, MessageKind, Params, charset, sign};

/// How the hmac is computed from a candidate source.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Normal,
    UpperInner,
    SingleHmac,
}

pub(super) struct Candidate {
    pub(super) cause: String,
    /// Other causes that give the very same source.
    pub(super) also: Vec<String>,
    pub(super) source: Vec<u8>,
    pub(super) mode: Mode,
    /// Under this cause the message is accepted anyway (notify's retry).
    pub(super) accepted_by_verify: bool,
}

pub(super) fn candidate_matches(key: &VerifyKey, c: &Candidate, hmac: &str) -> bool {
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
pub(super) fn source_of(kind: MessageKind, value: impl Fn(&str) -> Option<String>) -> String {
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
            if !body::has_percent_escape(&f.text) {
                return None;
            }
            let again = body::unescape(f.text.as_bytes());
            Some(read_text(&again).0)
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
            Some(read_text(&cmpay::body::unescape(&raw)).0)
        },
    },
    Alternative {
        cause: "{fields}: the signer read UTF-8 bytes as GBK (its source held mojibake); one side encodes or decodes with the wrong charset",
        value: |f| {
            if f.read != Reading::Utf8 || f.bytes.is_ascii() {
                return None;
            }
            Some(charset::gb18030_lossy(&f.bytes).0)
        },
    },
    Alternative {
        cause: "{fields}: the signer read GBK bytes as UTF-8 (its source held replacement characters); one side encodes or decodes with the wrong charset",
        value: |f| {
            (f.read != Reading::Utf8).then(|| String::from_utf8_lossy(&f.bytes).into_owned())
        },
    },
];

/// Explains `message`; returns the report and whether the hmac matches.
pub(super) fn candidates(
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
