//! The re-split search as it was first written (commit 23f14ed): a
//! plain memoised walk over fields and positions that tries every
//! candidate end, with no pruning. Kept, test-only, as the reference the
//! optimised search in `readings` must agree with (`tests` there compare
//! them on many messages). One change from 23f14ed: a run of free text
//! ends at every occurrence of the next field's listed values, overlapping
//! ones included (`SUCCES` + `SUCCESS` has two), as in `readings`.

use super::{KEEP, KEY_FIELDS, MAX_STEPS, Reading, meaning};
use crate::fields::{Field, Format, MessageKind};
use crate::received::{self, judge};
use std::rc::Rc;

/// The meanings of `source` read as a message of `kind`, under every rule
/// of `received` (all of them, or `KEEP` when there are more); field
/// each `pinned.0` only with the value `pinned.1`. Sorted, distinct; true when
/// the search gave up at `MAX_STEPS`.
pub(super) fn readings(
    kind: MessageKind,
    source: &str,
    pinned: &[(usize, &str)],
) -> (Vec<Reading>, bool) {
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
        .map(|keys| {
            let names = &super::kind_keys(kind).names;
            Reading::new(&names[..keys.len()], keys)
        })
        .collect();
    out.sort();
    out.dedup();
    (out, gave_up)
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
                // Every occurrence, overlapping ones too (not `match_indices`).
                ends.extend(
                    (0..=limit.min(rest.len()))
                        .filter(|&at| rest.as_bytes()[at..].starts_with(value.as_bytes()))
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
