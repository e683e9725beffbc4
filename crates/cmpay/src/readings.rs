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
//! meanings of every valid rest. Before it, one backward pass over the
//! source (`Viable`, bit sets of positions) marks where the remaining
//! fields could still begin, each read by a coarse form of its format
//! (listed values, lengths, characters, amtItem's grammar), twice: for a
//! rest that says SUCCESS (with the fields a paid message must carry, a
//! success code and the message SUCCESS) and for one that does not. The
//! walk tries only the ends from which a rest is possible for its prefix,
//! so it skips only ends whose rest has no reading: the readings are the
//! same as without the pass (the tests compare it with the unpruned
//! search, `reference`, on many messages), and a genuine notification
//! takes a few dozen steps instead of thousands. It gives up after
//! `MAX_STEPS` and then reports the message as ambiguous, never as clear.

use crate::fields::{AMT_ITEM_NAMES, Field, Format, MessageKind};
use crate::received::{self, MAX_FIELDS, judge};
use std::fmt;
use std::sync::OnceLock;

#[cfg(test)]
mod compare;
#[cfg(test)]
mod reference;
mod viable;

use viable::{Viable, class_of};

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

/// The search gives up after this many candidate values judged (and the
/// message then counts as ambiguous). A genuine notification takes a few
/// dozen.
pub(crate) const MAX_STEPS: usize = 200_000;

/// The most meanings the search keeps for each rest of a source, and so
/// reports (the message's own and up to 7 others): enough to tell one
/// meaning from several and to name them, while the work stays bounded
/// (a state whose rests have more meanings keeps the first `KEEP`, and a
/// rest with fewer keeps all of them, so the top finds min(KEEP, all)).
pub const KEEP: usize = 8;

/// One meaning of a signed source: the values of the kind's key fields.
#[derive(Clone, PartialEq, Eq)]
pub struct Reading {
    /// The key fields' names, in table order.
    names: &'static [&'static str],
    /// Their values, one after another (one allocation for them all).
    text: String,
    /// Where each value ends in `text`.
    ends: [u32; KEYS],
}

impl Reading {
    /// The reading whose key fields `names` have `values`.
    fn new(names: &'static [&'static str], values: &[&str]) -> Reading {
        let mut reading = Reading {
            names,
            text: String::with_capacity(values.iter().map(|v| v.len()).sum()),
            ends: [0; KEYS],
        };
        for (end, value) in reading.ends.iter_mut().zip(values) {
            reading.text.push_str(value);
            *end = reading.text.len() as u32;
        }
        reading
    }

    fn value(&self, k: usize) -> &str {
        let start = if k == 0 { 0 } else { self.ends[k - 1] };
        &self.text[start as usize..self.ends[k] as usize]
    }

    /// A key field's value in this reading ("" when empty or not a field of the kind).
    pub fn field(&self, name: &str) -> &str {
        self.iter().find(|(n, _)| *n == name).map_or("", |(_, v)| v)
    }

    /// The key fields, in table order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> {
        (0..self.names.len()).map(|k| (self.names[k], self.value(k)))
    }
}

impl Ord for Reading {
    /// Field by field, in table order (name, then value).
    fn cmp(&self, other: &Reading) -> std::cmp::Ordering {
        if !std::ptr::eq(self.names, other.names) && self.names != other.names {
            return self.iter().cmp(other.iter());
        }
        (0..self.names.len())
            .map(|k| self.value(k).cmp(other.value(k)))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    }
}

impl PartialOrd for Reading {
    fn partial_cmp(&self, other: &Reading) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Debug for Reading {
    /// `Reading { fields: [("merchantId", "…"), …] }`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reading")
            .field("fields", &self.iter().collect::<Vec<_>>())
            .finish()
    }
}

impl fmt::Display for Reading {
    /// `merchantId=… payNo=… … status=…`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (k, (name, value)) in self.iter().enumerate() {
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
pub(crate) fn reading_of(kind: MessageKind, values: &[&str]) -> Reading {
    let keys = kind_keys(kind);
    let key_values = kind
        .fields()
        .iter()
        .zip(values)
        .filter(|(f, _)| KEY_FIELDS.contains(&f.name))
        .map(|(f, v)| meaning(f.name, v));
    let mut values = [""; KEYS];
    let mut count = 0;
    for (slot, value) in values.iter_mut().zip(key_values) {
        *slot = value;
        count += 1;
    }
    Reading::new(&keys.names[..count], &values[..count])
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
    let mut pinned = [(0, ""); MAX_FIELDS];
    let mut count = 0;
    for (i, f) in kind.fields().iter().enumerate() {
        if pin.contains(&f.name) {
            pinned[count] = (i, values[i]);
            count += 1;
        }
    }
    others(kind, values, &pinned[..count])
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
            let mut pinned = [(0, ""); 3];
            let mut count = 0;
            for (i, f) in kind.fields().iter().enumerate() {
                let pin = match f.name {
                    "merchantId" | "orderId" => values[i],
                    "status" => "SUCCESS",
                    _ => continue,
                };
                pinned[count] = (i, pin);
                count += 1;
            }
            others(kind, values, &pinned[..count])
        }
        _ => Ambiguity::default(),
    }
}

/// The readings of `values`' source (fields `pinned` kept) other than
/// `values`' own, sorted; `more` when the search found `KEEP` meanings.
fn others(kind: MessageKind, values: &[&str], pinned: &[(usize, &str)]) -> Ambiguity {
    with_scratch(|scratch| {
        let mut source = std::mem::take(&mut scratch.source);
        source.clear();
        for value in values {
            source.push_str(value);
        }
        let mut search = Search::new(kind, &source, pinned, scratch);
        let (start, len) = search.rest(0, 0);
        let mut own = [EMPTY; KEYS];
        let mut at = 0;
        for (i, value) in values.iter().enumerate().take(search.n) {
            let slot = search.keys.slot[i];
            if slot != NOT_KEY {
                own[usize::from(slot)] = search.key_span(slot, at, at + value.len());
            }
            at += value.len();
        }
        let mut found = search.found(start, len);
        found.retain(|t| !search.same(t, &own));
        let others: Vec<Reading> = found.iter().map(|t| search.reading(t)).collect();
        let ambiguity = Ambiguity {
            more: len as usize >= KEEP,
            gave_up: search.gave_up(),
            others,
        };
        search.give_back(scratch);
        scratch.source = source;
        ambiguity
    })
}

/// The meanings of `source` read as a message of `kind`, under every rule
/// of `received` (all of them, or `KEEP` when there are more); field
/// each `pinned.0` only with the value `pinned.1`. Sorted, distinct; true when
/// the search gave up at `MAX_STEPS`.
pub fn readings(kind: MessageKind, source: &str, pinned: &[(usize, &str)]) -> (Vec<Reading>, bool) {
    with_scratch(|scratch| {
        let mut search = Search::new(kind, source, pinned, scratch);
        let (start, len) = search.rest(0, 0);
        let out: Vec<Reading> = search
            .found(start, len)
            .iter()
            .map(|t| search.reading(t))
            .collect();
        let gave_up = search.gave_up();
        search.give_back(scratch);
        (out, gave_up)
    })
}

/// The search's buffers, kept by each thread between searches: a search
/// then allocates only its answer. A search that grew one past `KEPT`
/// elements leaves it to be freed.
#[derive(Default)]
struct Scratch {
    source: String,
    sets: Vec<u64>,
    classes: Vec<u64>,
    kinds: Vec<u64>,
    shapes: Vec<u64>,
    boundary: Vec<u64>,
    starts: Vec<u64>,
    run: Vec<u64>,
    grow: Vec<u64>,
    started: Vec<(usize, usize, Format)>,
    entries: Vec<(State, (u32, u32))>,
    index: Vec<u32>,
    tuples: Vec<Tuple>,
    lists: Vec<u32>,
    ends: Vec<u32>,
}

/// The most elements a kept buffer may hold (`Scratch`).
const KEPT: usize = 1 << 14;

impl Scratch {
    const fn new() -> Scratch {
        Scratch {
            source: String::new(),
            sets: Vec::new(),
            classes: Vec::new(),
            kinds: Vec::new(),
            shapes: Vec::new(),
            boundary: Vec::new(),
            starts: Vec::new(),
            run: Vec::new(),
            grow: Vec::new(),
            started: Vec::new(),
            entries: Vec::new(),
            index: Vec::new(),
            tuples: Vec::new(),
            lists: Vec::new(),
            ends: Vec::new(),
        }
    }

    /// Frees what a large search left.
    fn trim(&mut self) {
        fn trim<T>(v: &mut Vec<T>) {
            if v.capacity() > KEPT {
                *v = Vec::new();
            }
        }
        if self.source.capacity() > KEPT {
            self.source = String::new();
        }
        trim(&mut self.sets);
        trim(&mut self.classes);
        trim(&mut self.kinds);
        trim(&mut self.shapes);
        trim(&mut self.boundary);
        trim(&mut self.starts);
        trim(&mut self.run);
        trim(&mut self.grow);
        trim(&mut self.started);
        trim(&mut self.entries);
        trim(&mut self.index);
        trim(&mut self.tuples);
        trim(&mut self.lists);
        trim(&mut self.ends);
    }
}

thread_local! {
    static SCRATCH: std::cell::Cell<Scratch> = const { std::cell::Cell::new(Scratch::new()) };
}

/// Runs `f` with this thread's buffers (fresh ones while another search on
/// this thread holds them, or once the thread is ending).
fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    let mut scratch = SCRATCH.try_with(std::cell::Cell::take).unwrap_or_default();
    let result = f(&mut scratch);
    scratch.trim();
    let _ = SCRATCH.try_with(|kept| kept.set(scratch));
    result
}

/// `buffer`, emptied, then `len` zeros.
fn zeroed<T: Copy + Default>(mut buffer: Vec<T>, len: usize) -> Vec<T> {
    buffer.clear();
    buffer.resize(len, T::default());
    buffer
}

/// The first reading of a request's signature `source` as a message the
/// gateway sends merchant `merchant_id` (a notification, or an answer with a
/// success code), under every rule of `received`. With MD5 one key signs both directions,
/// so a request whose source has such a reading would hand out that
/// message's hmac: `Merchant::sign_request` refuses it.
pub(crate) fn as_received(merchant_id: &str, source: &str) -> Option<(MessageKind, Reading)> {
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
                (None, true) => Some((kind, Reading::new(&[], &[]))),
                (None, false) => None,
            }
        })
}

/// How many key fields a kind has at most (`KEY_FIELDS`).
const KEYS: usize = KEY_FIELDS.len();

/// A key value in the source, as byte offsets (`EMPTY` for "").
type Span = (u32, u32);

const EMPTY: Span = (0, 0);

/// The key values of a reading from some field on, in the kind's key order
/// (`KindKeys`); the key fields before that field are `EMPTY`.
type Tuple = [Span; KEYS];

/// At most `KEEP` tuples, on the stack.
#[derive(Default)]
struct ArrayVec {
    tuples: [Tuple; KEEP],
    len: usize,
}

impl ArrayVec {
    fn push(&mut self, tuple: Tuple) {
        self.tuples[self.len] = tuple;
        self.len += 1;
    }

    fn retain(&mut self, keep: impl Fn(&Tuple) -> bool) {
        let mut kept = 0;
        for k in 0..self.len {
            if keep(&self.tuples[k]) {
                self.tuples[kept] = self.tuples[k];
                kept += 1;
            }
        }
        self.len = kept;
    }
}

impl std::ops::Deref for ArrayVec {
    type Target = [Tuple];
    fn deref(&self) -> &[Tuple] {
        &self.tuples[..self.len]
    }
}

impl std::ops::DerefMut for ArrayVec {
    fn deref_mut(&mut self) -> &mut [Tuple] {
        &mut self.tuples[..self.len]
    }
}

/// A field that is no key field (`KindKeys::slot`).
const NOT_KEY: u8 = u8::MAX;

/// Where a kind's key fields sit, computed once per kind.
struct KindKeys {
    /// For each field of the table: its place among the key fields, or `NOT_KEY`.
    slot: [u8; MAX_FIELDS],
    /// The key fields' names, in table order.
    names: [&'static str; KEYS],
    count: usize,
    /// The place of `status` among them, or `NOT_KEY`.
    status: u8,
    /// The fields where `received::cross_rule` may refuse (bit `k`).
    ruled: u64,
}

fn kind_keys(kind: MessageKind) -> &'static KindKeys {
    static ALL: OnceLock<Vec<KindKeys>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        MessageKind::ALL
            .iter()
            .map(|k| {
                let mut keys = KindKeys {
                    slot: [NOT_KEY; MAX_FIELDS],
                    names: [""; KEYS],
                    count: 0,
                    status: NOT_KEY,
                    ruled: received::cross_rule_fields(*k),
                };
                for (i, f) in k.fields().iter().enumerate() {
                    if KEY_FIELDS.contains(&f.name) {
                        let slot = keys.count as u8;
                        keys.slot[i] = slot;
                        keys.names[keys.count] = f.name;
                        keys.count += 1;
                        if f.name == "status" {
                            keys.status = slot;
                        }
                    }
                }
                keys
            })
            .collect()
    });
    let at = MessageKind::ALL
        .iter()
        .position(|&k| k == kind)
        .unwrap_or(0);
    &all[at]
}

/// A memo key: field, position and the prefix facts (`Search::facts`).
#[derive(Clone, Copy, PartialEq, Eq)]
struct State {
    at: u64,
    flags: u64,
    amount: u64,
}

impl State {
    fn hash(&self) -> usize {
        let h = (self.at ^ self.flags.rotate_left(21) ^ self.amount.rotate_left(42))
            .wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h ^ (h >> 29)) as usize
    }
}

/// The memo: states and their lists, found by an open-addressing index
/// (linear probing, at most half full).
struct Memo {
    entries: Vec<(State, (u32, u32))>,
    /// 0: empty; else 1 + an index into `entries`.
    index: Vec<u32>,
}

impl Memo {
    fn new(mut entries: Vec<(State, (u32, u32))>, index: Vec<u32>) -> Memo {
        entries.clear();
        Memo {
            entries,
            index: zeroed(index, 64),
        }
    }

    fn get(&self, state: &State) -> Option<(u32, u32)> {
        let mask = self.index.len() - 1;
        let mut at = state.hash() & mask;
        loop {
            match self.index[at] {
                0 => return None,
                e => {
                    let (s, list) = &self.entries[e as usize - 1];
                    if s == state {
                        return Some(*list);
                    }
                }
            }
            at = (at + 1) & mask;
        }
    }

    fn insert(&mut self, state: State, list: (u32, u32)) {
        self.entries.push((state, list));
        if self.entries.len() * 2 > self.index.len() {
            let len = self.index.len() * 2;
            self.index = zeroed(std::mem::take(&mut self.index), len);
            for e in 0..self.entries.len() {
                self.place(e);
            }
        } else {
            self.place(self.entries.len() - 1);
        }
    }

    fn place(&mut self, e: usize) {
        let mask = self.index.len() - 1;
        let mut at = self.entries[e].0.hash() & mask;
        while self.index[at] != 0 {
            at = (at + 1) & mask;
        }
        self.index[at] = e as u32 + 1;
    }
}

/// The rests of a source that say SUCCESS (`Viable`): before status, the
/// rest carries a status SUCCESS, a paid message's fields, a success code
/// and the message SUCCESS; after it, status was SUCCESS, so the fields a
/// paid message must carry are there.
const PAID: usize = 1;
/// Every other rest: status not SUCCESS, or any rest of a kind without status.
const OTHER: usize = 0;

struct Search<'a> {
    kind: MessageKind,
    fields: &'static [Field],
    n: usize,
    source: &'a str,
    layout: &'static received::Layout,
    keys: &'static KindKeys,
    pinned: &'a [(usize, &'a str)],
    /// For each field: `Some((end, max))` when it starts a run of free-text
    /// fields `..end` that no rule reads (reserved1 and reserved2): any split
    /// of the run's text is as good as another, so the run is read as one
    /// value of at most `max` characters (0: unlimited).
    free: [Option<(usize, usize)>; MAX_FIELDS],
    /// The values chosen so far (the path to the current field).
    values: [&'a str; MAX_FIELDS],
    /// Bit `k`: `values[k]` is empty.
    empty: u64,
    /// Where each field can begin a rest that has a reading (a superset).
    viable: Viable,
    /// (field, position, prefix facts) → the meanings of every valid rest,
    /// as a range of `lists`.
    memo: Memo,
    /// Every key tuple made (0: the empty one, the end of the source).
    tuples: Vec<Tuple>,
    /// The memo's lists of tuples (indices into `tuples`).
    lists: Vec<u32>,
    /// A stack of candidate ends, one segment per field being tried.
    ends: Vec<u32>,
    /// The source is ASCII: characters are bytes.
    ascii: bool,
    steps: usize,
}

impl<'a> Search<'a> {
    fn new(
        kind: MessageKind,
        source: &'a str,
        pinned: &'a [(usize, &'a str)],
        scratch: &mut Scratch,
    ) -> Search<'a> {
        let fields = kind.fields();
        assert!(fields.len() <= MAX_FIELDS);
        let layout = received::layout(kind);
        let free = free_runs(kind, layout, pinned);
        // Tuple 0 is the empty one, list (0, 1) the end of the source's.
        let mut tuples = std::mem::take(&mut scratch.tuples);
        tuples.clear();
        tuples.push([EMPTY; KEYS]);
        let mut lists = std::mem::take(&mut scratch.lists);
        lists.clear();
        lists.push(0);
        let mut ends = std::mem::take(&mut scratch.ends);
        ends.clear();
        Search {
            kind,
            fields,
            n: fields.len(),
            source,
            layout,
            keys: kind_keys(kind),
            pinned,
            viable: Viable::new(kind, source, pinned, &free, scratch),
            free,
            values: [""; MAX_FIELDS],
            empty: u64::MAX,
            memo: Memo::new(
                std::mem::take(&mut scratch.entries),
                std::mem::take(&mut scratch.index),
            ),
            tuples,
            lists,
            ends,
            ascii: source.is_ascii(),
            steps: 0,
        }
    }

    /// The tuples of list `(start, len)` (distinct), in the order of their
    /// readings (`Reading`'s: key value by key value).
    fn found(&self, start: u32, len: u32) -> ArrayVec {
        let mut found = ArrayVec::default();
        for k in start..start + len {
            found.push(self.tuples[self.lists[k as usize] as usize]);
        }
        found.sort_by(|a, b| {
            a[..self.keys.count]
                .iter()
                .zip(b)
                .find(|(x, y)| x != y && self.text(**x) != self.text(**y))
                .map_or(std::cmp::Ordering::Equal, |(x, y)| {
                    self.text(*x).cmp(self.text(*y))
                })
        });
        found
    }

    /// Returns the buffers for the next search.
    fn give_back(self, scratch: &mut Scratch) {
        self.viable.give_back(scratch);
        scratch.entries = self.memo.entries;
        scratch.index = self.memo.index;
        scratch.tuples = self.tuples;
        scratch.lists = self.lists;
        scratch.ends = self.ends;
    }

    fn gave_up(&self) -> bool {
        self.steps > MAX_STEPS
    }

    /// The key value at `slot` whose text is `source[p..end]`, as it counts
    /// (`meaning`).
    fn key_span(&self, slot: u8, p: usize, end: usize) -> Span {
        let value = &self.source[p..end];
        if slot == self.keys.status && meaning("status", value).is_empty() {
            return EMPTY;
        }
        (p as u32, end as u32)
    }

    fn text(&self, span: Span) -> &'a str {
        &self.source[span.0 as usize..span.1 as usize]
    }

    /// The same meaning (the same text in every key).
    fn same(&self, a: &Tuple, b: &Tuple) -> bool {
        a[..self.keys.count]
            .iter()
            .zip(b)
            .all(|(&x, &y)| x == y || (x.1 - x.0 == y.1 - y.0 && self.text(x) == self.text(y)))
    }

    fn reading(&self, t: &Tuple) -> Reading {
        let count = self.keys.count;
        let values = t.map(|span| self.text(span));
        Reading::new(&self.keys.names[..count], &values[..count])
    }

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
            // The paid fields before `i` left empty.
            flags |= (self.empty & at.paid_requires & ((1 << i) - 1)) << 8;
        }
        let amount = match (before(at.amount), at.amt_item) {
            (Some(a), Some(t)) if t >= i => received::parse_amount(v[a]).map_or(u64::MAX, |n| n),
            _ => 0,
        };
        (flags, amount)
    }

    /// Whether a prefix `values[..i]` with these facts may still be a
    /// message saying SUCCESS (status not yet read): success code and
    /// message SUCCESS, when read, and no paid field left empty.
    fn may_be_paid(&self, i: usize, flags: u64) -> bool {
        let at = self.layout;
        let (Some(c), Some(m)) = (at.return_code, at.message) else {
            return flags >> 8 == 0;
        };
        (c >= i || flags & 1 != 0) && (m >= i || flags & 2 != 0) && flags >> 8 == 0
    }

    /// Whether the value of field `i` keeps a message saying SUCCESS possible.
    fn value_may_be_paid(&self, i: usize, value: &str) -> bool {
        let at = self.layout;
        if at.return_code.is_some() && at.message.is_some() {
            if Some(i) == at.return_code && !crate::codes::is_success(value) {
                return false;
            }
            if Some(i) == at.message && value != "SUCCESS" {
                return false;
            }
        }
        !(at.paid_requires & (1 << i) != 0 && value.is_empty())
    }

    /// Whether the value `value` of field `i`, ending at `end`, can be
    /// followed by a rest read as fields `next..` (`Viable`), given the
    /// prefix: false only when no such rest has a reading.
    fn viable_end(
        &self,
        i: usize,
        next: usize,
        end: usize,
        value: &str,
        paid_prefix: bool,
    ) -> bool {
        let other = self.viable.has(next, OTHER, end);
        match self.layout.status {
            None => other,
            Some(s) if s <= i => {
                let status = if s == i { value } else { self.values[s] };
                if status == "SUCCESS" {
                    self.viable.has(next, PAID, end)
                } else {
                    other
                }
            }
            Some(_) => {
                other
                    || (paid_prefix
                        && self.viable.has(next, PAID, end)
                        && self.value_may_be_paid(i, value))
            }
        }
    }

    /// Every valid way to read `source[p..]` as fields `i..`: the meanings,
    /// as a range of `lists`.
    fn rest(&mut self, i: usize, p: usize) -> (u32, u32) {
        if i == self.n {
            return if p == self.source.len() {
                (0, 1)
            } else {
                (0, 0)
            };
        }
        let (flags, amount) = self.facts(i);
        let state = State {
            at: (i as u64) << 32 | p as u64,
            flags,
            amount,
        };
        if let Some(found) = self.memo.get(&state) {
            return found;
        }
        let field = &self.fields[i];
        let slot = self.keys.slot[i];
        let next = self.free[i].map_or(i + 1, |(end, _)| end);
        let paid_prefix = self.may_be_paid(i, flags);
        // amtItem's non-empty ends come from its grammar (`amt_item_ends`),
        // which accepts exactly what `judge` does.
        let prejudged = field.format == Format::AmtItem
            && field.values.is_empty()
            && !self.pinned.iter().any(|(at, _)| *at == i);
        let base = self.ends.len();
        self.candidates(i, p, next);
        let top = self.ends.len();
        let source = self.source;
        let mut found = [0u32; KEEP];
        let mut count = 0;
        for k in base..top {
            let end = self.ends[k] as usize;
            let value = &source[p..end];
            if !self.viable_end(i, next, end, value, paid_prefix) {
                continue;
            }
            self.steps += 1;
            if self.steps > MAX_STEPS {
                break;
            }
            if next == i + 1 && !(prejudged && end > p) && judge(field, value).is_err() {
                continue;
            }
            self.values[i] = value;
            self.empty = self.empty & !(1 << i) | u64::from(value.is_empty()) << i;
            for k in i + 1..next {
                self.values[k] = "";
                self.empty |= 1 << k;
            }
            if self.keys.ruled & (1 << i) != 0
                && received::cross_rule(self.kind, i, &self.values[..self.n]).is_err()
            {
                continue;
            }
            let (start, len) = self.rest(next, end);
            // The rests of one end are distinct; a key value of its own
            // (its text is as long as the value) tells them from every
            // other end's.
            let span = (slot != NOT_KEY).then(|| self.key_span(slot, p, end));
            let earlier = if span.is_some_and(|s| s != EMPTY) {
                0
            } else {
                count
            };
            for j in start..start + len {
                let child = self.lists[j as usize];
                let mut tuple = self.tuples[child as usize];
                if let Some(span) = span {
                    tuple[usize::from(slot)] = span;
                }
                if found[..earlier]
                    .iter()
                    .any(|&f| self.same(&self.tuples[f as usize], &tuple))
                {
                    continue;
                }
                found[count] = if slot == NOT_KEY {
                    child
                } else {
                    self.tuples.push(tuple);
                    (self.tuples.len() - 1) as u32
                };
                count += 1;
                if count == KEEP {
                    break;
                }
            }
            if count == KEEP {
                break;
            }
        }
        self.ends.truncate(base);
        self.values[i] = "";
        self.empty |= 1 << i;
        let list = (self.lists.len() as u32, count as u32);
        self.lists.extend_from_slice(&found[..count]);
        self.memo.insert(state, list);
        list
    }

    /// Pushes onto `ends`, in increasing order, the ends a value of field
    /// `i` starting at `p` may have (each still judged) from which fields
    /// `next..` may follow: its listed values, the pinned one, or every char
    /// boundary up to its length while the characters fit its format.
    fn candidates(&mut self, i: usize, p: usize, next: usize) {
        let field = &self.fields[i];
        let rest = &self.source.as_bytes()[p..];
        if let Some(&(_, value)) = self.pinned.iter().find(|(at, _)| *at == i) {
            if rest.starts_with(value.as_bytes()) {
                self.push_end(next, p + value.len());
            }
            return;
        }
        if let Some((end, max)) = self.free[i] {
            return self.free_ends(end, max, p);
        }
        if field.format == Format::Text && field.values.is_empty() {
            return self.free_ends(i + 1, field.max, p);
        }
        if field.may_be_empty {
            self.push_end(next, p);
        }
        if !field.values.is_empty() {
            for value in field.values {
                if !value.is_empty() && rest.starts_with(value.as_bytes()) {
                    self.push_end(next, p + value.len());
                }
            }
            return;
        }
        if field.format == Format::AmtItem {
            // amtItem's grammar gives its few possible ends (`judge` decides).
            let mut ends = [0usize; 10];
            let mut count = 0;
            amt_item_ends(rest, field.max, |len| {
                ends[count] = len;
                count += 1;
            });
            for &len in &ends[..count] {
                self.push_end(next, p + len);
            }
            return;
        }
        let max = if field.max == 0 {
            usize::MAX
        } else {
            field.max
        };
        let (shortest, longest) = lengths(field.format);
        let Some(class) = class_of(field.format) else {
            return;
        };
        let run = self.viable.run(class, p, max.min(longest));
        if run >= shortest {
            self.push_range(next, p + shortest, p + run);
        }
    }

    /// Pushes `end` if fields `next..` may begin there.
    fn push_end(&mut self, next: usize, end: usize) {
        if self.viable.has(next, OTHER, end) || self.viable.has(next, PAID, end) {
            self.ends.push(end as u32);
        }
    }

    /// Pushes every end in `from..=to` where fields `next..` may begin (all
    /// char boundaries), in increasing order.
    fn push_range(&mut self, next: usize, from: usize, to: usize) {
        let Search { viable, ends, .. } = self;
        viable.each(next, from, to, |end| {
            ends.push(end as u32);
            true
        });
    }

    /// The ends of a run of free text starting at `p`, followed by field
    /// `next`, of at most `max` characters (0: unlimited): where one of
    /// `next`'s listed values begins, when it has a list and may not be
    /// empty (status, signType); else every char boundary.
    fn free_ends(&mut self, next: usize, max: usize, p: usize) {
        let source: &str = self.source;
        let bytes = source.as_bytes();
        let len = bytes.len();
        // At most `max` characters: `max` bytes, or more in UTF-8 text
        // (counted only then).
        let fits = |count: &mut (usize, usize), q: usize| {
            if max == 0 || q - p <= max {
                return true;
            }
            let (at, chars) = count;
            *chars += bytes[*at..q]
                .iter()
                .filter(|&&b| !is_continuation(b))
                .count();
            *at = q;
            *chars <= max
        };
        let mut count = (p, 0);
        let Some(following) = self.fields.get(next) else {
            if fits(&mut count, len) {
                self.push_end(next, len);
            }
            return;
        };
        let listed = !following.values.is_empty() && !following.may_be_empty;
        let to = match max {
            0 => len,
            m if self.ascii => (p + m).min(len),
            m => p.saturating_add(m.saturating_mul(4)).min(len),
        };
        let Search { viable, ends, .. } = self;
        viable.each(next, p, to, |end| {
            if !fits(&mut count, end) {
                return false;
            }
            // Every occurrence, overlapping ones too: `SUCCES` + `SUCCESS`
            // has two.
            if !listed
                || following
                    .values
                    .iter()
                    .any(|v| bytes[end..].starts_with(v.as_bytes()))
            {
                ends.push(end as u32);
            }
            true
        });
    }
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// The lengths (in bytes, from the start of `text`) of the amtItems `text`
/// begins with that are at most `max` long: the five parts of
/// `AMT_ITEM_NAMES` in order, each `NAME=fen` (an amount: digits, no
/// leading zero, at most 10), joined by `#`; the last part's fen may end at
/// any of its digits. In increasing order; at most 10.
fn amt_item_ends(text: &[u8], max: usize, mut end: impl FnMut(usize)) {
    let mut at = 0;
    for (k, name) in AMT_ITEM_NAMES.iter().enumerate() {
        let name = name.as_bytes();
        if !text[at..].starts_with(name) || text.get(at + name.len()) != Some(&b'=') {
            return;
        }
        at += name.len() + 1;
        let digits = text[at..].iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 {
            return;
        }
        let most = if text[at] == b'0' { 1 } else { digits.min(10) };
        if k + 1 < AMT_ITEM_NAMES.len() {
            if digits > most || text.get(at + digits) != Some(&b'#') {
                return;
            }
            at += digits + 1;
        } else {
            for len in 1..=most {
                if at + len <= max || max == 0 {
                    end(at + len);
                }
            }
        }
    }
}

/// The runs of free-text fields of `kind` (`Search::free`): Text, no list of
/// values, not a key field, not pinned, read by no rule between fields; a
/// run of several must all be allowed empty after its first.
fn free_runs(
    kind: MessageKind,
    at: &received::Layout,
    pinned: &[(usize, &str)],
) -> [Option<(usize, usize)>; MAX_FIELDS] {
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
    let mut runs = [None; MAX_FIELDS];
    for (i, run) in runs.iter_mut().enumerate().take(fields.len()) {
        if !free(i) {
            continue;
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
        *run = Some((end, max));
    }
    runs
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
            static BANKS: OnceLock<(usize, usize)> = OnceLock::new();
            *BANKS.get_or_init(|| {
                let codes = crate::codes::BANKS.iter().map(|b| b.code.len());
                (codes.clone().min().unwrap_or(1), codes.max().unwrap_or(8))
            })
        }
        _ => (1, usize::MAX),
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
    fn shopper_text_ending_in_succes_hides_no_reading() {
        // `SUCCES` + status `SUCCESS` reads `SUCCESSUCCESS`: the status may
        // begin at either S. The first search looked for the status value
        // without overlaps, missed the genuine one, found no reading at all
        // and so called this message clear.
        let values = paid("S1191400000020261206234512", "note SUCCES");
        let a = others(&values);
        assert!(a.is_ambiguous(), "{a:?}");
        assert!(
            a.others
                .iter()
                .any(|r| r.field("orderId") == "S11914000000"),
            "{a:?}"
        );
        let (all, _) = readings(
            MessageKind::Notify,
            &values.concat(),
            &[(0, "888009941120001")],
        );
        assert!(
            all.iter()
                .any(|r| r.field("orderId") == "S1191400000020261206234512")
        );
    }

    #[test]
    fn amt_item_ends_are_the_grammars() {
        let ends = |text: &str, max: usize| {
            let mut v = Vec::new();
            amt_item_ends(text.as_bytes(), max, |n| v.push(n));
            v
        };
        let item = "CNY_AMT=9900#CMY_AMT=0#RED_AMT=0#VCH_AMT=0#POT_CHG_AMT=";
        assert_eq!(ends(&format!("{item}0ICBC"), 256), [item.len() + 1]);
        assert_eq!(
            ends(&format!("{item}1230"), 256),
            [1, 2, 3, 4].map(|n| item.len() + n)
        );
        assert_eq!(ends(&format!("{item}12"), item.len() + 1), [item.len() + 1]);
        for bad in [
            "CNY_AMT=09900#CMY_AMT=0#RED_AMT=0#VCH_AMT=0#POT_CHG_AMT=0",
            "CNY_AMT=9900#RED_AMT=0#CMY_AMT=0#VCH_AMT=0#POT_CHG_AMT=0",
            "CNY_AMT=9900#CMY_AMT=0#RED_AMT=0#VCH_AMT=0#POT_CHG_AMT=",
            "CNY_AMT=12345678901#CMY_AMT=0#RED_AMT=0#VCH_AMT=0#POT_CHG_AMT=0",
        ] {
            assert!(ends(bad, 256).is_empty(), "{bad}");
        }
        // Every end is one `judge` accepts, and the other way round.
        let field = MessageKind::Notify.field("amtItem").unwrap();
        let text = format!("{item}1230#X");
        let found = ends(&text, 256);
        let judged: Vec<usize> = (1..=text.len())
            .filter(|&n| judge(field, &text[..n]).is_ok())
            .collect();
        assert_eq!(found, judged);
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
