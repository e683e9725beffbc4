//! Every reading of a signed source (protocol.md §8, "Field boundaries").
//!
//! The signature covers the values joined with no separator, so one signed
//! source can be split into fields in more than one way, and every split
//! verifies. The formats of `received` pin most boundaries, but not all of
//! them: a free-text orderId next to fields that may be empty can give up
//! its end (`S119140000000` reads as `S11914000000` once payDate and
//! accountDate are emptied into reserved1). No verifier can tell such a
//! re-split from the genuine message by its bytes.
//!
//! This module finds, for a verified message, every split of its source that
//! passes the same rules (`received::judge` and `received::cross_rule`),
//! and reports the distinct meanings among them: the values of `KEY_FIELDS`
//! (merchantId pinned to the merchant's own: a reading for another merchant
//! is refused anyway). A message with more than one meaning is ambiguous:
//! the library says so, and the merchant confirms it with the gateway
//! (`Client::confirm`) before acting on it.
//!
//! The search walks the fields in table order and remembers, for each
//! (field, position, facts about the prefix that later rules read), the
//! meanings of every valid rest: a genuine notification takes a few hundred
//! steps. It gives up after `MAX_STEPS` and then reports the message as
//! ambiguous, never as clear.

use crate::fields::{Field, Format, MessageKind};
use crate::received::{self, judge};
use std::fmt;
use std::rc::Rc;

/// The fields whose meaning a reading must not change: which merchant,
/// which order, how much, which payment, paid or not, and from where.
pub const KEY_FIELDS: &[&str] = &[
    "merchantId",
    "payNo",
    "returnCode",
    "type",
    "amount",
    "orderId",
    "status",
];

/// The search gives up after this many candidate values (and the message
/// then counts as ambiguous). A genuine notification takes a few hundred.
pub const MAX_STEPS: usize = 200_000;

/// The most meanings the search keeps for each rest of a source, and so
/// reports (the message's own and up to 7 others): enough to tell one
/// meaning from several and to name them, while the work stays bounded
/// (a state whose rests have more meanings keeps the first `KEEP`, and a
/// rest with fewer keeps all of them, so the top finds min(KEEP, all)).
pub const KEEP: usize = 8;

/// One meaning of a signed source: the values of the kind's key fields.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Reading {
    fields: Vec<(&'static str, String)>,
}

impl Reading {
    /// A key field's value in this reading ("" when empty or not a field of the kind).
    pub fn field(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// The key fields, in table order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.fields.iter().map(|(n, v)| (*n, v.as_str()))
    }
}

impl fmt::Display for Reading {
    /// `merchantId=… payNo=… … status=…`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (k, (name, value)) in self.fields.iter().enumerate() {
            if k > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{name}={value}")?;
        }
        Ok(())
    }
}

/// What the search found besides the message as received.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ambiguity {
    /// The other meanings of the same signed source, each passing every rule.
    pub others: Vec<Reading>,
    /// True when the search stopped at `MAX_STEPS` (then `others` may be
    /// incomplete, and the message counts as ambiguous).
    pub gave_up: bool,
    /// True when there are more meanings than `KEEP` (`others` lists some).
    pub more: bool,
}

impl Ambiguity {
    /// True when the message has another meaning, or might have.
    pub fn is_ambiguous(&self) -> bool {
        self.gave_up || self.more || !self.others.is_empty()
    }
}

/// The key fields of `values` (a message of `kind`, in table order).
pub fn reading_of(kind: MessageKind, values: &[&str]) -> Reading {
    Reading {
        fields: kind
            .fields()
            .iter()
            .zip(values)
            .filter(|(f, _)| KEY_FIELDS.contains(&f.name))
            .map(|(f, v)| (f.name, meaning(f.name, v).to_string()))
            .collect(),
    }
}

/// A key value as it counts: a status other than the two final ones means
/// "not final yet" whatever its spelling.
fn meaning<'a>(name: &str, value: &'a str) -> &'a str {
    match (name, value) {
        ("status", "SUCCESS" | "FAILED") => value,
        ("status", _) => "",
        _ => value,
    }
}

/// The other meanings of a verified message of `kind` whose signed values,
/// in table order, are `values` (each already passed `received::check`),
/// with the fields named in `pin` kept at `values`' own: merchantId for
/// a notification (a reading for another merchant is refused anyway), and
/// merchantId and orderId for a query answer (the client knows which order
/// it asked about).
pub fn ambiguity(kind: MessageKind, values: &[&str], pin: &[&str]) -> Ambiguity {
    let source: String = values.concat();
    let own = reading_of(kind, values);
    let pinned: Vec<(usize, &str)> = kind
        .fields()
        .iter()
        .enumerate()
        .filter(|(_, f)| pin.contains(&f.name))
        .map(|(i, _)| (i, values[i]))
        .collect();
    let (all, gave_up) = readings(kind, &source, &pinned);
    let more = all.len() >= KEEP;
    Ambiguity {
        others: all.into_iter().filter(|r| *r != own).collect(),
        gave_up,
        more,
    }
}

/// What the library reports as the other readings of a verified received
/// message (table-order `values`), the one rule `Notification`,
/// `QueryResponse` and `cmpay verify` share:
/// - a notification: every other meaning, merchantId kept (`ambiguity`);
/// - a query answer: the readings, for the same merchantId and orderId (the
///   order asked about), that say SUCCESS, other than its own. A paid
///   answer that also reads as pending pays nothing; one that reads as paid
///   with another amount or payNo, or a pending one that reads as paid,
///   confirms nothing;
/// - any other kind: none.
pub fn of_received(kind: MessageKind, values: &[&str]) -> Ambiguity {
    match kind {
        MessageKind::Notify => ambiguity(kind, values, &["merchantId"]),
        MessageKind::QueryResponse => {
            let source: String = values.concat();
            let own = reading_of(kind, values);
            let pinned: Vec<(usize, &str)> = kind
                .fields()
                .iter()
                .enumerate()
                .filter_map(|(i, f)| match f.name {
                    "merchantId" | "orderId" => Some((i, values[i])),
                    "status" => Some((i, "SUCCESS")),
                    _ => None,
                })
                .collect();
            let (paid, gave_up) = readings(kind, &source, &pinned);
            Ambiguity {
                more: paid.len() >= KEEP,
                others: paid.into_iter().filter(|r| *r != own).collect(),
                gave_up,
            }
        }
        _ => Ambiguity::default(),
    }
}

/// The meanings of `source` read as a message of `kind`, under every rule
/// of `received` (all of them, or `KEEP` when there are more); field
/// each `pinned.0` only with the value `pinned.1`. Sorted, distinct; true when
/// the search gave up at `MAX_STEPS`.
pub fn readings(kind: MessageKind, source: &str, pinned: &[(usize, &str)]) -> (Vec<Reading>, bool) {
    let fields = kind.fields();
    let layout = received::layout(kind);
    let mut search = Search {
        kind,
        fields,
        source,
        layout,
        free: free_runs(kind, layout, pinned),
        pinned,
        values: vec![""; fields.len()],
        memo: vec![Vec::new(); (fields.len() + 1) * (source.len() + 1)],
        steps: 0,
    };
    let found = search.rest(0, 0);
    let gave_up = search.steps > MAX_STEPS;
    let mut out: Vec<Reading> = found
        .iter()
        .map(|keys| Reading {
            fields: fields
                .iter()
                .filter(|f| KEY_FIELDS.contains(&f.name))
                .zip(keys.iter())
                .map(|(f, v)| (f.name, v.to_string()))
                .collect(),
        })
        .collect();
    out.sort();
    out.dedup();
    (out, gave_up)
}

/// The first reading of a request's signature `source` as a message the
/// gateway sends merchant `merchant_id` (a notification, or an answer with a
/// success code), under every rule of `received`. With MD5 one key signs both directions,
/// so a request whose source has such a reading would hand out that
/// message's hmac: `Merchant::sign_request` refuses it.
pub fn as_received(merchant_id: &str, source: &str) -> Option<(MessageKind, Reading)> {
    MessageKind::ALL
        .into_iter()
        .filter(|k| !k.is_request())
        .find_map(|kind| {
            let at = kind.fields().iter().position(|f| f.name == "merchantId")?;
            let (found, gave_up) = readings(kind, source, &[(at, merchant_id)]);
            // An answer is acted on only with a success code (any other is
            // an error, whatever it says); a notification in any case.
            let first = found.into_iter().find(|r| {
                kind == MessageKind::Notify || crate::codes::is_success(r.field("returnCode"))
            });
            match (first, gave_up) {
                (Some(r), _) => Some((kind, r)),
                (None, true) => Some((kind, Reading { fields: Vec::new() })),
                (None, false) => None,
            }
        })
}

/// The key fields' meanings (`meaning`), from some field on.
type Keys<'a> = Vec<&'a str>;

/// The prefix facts (`Search::facts`) and the meanings of every valid rest
/// under them, for one field and position.
type Remembered<'a> = (u64, u64, Rc<Vec<Keys<'a>>>);

struct Search<'a> {
    kind: MessageKind,
    fields: &'static [Field],
    source: &'a str,
    layout: &'static received::Layout,
    pinned: &'a [(usize, &'a str)],
    /// For each field: `Some((end, max))` when it starts a run of free-text
    /// fields `..end` that no rule reads (reserved1 and reserved2): any split
    /// of the run's text is as good as another, so the run is read as one
    /// value of at most `max` characters (0: unlimited).
    free: Vec<Option<(usize, usize)>>,
    /// The values chosen so far (the path to the current field).
    values: Vec<&'a str>,
    /// (field, position, prefix facts) → the key ranges of every valid rest.
    memo: Vec<Vec<Remembered<'a>>>,
    steps: usize,
}

impl<'a> Search<'a> {
    /// The facts about `values[..i]` that the rules of fields `i..` read
    /// (`received::cross_rule`): equal facts, equal rests.
    fn facts(&self, i: usize) -> (u64, u64) {
        let at = self.layout;
        let v = &self.values;
        let before = |f: Option<usize>| f.filter(|&f| f < i);
        let mut flags = 0u64;
        if let Some(c) = before(at.return_code) {
            flags |= u64::from(crate::codes::is_success(v[c]));
        }
        if let Some(m) = before(at.message) {
            flags |= u64::from(v[m] == "SUCCESS") << 1;
        }
        if let Some(s) = before(at.status) {
            flags |= u64::from(v[s] == "SUCCESS") << 2;
        } else {
            for (j, value) in v[..i].iter().enumerate() {
                if at.paid_requires & (1 << j) != 0 && value.is_empty() {
                    flags |= 1 << (8 + j);
                }
            }
        }
        let amount = match (before(at.amount), at.amt_item) {
            (Some(a), Some(t)) if t >= i => received::parse_amount(v[a]).map_or(u64::MAX, |n| n),
            _ => 0,
        };
        (flags, amount)
    }

    /// Every valid way to read `source[p..]` as fields `i..`: their key ranges.
    fn rest(&mut self, i: usize, p: usize) -> Rc<Vec<Keys<'a>>> {
        if i == self.fields.len() {
            return Rc::new(if p == self.source.len() {
                vec![Vec::new()]
            } else {
                Vec::new()
            });
        }
        let (flags, amount) = self.facts(i);
        let slot = i * (self.source.len() + 1) + p;
        if let Some((_, _, found)) = self.memo[slot]
            .iter()
            .find(|(f, a, _)| *f == flags && *a == amount)
        {
            return found.clone();
        }
        let field = &self.fields[i];
        let is_key = KEY_FIELDS.contains(&field.name);
        let next = self.free[i].map_or(i + 1, |(end, _)| end);
        let mut found: Vec<Keys<'a>> = Vec::new();
        for end in self.candidates(i, p) {
            self.steps += 1;
            if self.steps > MAX_STEPS {
                break;
            }
            let source = self.source;
            let value = &source[p..end];
            if next == i + 1 && judge(field, value).is_err() {
                continue;
            }
            self.values[i] = value;
            for k in i + 1..next {
                self.values[k] = "";
            }
            if received::cross_rule(self.kind, i, &self.values).is_err() {
                continue;
            }
            let rests = self.rest(next, end);
            for rest in rests.iter() {
                let mut keys = Vec::with_capacity(rest.len() + 1);
                if is_key {
                    keys.push(meaning(field.name, value));
                }
                keys.extend_from_slice(rest);
                if !found.contains(&keys) {
                    found.push(keys);
                }
                if found.len() == KEEP {
                    break;
                }
            }
            if found.len() == KEEP {
                break;
            }
        }
        self.values[i] = "";
        let found = Rc::new(found);
        self.memo[slot].push((flags, amount, found.clone()));
        found
    }

    /// The ends a value of field `i` starting at `p` may have (each still
    /// judged): its listed values, the pinned one, or every char boundary
    /// up to its length while the characters fit its format.
    fn candidates(&self, i: usize, p: usize) -> Vec<usize> {
        let field = &self.fields[i];
        let rest = &self.source[p..];
        if let Some((_, value)) = self.pinned.iter().find(|(at, _)| *at == i) {
            return if rest.starts_with(value) {
                vec![p + value.len()]
            } else {
                Vec::new()
            };
        }
        if let Some((next, max)) = self.free[i] {
            return self.free_ends(next, max, p);
        }
        if field.format == Format::Text && field.values.is_empty() {
            return self.free_ends(i + 1, field.max, p);
        }
        let mut ends = Vec::new();
        if field.may_be_empty {
            ends.push(p);
        }
        if !field.values.is_empty() {
            ends.extend(
                field
                    .values
                    .iter()
                    .filter(|v| !v.is_empty() && rest.starts_with(*v))
                    .map(|v| p + v.len()),
            );
            return ends;
        }
        let max = if field.max == 0 {
            usize::MAX
        } else {
            field.max
        };
        let (shortest, longest) = lengths(field.format);
        for (n, (at, c)) in rest.char_indices().enumerate() {
            if n == max || n == longest || !fits(field.format, c) {
                break;
            }
            if n + 1 >= shortest {
                ends.push(p + at + c.len_utf8());
            }
        }
        ends
    }

    /// The ends of a run of free text starting at `p`, followed by field
    /// `next`, of at most `max` characters (0: unlimited): where one of
    /// `next`'s listed values begins, when it has a list and may not be
    /// empty (status, signType); else every char boundary.
    fn free_ends(&self, next: usize, max: usize, p: usize) -> Vec<usize> {
        let rest = &self.source[p..];
        let limit = match max {
            0 => rest.len(),
            m => rest.char_indices().nth(m).map_or(rest.len(), |(at, _)| at),
        };
        let Some(following) = self.fields.get(next) else {
            return if limit == rest.len() {
                vec![self.source.len()]
            } else {
                Vec::new()
            };
        };
        let mut ends = Vec::new();
        if !following.values.is_empty() && !following.may_be_empty {
            for value in following.values {
                ends.extend(
                    rest.match_indices(value)
                        .map(|(at, _)| at)
                        .take_while(|&at| at <= limit)
                        .map(|at| p + at),
                );
            }
            ends.sort_unstable();
            ends.dedup();
        } else {
            ends.push(p);
            ends.extend(
                rest[..limit]
                    .char_indices()
                    .map(|(at, c)| p + at + c.len_utf8()),
            );
        }
        ends
    }
}

/// The runs of free-text fields of `kind` (`Search::free`): Text, no list of
/// values, not a key field, not pinned, read by no rule between fields; a
/// run of several must all be allowed empty after its first.
fn free_runs(
    kind: MessageKind,
    at: &received::Layout,
    pinned: &[(usize, &str)],
) -> Vec<Option<(usize, usize)>> {
    let fields = kind.fields();
    let free = |k: usize| {
        let f = &fields[k];
        f.format == Format::Text
            && f.values.is_empty()
            && !KEY_FIELDS.contains(&f.name)
            && !pinned.iter().any(|(at, _)| *at == k)
            && at.paid_requires & (1 << k) == 0
            && Some(k) != at.message
    };
    (0..fields.len())
        .map(|i| {
            if !free(i) {
                return None;
            }
            let mut end = i + 1;
            let mut max = fields[i].max;
            while end < fields.len() && free(end) && fields[end].may_be_empty {
                max = if max == 0 || fields[end].max == 0 {
                    0
                } else {
                    max + fields[end].max
                };
                end += 1;
            }
            Some((end, max))
        })
        .collect()
}

/// The shortest and longest non-empty value of `format`, in characters
/// (a quick bound on the search; `judge` decides).
fn lengths(format: Format) -> (usize, usize) {
    match format {
        Format::Version => (5, 5),
        Format::Date => (8, 8),
        Format::DateTime => (14, 14),
        Format::Mobile => (11, 11),
        Format::Code => (6, 10),
        Format::Amount => (1, 10),
        Format::BankAbbr => {
            let codes = crate::codes::BANKS.iter().map(|b| b.code.len());
            (codes.clone().min().unwrap_or(1), codes.max().unwrap_or(8))
        }
        _ => (1, usize::MAX),
    }
}

/// Whether `c` may appear in a value of `format` (a quick bound on the
/// search; `judge` decides).
fn fits(format: Format, c: char) -> bool {
    let upper_digit = c.is_ascii_uppercase() || c.is_ascii_digit();
    match format {
        Format::Text => true,
        Format::Alnum | Format::PayType => c.is_ascii_alphanumeric(),
        Format::Code | Format::BankAbbr => upper_digit,
        Format::Version => c.is_ascii_digit() || c == '.',
        Format::Amount | Format::Date | Format::DateTime => c.is_ascii_digit(),
        Format::AmtItem => upper_digit || matches!(c, '_' | '=' | '#'),
        Format::Mobile => c.is_ascii_digit() || c == '*',
        Format::Fee => c.is_ascii_digit() || c == '.',
        Format::Word => c.is_ascii_uppercase() || c == '_',
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notify(fields: &[(&str, &str)]) -> Vec<String> {
        MessageKind::Notify
            .fields()
            .iter()
            .map(|f| {
                fields
                    .iter()
                    .find(|(n, _)| *n == f.name)
                    .map_or(String::new(), |(_, v)| v.to_string())
            })
            .collect()
    }

    fn paid(order_id: &str, reserved1: &str) -> Vec<String> {
        notify(&[
            ("merchantId", "888009941120001"),
            ("payNo", "20261206234512"),
            ("returnCode", "000000"),
            ("message", "SUCCESS"),
            ("signType", "MD5"),
            ("type", "PageNotify"),
            ("version", "2.0.0"),
            ("amount", "9900"),
            (
                "amtItem",
                "CNY_AMT=9900#CMY_AMT=0#RED_AMT=0#VCH_AMT=0#POT_CHG_AMT=0",
            ),
            ("orderId", order_id),
            ("payDate", "20261206234512"),
            ("accountDate", "20261206"),
            ("reserved1", reserved1),
            ("status", "SUCCESS"),
            ("orderDate", "20261206"),
            ("fee", "0"),
        ])
    }

    fn others(values: &[String]) -> Ambiguity {
        let v: Vec<&str> = values.iter().map(String::as_str).collect();
        received::check(
            MessageKind::Notify,
            &MessageKind::Notify.fields().iter().zip(&v).fold(
                crate::Params::new(),
                |mut p, (f, v)| {
                    p.push(f.name, v);
                    p
                },
            ),
        )
        .unwrap();
        ambiguity(MessageKind::Notify, &v, &["merchantId"])
    }

    #[test]
    fn a_fixed_length_order_id_has_one_meaning() {
        let a = others(&paid("ORD-00000042", "自定义1"));
        assert!(!a.is_ambiguous(), "{a:?}");
    }

    #[test]
    fn an_order_id_ending_in_digits_beside_a_free_reserved1_is_ambiguous() {
        // The payDate and accountDate cannot be emptied (paid), but an
        // orderId ending in the digits of a date-time can give them up.
        let values = paid("S1191400000020261206234512", "");
        let a = others(&values);
        assert!(a.is_ambiguous());
        assert!(
            a.others
                .iter()
                .any(|r| r.field("orderId") == "S11914000000"),
            "{a:?}"
        );
        assert!(a.others.iter().all(|r| r.field("amount") == "9900"));
    }

    #[test]
    fn the_search_refuses_what_the_rules_refuse() {
        // A FAILED notification may leave payDate empty; a SUCCESS one not:
        // the reading moving the dates into reserved1 is not found.
        let (all, gave_up) = readings(
            MessageKind::Notify,
            &paid("S119140000000", "").concat(),
            &[(0, "888009941120001")],
        );
        assert!(!gave_up);
        assert_eq!(all.len(), 1, "{all:?}");
        assert_eq!(all[0].field("orderId"), "S119140000000");
    }
}
