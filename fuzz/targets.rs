//! The fuzz targets' bodies, shared by cargo-fuzz (`fuzz/fuzz_targets/*.rs`,
//! nightly) and the stable runner that CI runs (`tests/fuzz.rs`): both call
//! exactly these functions. Each takes arbitrary bytes, must never panic,
//! and checks what must hold whatever the input.
#![allow(dead_code)]

use cmpay::body;
use cmpay::fields::MessageKind;
use cmpay::sign::{Md5Key, signature_source};
use cmpay::*;
use cmpay::{readings, received};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The test vectors' made-up signKey.
pub const KEY: &str = "Qm7X2vT9pL4sK8dR1fG6hJ3wZ5cN0bV7yU2iO9aE4tS6mP1qW8xC3kD5lH7jF0gB";

fn verifier() -> Verifier {
    Verifier::Md5(Md5Key::new(KEY).expect("the test key loads"))
}

/// The form parser: a received body, and caller parameters as a form.
pub fn form(data: &[u8]) {
    if let Ok(p) = body::parse(data) {
        assert!(p.len() <= body::MAX_PAIRS);
        // Written out and read again, the same pairs (names encoded too).
        let again = body::parse(form::encode_utf8(&p).as_bytes());
        if !p.is_empty() {
            assert_eq!(again.expect("re-encoded form parses"), p);
        }
    }
    let _ = body::parse_utf8(data);
}

/// A notification as it arrives: parse and verify. Whatever verifies has
/// every field in its format and reports signed fields only.
pub fn notify(data: &[u8]) {
    if let Ok(n) = Notification::parse(&verifier(), data) {
        check_notification(&n);
    }
}

/// A notification whose signature holds: the fuzzer's bytes are the values
/// (split at NUL), signed with the test key, so the checks after the
/// signature are what gets exercised (a moved boundary is exactly this).
/// One that parses then goes through the re-split oracle (`resplits`).
pub fn notify_signed(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut p = Params::new();
    for (field, value) in MessageKind::Notify.fields().iter().zip(text.split('\0')) {
        p.set(field.name, value);
    }
    let hmac = Md5Key::new(KEY)
        .expect("the test key loads")
        .sign(&signature_source(MessageKind::Notify, &p));
    p.set("hmac", &hmac);
    let body = form::encode_utf8(&p);
    match Notification::parse(&verifier(), body.as_bytes()) {
        Ok(n) => {
            check_notification(&n);
            resplits(&n, &hmac);
        }
        Err(e) => assert_ne!(e.code(), ErrorCode::SignatureMismatch, "{e}: {body}"),
    }
}

/// The fields a re-split must not change (docs/resplit.md).
const KEYS: &[&str] = &[
    "merchantId",
    "payNo",
    "returnCode",
    "type",
    "amount",
    "orderId",
    "status",
];

/// How many adjacent fields `resplits` re-cuts at a time: enough for every
/// shape found so far (orderId's tail through payDate and accountDate into
/// reserved1; payNo's zeros through returnCode into message; bankAbbr and
/// mobile into orderId).
const WINDOW: usize = 4;
/// The most cuts of one window looked at, and the most one-field checks
/// spent finding them. With the two parses below, an input that parses
/// costs about four times the parse alone (cargo-fuzz with ASan: about
/// 1,200 inputs a second instead of 3,300 on the 2-core machine).
const WINDOW_CUTS: usize = 256;
const WINDOW_CHECKS: usize = 2048;
/// The most other meanings collected for one input (one re-split each: a
/// cut with the same key values has the same readings).
const MEANINGS: usize = 64;
/// A signed source this short (in bytes) is also re-cut whole (every field
/// at once, up to 16 times the window's budget).
const WHOLE: usize = 64;

/// The re-split oracle of tests/resplit.rs, on a budget: the signed values
/// of a verified notification `n` are cut again (the values of each
/// `WINDOW` adjacent fields re-cut every way whose values pass
/// `received::check_field`, the others kept; a short source re-cut whole),
/// merchantId kept (`parse_for` refuses another). Every re-split the
/// library accepts with the same hmac that changes a key field must be
/// reported ambiguous, and so must `n`, naming that reading among its other
/// readings unless its search gave up or kept only `readings::KEEP`.
fn resplits(n: &Notification, hmac: &str) {
    let fields = MessageKind::Notify.fields();
    let values: Vec<&str> = fields.iter().map(|f| n.field(f.name)).collect();
    let key_fields: Vec<usize> = (0..fields.len())
        .filter(|&i| KEYS.contains(&fields[i].name))
        .collect();
    // One re-split for each other meaning that passes `received::check`
    // (parsing runs the same check, so the others are refused anyway).
    let mut found: Vec<Vec<String>> = Vec::new();
    let mut visit = |split: &[&str]| {
        let means = |keys: &mut dyn Iterator<Item = &str>| {
            key_fields.iter().zip(keys).all(|(&i, v)| split[i] == v)
        };
        if found.len() == MEANINGS
            || means(&mut key_fields.iter().map(|&i| values[i]))
            || found
                .iter()
                .any(|s| means(&mut key_fields.iter().map(|&i| s[i].as_str())))
        {
            return;
        }
        let p: Params = fields
            .iter()
            .zip(split)
            .map(|(f, v)| (f.name, *v))
            .collect();
        if received::check(MessageKind::Notify, &p).is_ok() {
            found.push(split.iter().map(|v| v.to_string()).collect());
        }
    };
    let mut judged = Judged::default();
    if values.concat().len() <= WHOLE {
        recut(&values, 0, fields.len(), 16, &mut judged, &mut visit);
    }
    for start in 0..fields.len() - 1 {
        let to = (start + WINDOW).min(fields.len());
        recut(&values, start, to, 1, &mut judged, &mut visit);
    }
    if found.is_empty() {
        return;
    }
    // Each parse runs the library's search: the first re-split found and
    // one the input picks (FNV-1a of its source), so that inputs between
    // them reach every meaning.
    let pick = values
        .concat()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        }) as usize
        % found.len();
    let mut searched: Option<readings::Ambiguity> = None;
    for split in [&found[0], &found[pick]]
        .into_iter()
        .take(if pick == 0 { 1 } else { 2 })
    {
        let mut p: Params = fields.iter().zip(split).map(|(f, v)| (f.name, v)).collect();
        p.set("hmac", hmac);
        let body = form::encode_utf8(&p);
        let Ok(other) = Notification::parse(&verifier(), body.as_bytes()) else {
            continue;
        };
        assert!(
            other.is_ambiguous(),
            "an accepted re-split that changes the meaning is not ambiguous: {body}"
        );
        assert!(
            n.is_ambiguous(),
            "a notification that re-splits as [{}] is not ambiguous",
            other.reading()
        );
        if !n.other_readings().contains(&other.reading()) {
            // Fine only when the search kept `KEEP` readings or gave up.
            let searched =
                searched.get_or_insert_with(|| readings::of_received(MessageKind::Notify, &values));
            assert!(
                searched.more || searched.gave_up,
                "the other readings {:?} miss [{}]",
                n.other_readings(),
                other.reading()
            );
        }
    }
}

/// (field, start, end) in the signed source → whether `check_field`
/// passed: the windows overlap, and a value at one place is judged once.
type Judged = HashMap<(usize, usize, usize), bool, BuildHasherDefault<Mix>>;

/// A multiply-and-rotate hash of a few integers (the default SipHash costs
/// more than the look-ups it spares, under the fuzzer's instrumentation).
#[derive(Default)]
struct Mix(u64);

impl Hasher for Mix {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

/// Calls `visit` with `values` re-cut: fields `from..to` take their joined
/// text again in every way whose values pass `check_field` (merchantId
/// kept), the others as they are; up to `scale` times `WINDOW_CUTS` cuts
/// and `WINDOW_CHECKS` checks.
fn recut(
    values: &[&str],
    from: usize,
    to: usize,
    scale: usize,
    judged: &mut Judged,
    visit: &mut dyn FnMut(&[&str]),
) {
    let text: String = values[from..to].concat();
    let mut split: Vec<&str> = values.to_vec();
    let mut cut = Recut {
        fields: MessageKind::Notify.fields(),
        merchant_id: values[0],
        text: &text,
        base: values[..from].iter().map(|v| v.len()).sum(),
        to,
        cuts: WINDOW_CUTS * scale,
        checks: WINDOW_CHECKS * scale,
        judged,
    };
    cut.walk(from, 0, &mut split, visit);
}

/// `recut`'s walk over one window's text and what is left of its budget.
struct Recut<'t, 'j> {
    fields: &'static [cmpay::fields::Field],
    merchant_id: &'t str,
    text: &'t str,
    /// Where `text` starts in the signed source.
    base: usize,
    to: usize,
    cuts: usize,
    checks: usize,
    judged: &'j mut Judged,
}

impl<'t> Recut<'t, '_> {
    fn walk(
        &mut self,
        i: usize,
        at: usize,
        split: &mut Vec<&'t str>,
        visit: &mut dyn FnMut(&[&str]),
    ) {
        if i == self.to {
            if self.cuts > 0 {
                self.cuts -= 1;
                visit(split);
            }
            return;
        }
        let field = &self.fields[i];
        let rest = &self.text[at..];
        // The window's last field takes the rest; merchantId keeps its
        // value; a field with a list of values (signType, type, status) one
        // of them, or nothing; the others every length up to their maximum
        // in characters.
        let ends: Box<dyn Iterator<Item = usize> + 't> = if i + 1 == self.to {
            Box::new(std::iter::once(rest.len()))
        } else if i == 0 {
            Box::new(std::iter::once(self.merchant_id.len()))
        } else if !field.values.is_empty() {
            let listed = field.values.iter().filter(move |v| rest.starts_with(*v));
            Box::new(std::iter::once(0).chain(listed.map(|v| v.len())))
        } else {
            let max = if field.max == 0 {
                usize::MAX
            } else {
                field.max + 1
            };
            let chars = rest.char_indices().map(|(b, c)| b + c.len_utf8());
            let lengths = std::iter::once(0).chain(chars).take(max).enumerate();
            Box::new(
                lengths
                    .filter(|&(n, _)| n == 0 || fits(field.format, n))
                    .map(|(_, end)| end),
            )
        };
        for end in ends {
            if self.cuts == 0 || self.checks == 0 {
                return;
            }
            let Some(value) = rest.get(..end) else {
                continue;
            };
            if i == 0 && value != self.merchant_id {
                continue;
            }
            // A value at one place is judged once, however it was reached.
            let place = (i, self.base + at, self.base + at + end);
            let ok = *self.judged.entry(place).or_insert_with(|| {
                self.checks = self.checks.saturating_sub(1);
                received::check_field(field, value).is_ok()
            });
            if !ok {
                continue;
            }
            split[i] = value;
            self.walk(i + 1, at + end, split, visit);
        }
    }
}

/// Whether a value of `chars` characters may have `format`: the fixed
/// lengths `fields::Format` documents (a quick bound on the walk that
/// spares `check_field` building an error for most candidates; it decides).
fn fits(format: cmpay::fields::Format, chars: usize) -> bool {
    use cmpay::fields::Format;
    match format {
        Format::Version => chars == 5,
        Format::Date => chars == 8,
        Format::DateTime => chars == 14,
        Format::Mobile => chars == 11,
        Format::Code => (6..=10).contains(&chars),
        _ => true,
    }
}

fn check_notification(n: &Notification) {
    received::check(MessageKind::Notify, n.params())
        .expect("a parsed notification has its formats");
    for (name, _) in n.params().iter() {
        assert!(
            MessageKind::Notify.field(name).is_some() || name == "hmac" || name == "serverCert",
            "unsigned {name} reported as a field"
        );
    }
    let amount = n.amount().expect("a checked amount parses");
    if let Ok(item) = n.amt_item()
        && !n.field("amtItem").is_empty()
    {
        assert_eq!(item.total(), amount);
    }
    let _ = n.fee_fen().expect("a checked fee parses");
    if n.is_paid() {
        assert_eq!(n.field("status"), "SUCCESS");
    }
    let _ = n.check_order(n.merchant_id(), n.order_id(), amount);
}

/// Each answer parser.
pub fn answers(data: &[u8]) {
    let v = verifier();
    let _ = OrderResponse::parse(&v, data);
    if let Ok(q) = QueryResponse::parse(&v, data) {
        received::check(MessageKind::QueryResponse, &q.params).expect("formats");
        let _ = q.amount().expect("a checked amount parses");
    }
    if let Ok(r) = RefundResponse::parse(&v, data) {
        received::check(MessageKind::RefundResponse, &r.params).expect("formats");
    }
}

/// The payUrl token, and the two ways of sending the browser on with it.
pub fn payurl(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(p) = PayUrl::parse(text)
    {
        let _ = p.redirect_url();
        let form = p.html_form();
        assert!(!form.contains("<script"), "{form}");
    }
}

/// RSA key loading in every accepted form.
pub fn keys(data: &[u8]) {
    let _ = keys::load_private_key(data);
    let _ = keys::load_public_key(data, false);
    let _ = keys::load_public_key(data, true);
}

/// Bulk parameters as every binding sends them through the C ABI (NUL
/// pairs, the only carrier it takes), read by the core's splitter as the C
/// ABI reads them. What it accepts is within the pair cap and, written out
/// as a form, reads back the same.
pub fn bulk(data: &[u8]) {
    if let Ok(p) = body::parameters(data, body::Syntax::NulPairs) {
        assert!(p.len() <= body::MAX_PAIRS);
        let form = form::encode_utf8(&p);
        if form.len() <= body::MAX_BODY {
            assert_eq!(
                body::parse_utf8(form.as_bytes()).expect("re-encoded form parses"),
                p
            );
        }
    }
    let _ = body::parse_nul_pairs(data);
}

/// A fuzz target: its name and the function that takes one input.
pub type Target = (&'static str, fn(&[u8]));

/// Every target, by the name of its fuzz/fuzz_targets file and corpus folder.
pub const ALL: &[Target] = &[
    ("form", form),
    ("notify", notify),
    ("notify_signed", notify_signed),
    ("answers", answers),
    ("payurl", payurl),
    ("keys", keys),
    ("bulk", bulk),
];
