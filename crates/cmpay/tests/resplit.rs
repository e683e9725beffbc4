//! The re-split oracle (docs/resplit.md), written without src/readings.rs.
//!
//! The gateway signs a message's values joined with no separator, so every
//! way of cutting that signed source back into the kind's fields, in table
//! order, carries the genuine hmac. This test takes realistic genuine
//! messages of every received kind, enumerates every such cut, hands each
//! to the library as a merchant receives it (the moved values and the
//! original hmac, `form::encode_utf8`) and counts, per message:
//!
//! - `splits`: every cut with each value within its field's maximum length
//!   (counted, not listed: about 10^22 for a notification);
//! - `pinned`: those naming the merchant, and for an answer the order, that
//!   the merchant acts on (`Notification::parse_for` refuses another
//!   merchantId; the client compares an answer's merchantId and orderId
//!   with its request's). Only these are enumerated;
//! - `fieldok`: of those, the cuts whose every value passes the library's
//!   one-field check (`received::check_field`), listed one by one;
//! - `check`: of those, the cuts `received::check` passes (the formats and
//!   the rules between fields that parsing applies once the signature held);
//! - `parsed`: how many of those were parsed one by one (see below);
//! - `accept`: the cuts the library accepts: `Notification::parse_for` with
//!   the test merchant, `QueryResponse::parse`, `RefundResponse::parse`;
//! - `chang`: accepted cuts that change the meaning. For a notification or
//!   a refund answer, any of merchantId, payNo, returnCode, type, amount,
//!   orderId, status; for a query answer, saying SUCCESS where the genuine
//!   answer does not, or SUCCESS with another amount or payNo;
//! - `ambig`: of those, the ones the library reports as ambiguous; `mean`,
//!   the distinct meanings among them; `genuine`, what the library says of
//!   the genuine message (`amb/N`: ambiguous, naming N other readings).
//!
//! The oracle: every changed notification and query answer is reported
//! ambiguous, and so is the genuine message, naming that reading among its
//! other readings unless its list is capped (`readings::KEEP`). Every
//! reading the library names is the meaning of an accepted cut, and for a
//! notification whose list is not capped they are exactly the meanings
//! found here.
//!
//! Work saved, each step shown on the library rather than assumed:
//! - A cut with a value failing `check_field` is refused: parsing judges
//!   every signed field. Every cut moving one boundary of the genuine
//!   message anywhere, and 64 near misses (a `fieldok` cut drawn at random
//!   with one boundary moved at random) are parsed: an accepted one has
//!   every field ok (and a notification the merchant's merchantId).
//! - A cut `received::check` refuses is refused: parsing runs that check.
//!   Every 61st of them is parsed to show it.
//! - Cuts that pass the check and put every key field at the same place
//!   (a class) differ only in fields that are no key: the same source and
//!   hmac, each with its formats (checked above), and the same key values,
//!   from which the library's readings follow. The first member of each
//!   class is parsed and the others count as it does; the second member and
//!   every 97th are parsed too, and must agree (verdict, ambiguity, other
//!   readings, key fields).
//!
//! Each message runs on one thread; `cargo test -p cmpay --test
//! resplit -- --nocapture` prints the table.

use cmpay::fields::{Field, MessageKind};
use cmpay::sign::{Md5Key, signature_source};
use cmpay::{Params, form};
use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap};
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// The test vectors' made-up signKey and merchant.
const KEY: &str = "Qm7X2vT9pL4sK8dR1fG6hJ3wZ5cN0bV7yU2iO9aE4tS6mP1qW8xC3kD5lH7jF0gB";
const MERCHANT: &str = "888009941120001";

/// The fields a re-split must not change (docs/resplit.md lists them).
const KEYS: &[&str] = &[
    "merchantId",
    "payNo",
    "returnCode",
    "type",
    "amount",
    "orderId",
    "status",
];

/// Most `fieldok` cuts one message may have (one added here that explodes
/// fails loudly instead of running for hours).
const MAX_CUTS: u64 = 400_000;

/// The library as a merchant calls it: the one part of this file that
/// knows its API beyond `form`, `sign`, `fields` and `received`.
mod lib {
    use super::{KEY, MERCHANT};
    use cmpay::fields::MessageKind;
    use cmpay::sign::Md5Key;
    use cmpay::*;

    /// A reading: its key fields, in table order.
    pub type Keys = Vec<(String, String)>;

    /// What the library made of an accepted body.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Accepted {
        /// The signed fields as the library reports them.
        pub params: Params,
        /// Whether it calls the message ambiguous (None: no such notion).
        pub ambiguous: Option<bool>,
        /// The other readings it names.
        pub others: Vec<Keys>,
    }

    /// The most readings the library keeps for one message (its own included).
    pub const KEEP: usize = cmpay::readings::KEEP;

    pub struct Library {
        merchant: Merchant,
        verifier: Verifier,
    }

    impl Library {
        pub fn new() -> Library {
            Library {
                merchant: Merchant::md5(MERCHANT, KEY).unwrap(),
                verifier: Verifier::Md5(Md5Key::new(KEY).unwrap()),
            }
        }

        /// Parses a body as the merchant would; None when refused.
        pub fn parse(&self, kind: MessageKind, body: &[u8]) -> Option<Accepted> {
            let readings = |r: &[Reading]| -> Vec<Keys> {
                r.iter()
                    .map(|r| {
                        r.iter()
                            .map(|(n, v)| (n.to_string(), v.to_string()))
                            .collect()
                    })
                    .collect()
            };
            match kind {
                MessageKind::Notify => {
                    let n = Notification::parse_for(&self.merchant, body).ok()?;
                    Some(Accepted {
                        params: n.params().clone(),
                        ambiguous: Some(n.is_ambiguous()),
                        others: readings(n.other_readings()),
                    })
                }
                MessageKind::QueryResponse => {
                    let q = QueryResponse::parse(&self.verifier, body).ok()?;
                    Some(Accepted {
                        ambiguous: Some(q.is_ambiguous()),
                        others: readings(q.other_readings()),
                        params: q.params,
                    })
                }
                MessageKind::RefundResponse => {
                    let r = RefundResponse::parse(&self.verifier, body).ok()?;
                    Some(Accepted {
                        params: r.params,
                        ambiguous: None,
                        others: Vec::new(),
                    })
                }
                other => panic!("{other:?} is not received"),
            }
        }
    }
}

use lib::Keys;

/// A genuine message: its kind and its signed values in table order.
struct Message {
    name: String,
    kind: MessageKind,
    values: Vec<String>,
}

impl Message {
    fn new(name: impl Into<String>, kind: MessageKind, fields: &[(&str, String)]) -> Message {
        let values = kind
            .fields()
            .iter()
            .map(|f| {
                fields
                    .iter()
                    .find(|(n, _)| *n == f.name)
                    .map_or(String::new(), |(_, v)| v.clone())
            })
            .collect();
        Message {
            name: name.into(),
            kind,
            values,
        }
    }

    fn hmac(&self) -> String {
        Md5Key::new(KEY).unwrap().sign(&signature_source(
            self.kind,
            &params(self.kind, &self.values),
        ))
    }
}

fn params<S: AsRef<str>>(kind: MessageKind, values: &[S]) -> Params {
    // Room for every pair at once: this runs for every cut.
    let mut p = Params::with_capacity(24);
    for (f, v) in kind.fields().iter().zip(values) {
        p.set(f.name, v);
    }
    p
}

/// The wire body of `values` (table order) with `hmac`, UTF-8 form encoded.
fn body<S: AsRef<str>>(kind: MessageKind, values: &[S], hmac: &str) -> Vec<u8> {
    let mut p = params(kind, values);
    p.set("hmac", hmac);
    form::encode_utf8(&p).into_bytes()
}

/// A message's key fields, table order.
fn keys<S: AsRef<str>>(kind: MessageKind, values: &[S]) -> Keys {
    kind.fields()
        .iter()
        .zip(values)
        .filter(|(f, _)| KEYS.contains(&f.name))
        .map(|(f, v)| (f.name.to_string(), v.as_ref().to_string()))
        .collect()
}

fn key<'a>(keys: &'a Keys, name: &str) -> &'a str {
    keys.iter()
        .find(|(n, _)| n == name)
        .map_or("", |(_, v)| v.as_str())
}

/// The cuts of a signed source into a kind's fields: for each field and
/// start, the ends a value passing `check_field` (and the pins) may have,
/// kept only when the rest can still be cut. Positions count characters,
/// as the fields' maximum lengths do.
struct Cuts<'a> {
    fields: &'static [Field],
    source: &'a str,
    /// Byte offset of each char boundary (chars + 1 of them).
    at: Vec<usize>,
    /// ends[i][c]: the ends of a value of field i starting at c.
    ends: Vec<Vec<Vec<usize>>>,
    /// ways[i][c]: the cuts of the source from c into fields i.. (i = n: 1 at the end).
    ways: Vec<Vec<u64>>,
    /// Fields whose value is fixed: (field, value).
    pins: Vec<(usize, String)>,
}

impl<'a> Cuts<'a> {
    fn new(kind: MessageKind, source: &'a str, pins: Vec<(usize, String)>) -> Cuts<'a> {
        let fields = kind.fields();
        let mut at: Vec<usize> = source.char_indices().map(|(b, _)| b).collect();
        at.push(source.len());
        let chars = at.len() - 1;
        let n = fields.len();
        // Forward: from each start a field can have, the valid values.
        let mut ends = vec![vec![Vec::new(); chars + 1]; n];
        let mut starts = vec![false; chars + 1];
        starts[0] = true;
        for (i, field) in fields.iter().enumerate() {
            let mut next = vec![false; chars + 1];
            for c in (0..=chars).filter(|&c| starts[c]) {
                for e in c..=chars.min(c + max_chars(field)) {
                    let value = &source[at[c]..at[e]];
                    if pinned(&pins, i, value) && cmpay::received::check_field(field, value).is_ok()
                    {
                        ends[i][c].push(e);
                        next[e] = true;
                    }
                }
            }
            starts = next;
        }
        // Backward: keep the ends from which the rest can be cut, counting.
        let mut ways = vec![vec![0u64; chars + 1]; n + 1];
        ways[n][chars] = 1;
        for i in (0..n).rev() {
            for c in 0..=chars {
                ends[i][c].retain(|&e| ways[i + 1][e] > 0);
                ways[i][c] = ends[i][c].iter().map(|&e| ways[i + 1][e]).sum();
            }
        }
        Cuts {
            fields,
            source,
            at,
            ends,
            ways,
            pins,
        }
    }

    fn chars(&self) -> usize {
        self.at.len() - 1
    }

    /// The `fieldok` cuts.
    fn count(&self) -> u64 {
        self.ways[0][0]
    }

    /// Every cut within the maximum lengths, valid or not (exact count);
    /// with `pinned`, only those whose pinned fields have their values.
    fn within_max_count(&self, pinned: bool) -> u128 {
        let chars = self.chars();
        let mut ways = vec![0u128; chars + 1];
        ways[chars] = 1;
        for (i, field) in self.fields.iter().enumerate().rev() {
            let max = max_chars(field);
            let mut before = vec![0u128; chars + 1];
            for (c, slot) in before.iter_mut().enumerate() {
                *slot = (c..=chars.min(c + max))
                    .filter(|&e| {
                        !pinned || self::pinned(&self.pins, i, &self.source[self.at[c]..self.at[e]])
                    })
                    .map(|e| ways[e])
                    .sum();
            }
            ways = before;
        }
        ways[0]
    }

    /// Calls `visit` with every `fieldok` cut: its boundaries (char
    /// positions, fields + 1 of them) and values.
    fn each(&self, visit: &mut dyn FnMut(&[usize], &[&'a str])) {
        let mut cut = vec![0; self.fields.len() + 1];
        let mut values = vec![""; self.fields.len()];
        self.walk(0, &mut cut, &mut values, visit);
    }

    fn walk(
        &self,
        i: usize,
        cut: &mut Vec<usize>,
        values: &mut Vec<&'a str>,
        visit: &mut dyn FnMut(&[usize], &[&'a str]),
    ) {
        if i == self.fields.len() {
            visit(cut, values);
            return;
        }
        let c = cut[i];
        for &e in &self.ends[i][c] {
            values[i] = &self.source[self.at[c]..self.at[e]];
            cut[i + 1] = e;
            self.walk(i + 1, cut, values, visit);
        }
    }

    /// A `fieldok` cut drawn uniformly (char positions, fields + 1 of them).
    fn sample(&self, rng: &mut Rng) -> Vec<usize> {
        let mut cut = vec![0];
        for i in 0..self.fields.len() {
            let c = cut[i];
            let mut pick = rng.below(self.ways[i][c] as usize) as u64;
            for &e in &self.ends[i][c] {
                if pick < self.ways[i + 1][e] {
                    cut.push(e);
                    break;
                }
                pick -= self.ways[i + 1][e];
            }
        }
        cut
    }

    /// The char positions of `values`' boundaries (fields + 1 of them).
    fn cut_of<S: AsRef<str>>(&self, values: &[S]) -> Vec<usize> {
        let mut cut = vec![0];
        let mut byte = 0;
        for v in values {
            byte += v.as_ref().len();
            cut.push(self.at.binary_search(&byte).unwrap());
        }
        cut
    }

    fn values_of(&self, cut: &[usize]) -> Vec<&'a str> {
        cut.windows(2)
            .map(|w| &self.source[self.at[w[0]]..self.at[w[1]]])
            .collect()
    }

    fn all_fields_ok(&self, values: &[&str]) -> bool {
        self.fields
            .iter()
            .zip(values)
            .all(|(f, v)| cmpay::received::check_field(f, v).is_ok())
    }

    fn within_max(&self, cut: &[usize]) -> bool {
        self.fields
            .iter()
            .zip(cut.windows(2))
            .all(|(f, w)| w[0] <= w[1] && w[1] - w[0] <= max_chars(f))
    }
}

/// Whether `value` may be field `i`'s under `pins`.
fn pinned(pins: &[(usize, String)], i: usize, value: &str) -> bool {
    pins.iter().all(|(at, v)| *at != i || v == value)
}

fn max_chars(field: &Field) -> usize {
    if field.max == 0 {
        usize::MAX / 2
    } else {
        field.max
    }
}

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1) as u64) as usize
    }
}

/// One message's counts.
#[derive(Default)]
struct Counts {
    splits: u128,
    pinned: u128,
    fields_ok: u64,
    checked: u64,
    /// Cuts parsed one by one (the rest of `checked` counted by class).
    parsed: u64,
    accepted: u64,
    changed: u64,
    ambiguous: u64,
    meanings: usize,
    genuine_ambiguous: Option<bool>,
    genuine_others: usize,
    millis: u128,
}

/// The fields a merchant's own checks fix: merchantId for every kind
/// (`parse_for` compares it; the client compares an answer's), and an
/// answer's orderId (the client compares it with the order it asked about).
fn pins(m: &Message) -> Vec<(usize, String)> {
    m.kind
        .fields()
        .iter()
        .enumerate()
        .filter(|(_, f)| {
            f.name == "merchantId" || (f.name == "orderId" && m.kind != MessageKind::Notify)
        })
        .map(|(i, _)| (i, m.values[i].clone()))
        .collect()
}

/// Whether two parses of one class agree: the same verdict, ambiguity,
/// other readings and key fields.
fn agree(kind: MessageKind, a: &Option<lib::Accepted>, b: &Option<lib::Accepted>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            let keys = |p: &Params| {
                keys(
                    kind,
                    &kind
                        .fields()
                        .iter()
                        .map(|f| p.value(f.name))
                        .collect::<Vec<_>>(),
                )
            };
            a.ambiguous == b.ambiguous && a.others == b.others && keys(&a.params) == keys(&b.params)
        }
        _ => false,
    }
}

/// Enumerates every cut of `m` and checks the oracle; panics naming the
/// first cut that breaks it.
fn enumerate(lib: &lib::Library, m: &Message) -> Counts {
    let started = Instant::now();
    let kind = m.kind;
    let hmac = m.hmac();
    let genuine = lib
        .parse(kind, &body(kind, &m.values, &hmac))
        .unwrap_or_else(|| panic!("{}: the genuine message is refused", m.name));
    let own = keys(kind, &m.values);
    let source: String = m.values.concat();
    let cuts = Cuts::new(kind, &source, pins(m));
    let mut counts = Counts {
        splits: cuts.within_max_count(false),
        pinned: cuts.within_max_count(true),
        genuine_ambiguous: genuine.ambiguous,
        genuine_others: genuine.others.len(),
        ..Counts::default()
    };
    assert!(
        cuts.count() <= MAX_CUTS,
        "{}: {} cuts to check; shorten the message",
        m.name,
        cuts.count()
    );
    let key_fields: Vec<usize> = (0..cuts.fields.len())
        .filter(|&i| KEYS.contains(&cuts.fields[i].name))
        .collect();
    let capped = genuine.others.len() + 1 >= lib::KEEP;
    let paid = key(&own, "status") == "SUCCESS";
    // The library's verdict on each class (the spans of the key fields),
    // from its first member, and how many members it has.
    let mut classes: HashMap<Vec<usize>, (Option<lib::Accepted>, u64)> = HashMap::new();
    let mut found: BTreeSet<Keys> = BTreeSet::new();
    let mut meanings: BTreeSet<Keys> = BTreeSet::new();
    let mut refused_by_check = 0u64;
    cuts.each(&mut |cut, values| {
        counts.fields_ok += 1;
        let parse = || lib.parse(kind, &body(kind, values, &hmac));
        if cmpay::received::check(kind, &params(kind, values)).is_err() {
            // Parsing runs the same check once the signature held: every
            // 61st such cut is parsed to show it.
            refused_by_check += 1;
            if refused_by_check % 61 == 1 {
                assert!(
                    parse().is_none(),
                    "{}: received::check refuses a cut the library accepts: {values:?}",
                    m.name
                );
            }
            return;
        }
        counts.checked += 1;
        let spans: Vec<usize> = key_fields
            .iter()
            .flat_map(|&i| [cut[i], cut[i + 1]])
            .collect();
        let (got, members) = match classes.entry(spans) {
            Entry::Vacant(class) => {
                counts.parsed += 1;
                class.insert((parse(), 1))
            }
            Entry::Occupied(class) => {
                let class = class.into_mut();
                class.1 += 1;
                if class.1 == 2 || class.1 % 97 == 0 {
                    // The second member and every 97th: parsed, to show they agree.
                    counts.parsed += 1;
                    assert!(
                        agree(kind, &class.0, &parse()),
                        "{}: two cuts with the same key fields differ: {values:?}",
                        m.name
                    );
                }
                class
            }
        };
        let Some(got) = got else {
            return;
        };
        counts.accepted += 1;
        let theirs = keys(kind, values);
        // The library reports the cut's key values as its fields.
        assert_eq!(
            keys(
                kind,
                &kind
                    .fields()
                    .iter()
                    .map(|f| got.params.value(f.name))
                    .collect::<Vec<_>>()
            ),
            theirs,
            "{}: {values:?}",
            m.name
        );
        if *members == 1 {
            meanings.insert(theirs.clone());
        }
        let changed = match kind {
            MessageKind::QueryResponse => {
                let same = |name: &str| key(&theirs, name) == key(&own, name);
                key(&theirs, "status") == "SUCCESS" && (!paid || !same("amount") || !same("payNo"))
            }
            _ => theirs != own,
        };
        if !changed {
            return;
        }
        counts.changed += 1;
        let Some(ambiguous) = got.ambiguous else {
            found.insert(theirs);
            return;
        };
        if ambiguous {
            counts.ambiguous += 1;
        }
        assert!(
            ambiguous,
            "{}: an accepted re-split that changes the meaning is not reported ambiguous: {}",
            m.name,
            String::from_utf8_lossy(&body(kind, values, &hmac))
        );
        assert_eq!(
            genuine.ambiguous,
            Some(true),
            "{}: the genuine message is not reported ambiguous, but reads as {theirs:?}",
            m.name
        );
        assert!(
            capped || genuine.others.contains(&theirs),
            "{}: the genuine message's other readings {:?} miss {theirs:?}",
            m.name,
            genuine.others
        );
        found.insert(theirs);
    });
    counts.meanings = found.len();
    // Every other reading the library names is the meaning of an accepted cut.
    for other in &genuine.others {
        assert!(
            meanings.contains(other),
            "{}: the library names a reading no accepted cut has: {other:?}",
            m.name
        );
    }
    if kind == MessageKind::Notify && genuine.ambiguous.is_some() && !capped {
        // The library's other readings are exactly the meanings found here.
        let named: BTreeSet<Keys> = genuine.others.iter().cloned().collect();
        assert_eq!(
            named, found,
            "{}: the library names other readings than the enumeration finds",
            m.name
        );
    }
    check_the_filter(lib, m, &cuts, &hmac);
    counts.millis = started.elapsed().as_millis();
    counts
}

/// No cut outside `fieldok` is accepted: every cut that moves one boundary
/// of the genuine message (anywhere within the two fields' maximum
/// lengths), and 64 near misses (a `fieldok` cut drawn at random with one
/// boundary moved at random), are parsed; an accepted one must have every
/// field ok, and a notification the merchant's merchantId.
fn check_the_filter(lib: &lib::Library, m: &Message, cuts: &Cuts, hmac: &str) {
    let kind = m.kind;
    let n = cuts.fields.len();
    let try_cut = |cut: &[usize]| {
        if !cuts.within_max(cut) {
            return;
        }
        let values = cuts.values_of(cut);
        if lib.parse(kind, &body(kind, &values, hmac)).is_some() {
            assert!(
                cuts.all_fields_ok(&values),
                "{}: the library accepts a cut with a field failing check_field: {values:?}",
                m.name
            );
            assert!(
                kind != MessageKind::Notify || values[0] == MERCHANT,
                "{}: parse_for accepts merchantId {:?}",
                m.name,
                values[0]
            );
        }
    };
    let genuine = cuts.cut_of(&m.values);
    for b in 1..n {
        for p in genuine[b - 1]..=genuine[b + 1] {
            let mut cut = genuine.clone();
            cut[b] = p;
            try_cut(&cut);
        }
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ m.name.len() as u64);
    for _ in 0..64 {
        let mut cut = cuts.sample(&mut rng);
        let b = 1 + rng.below(n - 1);
        cut[b] = cut[b - 1] + rng.below(cut[b + 1] - cut[b - 1] + 1);
        try_cut(&cut);
    }
}

// --- The messages -----------------------------------------------------------

const DATE: &str = "20261206";
const TIME: &str = "20261206234512";

/// A notification as the gateway sends it (the sandbox's shape): paid or
/// failed, with the order's bankAbbr, a masked mobile or none, and the
/// merchant's reserved fields.
#[derive(Clone, Copy)]
struct Notify {
    paid: bool,
    page: bool,
    order_id: &'static str,
    amount: u64,
    pay_no: &'static str,
    bank: &'static str,
    mobile: &'static str,
    reserved1: &'static str,
    reserved2: &'static str,
}

const NOTIFY: Notify = Notify {
    paid: true,
    page: false,
    order_id: "",
    amount: 9900,
    pay_no: "202612062345120000000042",
    bank: "",
    mobile: "",
    reserved1: "",
    reserved2: "",
};

impl Notify {
    fn message(self) -> Message {
        let amt_item = format!(
            "CNY_AMT={}#CMY_AMT=0#RED_AMT=0#VCH_AMT=0#POT_CHG_AMT=0",
            self.amount
        );
        let kind = if self.page {
            "PageNotify"
        } else {
            "OfflineNotify"
        };
        let name = format!(
            "{} {} {}{}{}{}",
            if self.paid { "paid" } else { "failed" },
            &kind[..4],
            self.order_id,
            if self.bank.is_empty() { "" } else { " +bank" },
            if self.mobile.is_empty() {
                ""
            } else {
                " +mobile"
            },
            [("r1", self.reserved1), ("r2", self.reserved2)]
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(n, v)| format!(" {n}={v:?}"))
                .collect::<String>()
        );
        let fields = [
            ("merchantId", MERCHANT.to_string()),
            ("payNo", self.pay_no.to_string()),
            ("returnCode", "000000".to_string()),
            (
                "message",
                if self.paid { "SUCCESS" } else { "支付失败" }.to_string(),
            ),
            ("signType", "MD5".to_string()),
            ("type", kind.to_string()),
            ("version", "2.0.0".to_string()),
            ("amount", self.amount.to_string()),
            ("amtItem", if self.paid { amt_item } else { String::new() }),
            ("bankAbbr", self.bank.to_string()),
            ("mobile", self.mobile.to_string()),
            ("orderId", self.order_id.to_string()),
            ("payDate", TIME.to_string()),
            ("accountDate", DATE.to_string()),
            ("reserved1", self.reserved1.to_string()),
            ("reserved2", self.reserved2.to_string()),
            (
                "status",
                if self.paid { "SUCCESS" } else { "FAILED" }.to_string(),
            ),
            ("orderDate", DATE.to_string()),
            ("fee", cmpay::money::yuan(self.amount * 6 / 1000)),
        ];
        Message::new(name, MessageKind::Notify, &fields)
    }
}

fn notifications() -> Vec<Message> {
    let n = NOTIFY;
    [
        // Sequential integers.
        Notify {
            order_id: "123",
            ..n
        },
        Notify {
            order_id: "1230",
            page: true,
            mobile: "151****0263",
            ..n
        },
        Notify {
            order_id: "1230",
            paid: false,
            bank: "ICBC",
            ..n
        },
        // Date-time + random digits.
        Notify {
            order_id: "202612062345128317",
            pay_no: "201911250005378468",
            ..n
        },
        Notify {
            order_id: "202612062345128317",
            page: true,
            bank: "CMB",
            mobile: "138****8000",
            reserved2: "note SUCCESS",
            ..n
        },
        Notify {
            order_id: "202612062345128317",
            paid: false,
            reserved1: "20261206",
            ..n
        },
        // Prefix + hex.
        Notify {
            order_id: "PO7f3a9c01",
            reserved1: "gift 2026",
            ..n
        },
        Notify {
            order_id: "PO7f3a9c01",
            paid: false,
            page: true,
            mobile: "151****0263",
            reserved2: "送货前SUCCESS",
            ..n
        },
        // The shape tests/servers/shop.py makes: SRV + pid + seq + ms.
        Notify {
            order_id: "SRV4182700351234",
            bank: "ICBC",
            mobile: "151****0263",
            ..n
        },
        Notify {
            order_id: "SRV4182700351234",
            paid: false,
            reserved1: "12345",
            reserved2: "SUCCESS",
            ..n
        },
        // B + a 14-digit date-time.
        Notify {
            order_id: "B20261206234512",
            ..n
        },
        Notify {
            order_id: "B20261206234512",
            page: true,
            amount: 100,
            reserved2: "20261206234512",
            ..n
        },
        Notify {
            order_id: "B20261206234512",
            paid: false,
            ..n
        },
        // The issue's own example (the simulator's order id, payNo 14 digits).
        Notify {
            order_id: "S119140000000",
            pay_no: TIME,
            page: true,
            ..n
        },
    ]
    .into_iter()
    .map(Notify::message)
    .collect()
}

/// A query answer as the gateway sends it. The sandbox's pending answer
/// has no payNo, payDate, fee, amtItem or mobile and the message of an
/// unpaid order; `pay_no` and `message` give a pending answer the gateway
/// might send instead (a payNo already given, the query's own SUCCESS).
#[derive(Clone, Copy)]
struct Query {
    status: &'static str,
    order_id: &'static str,
    pay_type: &'static str,
    reserved2: &'static str,
    pay_no: &'static str,
    message: &'static str,
}

const QUERY: Query = Query {
    status: "SUCCESS",
    order_id: "1230",
    pay_type: "",
    reserved2: "",
    pay_no: "202612062345120000000042",
    message: "SUCCESS",
};

impl Query {
    fn message(self) -> Message {
        let paid = self.status == "SUCCESS";
        let pending = self.status.is_empty();
        let settled = |s: &str| {
            if pending {
                String::new()
            } else {
                s.to_string()
            }
        };
        let name = format!(
            "query {} {}{}{}{}",
            match self.status {
                "" => "pending",
                "SUCCESS" => "paid",
                _ => "failed",
            },
            self.order_id,
            if self.pay_type.is_empty() {
                String::new()
            } else {
                format!(" payType {}", self.pay_type)
            },
            if self.reserved2.is_empty() {
                String::new()
            } else {
                format!(" r2={:?}", self.reserved2)
            },
            match (pending, self.pay_no.is_empty(), self.message) {
                (true, false, m) => format!(" payNo, message {m}"),
                (true, true, "SUCCESS") => " message SUCCESS".to_string(),
                _ => String::new(),
            }
        );
        let fields = [
            ("merchantId", MERCHANT.to_string()),
            ("payNo", self.pay_no.to_string()),
            ("returnCode", "000000".to_string()),
            ("message", self.message.to_string()),
            ("signType", "MD5".to_string()),
            ("type", "OrderQuery".to_string()),
            ("version", "2.0.0".to_string()),
            ("amount", "12800".to_string()),
            (
                "amtItem",
                if paid {
                    "CNY_AMT=12800#CMY_AMT=0#RED_AMT=0#VCH_AMT=0#POT_CHG_AMT=0".to_string()
                } else {
                    String::new()
                },
            ),
            ("bankAbbr", String::new()),
            ("mobile", if paid { "151****0263" } else { "" }.to_string()),
            ("orderId", self.order_id.to_string()),
            ("payDate", settled(TIME)),
            ("reserved1", String::new()),
            ("reserved2", self.reserved2.to_string()),
            ("status", self.status.to_string()),
            ("payType", self.pay_type.to_string()),
            ("orderDate", DATE.to_string()),
            ("fee", settled("0.76")),
        ];
        Message::new(name, MessageKind::QueryResponse, &fields)
    }
}

fn query_answers() -> Vec<Message> {
    let q = QUERY;
    let pending = Query {
        status: "",
        pay_no: "",
        message: "支付失败",
        ..q
    };
    [
        q,
        Query {
            pay_type: "CASH",
            ..q
        },
        Query {
            reserved2: "note SUCCESS",
            ..pending
        },
        Query {
            order_id: "PO7f3a9c01",
            pay_type: "CASH",
            ..pending
        },
        Query {
            reserved2: "note SUCCESS",
            message: "SUCCESS",
            ..pending
        },
        Query {
            status: "FAILED",
            message: "支付失败",
            reserved2: "SUCCESS",
            ..q
        },
        Query {
            status: "FAILED",
            message: "支付失败",
            order_id: "202612062345128317",
            pay_type: "CASH",
            ..q
        },
    ]
    .into_iter()
    .map(Query::message)
    .collect()
}

fn refund(order_id: &str, amount: &str) -> Message {
    let fields = [
        ("merchantId", MERCHANT.to_string()),
        ("payNo", "202612062345120000000042".to_string()),
        ("returnCode", "000000".to_string()),
        ("message", "SUCCESS".to_string()),
        ("signType", "MD5".to_string()),
        ("type", "OrderRefund".to_string()),
        ("version", "2.0.0".to_string()),
        ("amount", amount.to_string()),
        ("orderId", order_id.to_string()),
        ("status", "SUCCESS".to_string()),
    ];
    Message::new(
        format!("refund {order_id} {amount}"),
        MessageKind::RefundResponse,
        &fields,
    )
}

fn refund_answers() -> Vec<Message> {
    vec![refund("1230", "12800"), refund("SRV4182700351234", "500")]
}

/// Enumerates `messages` on every core (each message on one thread) and
/// prints the table, in order.
fn run(messages: &[Message]) {
    let started = Instant::now();
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let mut results: Vec<(usize, Counts)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let lib = lib::Library::new();
                    let mut done = Vec::new();
                    loop {
                        // Last first: the answers, the larger ones, start early.
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        let Some(i) = messages.len().checked_sub(k + 1) else {
                            return done;
                        };
                        let m = &messages[i];
                        let counts =
                            std::panic::catch_unwind(AssertUnwindSafe(|| enumerate(&lib, m)));
                        match counts {
                            Ok(counts) => done.push((i, counts)),
                            Err(panic) => {
                                // The others stop at their next message.
                                next.store(messages.len(), Ordering::Relaxed);
                                std::panic::resume_unwind(panic)
                            }
                        }
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    let row = |name: &str, c: &Counts, genuine: &str| {
        println!(
            "{name:<52} {:>7.1e} {:>7.1e} {:>7} {:>6} {:>6} {:>6} {:>5} {:>5} {:>4} {:>7} {:>6}",
            c.splits as f64,
            c.pinned as f64,
            c.fields_ok,
            c.checked,
            c.parsed,
            c.accepted,
            c.changed,
            c.ambiguous,
            c.meanings,
            genuine,
            c.millis
        )
    };
    println!(
        "{:<52} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6} {:>5} {:>5} {:>4} {:>7} {:>6}",
        "message",
        "splits",
        "pinned",
        "fieldok",
        "check",
        "parsed",
        "accept",
        "chang",
        "ambig",
        "mean",
        "genuine",
        "ms"
    );
    let mut total = Counts::default();
    for (i, c) in &results {
        let genuine = match c.genuine_ambiguous {
            Some(true) => format!("amb/{}", c.genuine_others),
            Some(false) => "clear".to_string(),
            None => "-".to_string(),
        };
        row(&messages[*i].name, c, &genuine);
        total.splits += c.splits;
        total.pinned += c.pinned;
        total.fields_ok += c.fields_ok;
        total.checked += c.checked;
        total.parsed += c.parsed;
        total.accepted += c.accepted;
        total.changed += c.changed;
        total.ambiguous += c.ambiguous;
        total.meanings += c.meanings;
    }
    total.millis = started.elapsed().as_millis();
    row(
        &format!("all {} messages, {threads} threads", messages.len()),
        &total,
        "",
    );
}

#[test]
fn every_accepted_resplit_that_changes_the_meaning_is_reported_ambiguous() {
    let mut messages = notifications();
    messages.extend(query_answers());
    messages.extend(refund_answers());
    run(&messages);
}

/// A pending query answer that already carries a payNo, says SUCCESS (the
/// query succeeded) and has shopper text ending in SUCCESS at the end of
/// reserved2 reads as paid: reserved2 gives up `SUCCESS` to status, and
/// the empty payDate, orderDate and fee let the rest line up (orderDate's
/// digits become the fee, `20261206` yuan). The genuine answer is reported
/// ambiguous; the re-split one, which is what a man in the middle sends,
/// is not: its only other readings say pending, which the library does not
/// count against an answer that says SUCCESS (a genuine paid answer has
/// such readings too).
///
/// KNOWN CORE GAP, left failing on purpose: `#[ignore]`d until src/ (the
/// query answer's rules or `readings::of_received`) closes it; run with
/// `cargo test -p cmpay --test resplit -- --ignored`.
#[test]
#[ignore = "known core gap: a pending query answer re-split as paid is not reported ambiguous"]
fn a_pending_query_answer_resplit_as_paid_is_reported_ambiguous() {
    let genuine = Query {
        status: "",
        reserved2: "note SUCCESS",
        ..QUERY
    }
    .message();
    let kind = MessageKind::QueryResponse;
    let hmac = genuine.hmac();
    let lib = lib::Library::new();
    let parsed = lib
        .parse(kind, &body(kind, &genuine.values, &hmac))
        .unwrap();
    assert_eq!(parsed.ambiguous, Some(true), "the genuine pending answer");
    let mut split = genuine.values.clone();
    for (name, value) in [
        ("payDate", ""),
        ("reserved2", "note "),
        ("status", "SUCCESS"),
        ("orderDate", ""),
        ("fee", "20261206"),
    ] {
        let at = kind.fields().iter().position(|f| f.name == name).unwrap();
        split[at] = value.to_string();
    }
    assert_eq!(split.concat(), genuine.values.concat());
    let forged = lib
        .parse(kind, &body(kind, &split, &hmac))
        .expect("the re-split answer is accepted");
    assert_eq!(forged.params.value("status"), "SUCCESS");
    assert_eq!(
        forged.ambiguous,
        Some(true),
        "a pending answer re-split as paid is not reported ambiguous (other readings {:?})",
        forged.others
    );
    run(&[genuine]);
}
