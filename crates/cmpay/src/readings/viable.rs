//! The backward pass of the re-split search (`Viable`): for each field and
//! position, whether the rest of the source might still be read as the
//! remaining fields, as bit sets of positions built from the end, for a
//! rest saying SUCCESS and for one that does not. Each value is read by a
//! coarse form of its rules (`Plan`), never stricter than `judge` and
//! `cross_rule`: a position left out has no reading, so the walk in
//! `readings` may skip it and still find every reading.

use super::{
    AMT_ITEM_NAMES, MAX_FIELDS, NOT_KEY, OTHER, PAID, Scratch, amt_item_ends, free_runs, kind_keys,
    lengths, zeroed,
};
use crate::fields::{Format, MessageKind};
use crate::received;
use std::sync::OnceLock;

/// Where the fields of a kind may begin in one source: for each field `k`
/// and `PAID`/`OTHER`, a bit set of the positions `p` from which
/// `source[p..]` might be read as fields `k..`, each value by a coarse form
/// of its rules (`Back::mark`), for a rest saying SUCCESS or not. Every
/// position with a reading is in it: only a position outside it can be
/// skipped. Positions are char boundaries, `0..=len`.
pub(super) struct Viable {
    words: usize,
    /// `(k * 2 + mode) * words ..`: the set of field `k` for `mode`.
    sets: Vec<u64>,
    /// `c * words ..`: the bytes of character class `c` (`class_of`).
    classes: Vec<u64>,
}

/// The characters of the formats other than Text and AmtItem (those
/// `judge` allows), as classes of bytes (`Viable::classes`).
const ALNUM: usize = 0;
const UPPER_DIGIT: usize = 1;
const DIGIT_DOT: usize = 2;
const DIGIT: usize = 3;
const DIGIT_STAR: usize = 4;
const UPPER_UNDERSCORE: usize = 5;
const CLASSES: usize = 6;

/// `format`'s class of characters (`fits`), none for Text and AmtItem.
pub(super) fn class_of(format: Format) -> Option<usize> {
    Some(match format {
        Format::Alnum | Format::PayType => ALNUM,
        Format::Code | Format::BankAbbr => UPPER_DIGIT,
        Format::Version | Format::Fee => DIGIT_DOT,
        Format::Amount | Format::Date | Format::DateTime => DIGIT,
        Format::Mobile => DIGIT_STAR,
        Format::Word => UPPER_UNDERSCORE,
        Format::Text | Format::AmtItem => return None,
    })
}

/// Kinds of bytes the classes are made of (digits by value, for the
/// shapes of dates and times); `KIND_OTHER` is every other byte (a char
/// boundary that no format allows).
const KIND_OTHER: u8 = 0;
const KIND_0: usize = 1;
const KIND_1: usize = 2;
const KIND_2: usize = 3;
const KIND_3: usize = 4;
const KIND_4_5: usize = 5;
const KIND_6_9: usize = 6;
const KIND_UPPER: usize = 7;
const KIND_LOWER: usize = 8;
const KIND_DOT: usize = 9;
const KIND_STAR: usize = 10;
const KIND_UNDERSCORE: usize = 11;
/// A UTF-8 continuation byte: not a char boundary.
const KIND_CONTINUATION: usize = 12;
const KINDS: usize = 13;

const BYTE_KINDS: [u8; 256] = {
    let mut table = [KIND_OTHER; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            b'0' => KIND_0 as u8,
            b'1' => KIND_1 as u8,
            b'2' => KIND_2 as u8,
            b'3' => KIND_3 as u8,
            b'4' | b'5' => KIND_4_5 as u8,
            b'6'..=b'9' => KIND_6_9 as u8,
            b'A'..=b'Z' => KIND_UPPER as u8,
            b'a'..=b'z' => KIND_LOWER as u8,
            b'.' => KIND_DOT as u8,
            b'*' => KIND_STAR as u8,
            b'_' => KIND_UNDERSCORE as u8,
            0x80..=0xBF => KIND_CONTINUATION as u8,
            _ => KIND_OTHER,
        };
        b += 1;
    }
    table
};

/// Sets of the shapes of one-length formats (`Back::shape`): digits up to
/// a value (a date's and a time's tens), `*` and `.`.
const UP_TO_1: usize = 0;
const UP_TO_2: usize = 1;
const UP_TO_3: usize = 2;
const UP_TO_5: usize = 3;
const NOT_0: usize = 4;
const STAR: usize = 5;
const DOT: usize = 6;
const DIGITS: usize = 7;
const SHAPES: usize = 8;

/// `x` moved down by `s` positions (`x[p + s]` at `p`), word `w`; nothing
/// from beyond the end.
#[inline(always)]
fn shifted(x: &[u64], s: usize, w: usize) -> u64 {
    let at = w + s / 64;
    let bits = (s % 64) as u32;
    let low = x.get(at).copied().unwrap_or(0);
    let high = x.get(at + 1).copied().unwrap_or(0);
    // `high << (64 - bits)`, 0 when bits is 0, in two steps.
    (low >> bits) | ((high << 1) << (63 - bits))
}

fn has(set: &[u64], p: usize) -> bool {
    set.get(p / 64).is_some_and(|w| w >> (p % 64) & 1 != 0)
}

fn or(out: &mut [u64], set: &[u64]) {
    for (o, s) in out.iter_mut().zip(set) {
        *o |= s;
    }
}

/// How the backward pass reads a field's value (`Back::mark`), for one
/// kind, field and mode: decided once per kind (`plans`).
#[derive(Clone, Copy, Debug)]
enum Plan {
    /// Not needed: the field never begins a rest the walk asks about.
    Skip,
    /// One of `values` (but `SUCCESS` if `not_success`), or empty if `empty`.
    Values {
        values: &'static [&'static str],
        not_success: bool,
        empty: bool,
    },
    /// Text of at most `max` characters (0: unlimited).
    Text { max: usize, empty: bool },
    /// An amtItem (`amt_item_ends`) of at most `max` characters.
    AmtItem { max: usize, empty: bool },
    /// `shortest..=longest` characters of `class` in the `shape` of the
    /// format (a superset of `judge`); only a success code if
    /// `success_code`.
    Class {
        class: usize,
        shortest: usize,
        longest: usize,
        shape: Format,
        empty: bool,
        success_code: bool,
    },
}

/// The plans of `kind`'s fields, `[OTHER, PAID]` each, with no field pinned
/// (a pinned field is read as its value, `Back::pinned`).
fn plans(kind: MessageKind) -> &'static [[Plan; 2]] {
    static ALL: OnceLock<Vec<Vec<[Plan; 2]>>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        MessageKind::ALL
            .iter()
            .map(|&kind| {
                // Only the received kinds are searched (requests have more
                // fields than `MAX_FIELDS`).
                if kind.is_request() {
                    return Vec::new();
                }
                let free = free_runs(kind, received::layout(kind), &[]);
                (0..kind.fields().len())
                    .map(|k| [OTHER, PAID].map(|mode| plan(kind, k, mode, &free)))
                    .collect()
            })
            .collect()
    });
    let at = MessageKind::ALL
        .iter()
        .position(|&k| k == kind)
        .unwrap_or(0);
    &all[at]
}

/// The plan of field `k` of `kind` for `mode`: its value by a coarse form
/// of `judge` (listed values, lengths, characters, amtItem's grammar, the
/// shape of a one-length format) and, for `PAID`, of `cross_rule` (status
/// SUCCESS; before it, a success code and message SUCCESS; a paid
/// message's fields not empty).
fn plan(
    kind: MessageKind,
    k: usize,
    mode: usize,
    free: &[Option<(usize, usize)>; MAX_FIELDS],
) -> Plan {
    let field = &kind.fields()[k];
    let at = received::layout(kind);
    // Field 0 is only ever tried at 0; a field inside a run of free text
    // read as one value never begins a rest.
    if k == 0
        || free[k - 1].is_some_and(|(end, _)| end > k)
        || (mode == PAID && at.status.is_none())
    {
        return Plan::Skip;
    }
    let paid = mode == PAID;
    let before_status = at.status.is_some_and(|s| k < s);
    let says_success = at.return_code.is_some() && at.message.is_some();
    let empty = field.may_be_empty && !(paid && at.paid_requires & (1 << k) != 0);
    if let Some((_, max)) = free[k] {
        return Plan::Text { max, empty: true };
    }
    if Some(k) == at.status {
        if paid {
            return Plan::Values {
                values: &["SUCCESS"],
                not_success: false,
                empty: false,
            };
        }
        if !field.values.is_empty() {
            return Plan::Values {
                values: field.values,
                not_success: true,
                empty: field.may_be_empty,
            };
        }
    }
    if paid && before_status && says_success && Some(k) == at.message {
        return Plan::Values {
            values: &["SUCCESS"],
            not_success: false,
            empty: false,
        };
    }
    if !field.values.is_empty() {
        return Plan::Values {
            values: field.values,
            not_success: false,
            empty,
        };
    }
    let (shortest, longest) = lengths(field.format);
    let max = if field.max == 0 {
        usize::MAX
    } else {
        field.max
    };
    match (field.format, class_of(field.format)) {
        (Format::AmtItem, _) => Plan::AmtItem {
            max: field.max,
            empty,
        },
        (_, Some(class)) => Plan::Class {
            class,
            shortest,
            longest: longest.min(max),
            shape: field.format,
            empty,
            success_code: paid && before_status && says_success && Some(k) == at.return_code,
        },
        _ => Plan::Text {
            max: field.max,
            empty,
        },
    }
}

/// The backward pass's inputs (the kind's layout, its pinned values,
/// the source, its char boundaries) and scratch sets.
struct Back<'s> {
    layout: &'static received::Layout,
    pinned: &'s [(usize, &'s str)],
    source: &'s str,
    bytes: &'s [u8],
    words: usize,
    /// Char boundaries, `len` included.
    boundary: Vec<u64>,
    /// UTF-8 continuation bytes in the source: a run of `m` characters is
    /// at most `m + continuations` bytes.
    continuations: usize,
    /// `SHAPES` sets of `words`.
    shapes: Vec<u64>,
    /// `(class, length, format)` of each set in `starts` (`Back::start`).
    started: Vec<(usize, usize, Format)>,
    starts: Vec<u64>,
    run: Vec<u64>,
    grow: Vec<u64>,
}

impl Viable {
    pub(super) fn new(
        kind: MessageKind,
        source: &str,
        pinned: &[(usize, &str)],
        free: &[Option<(usize, usize)>; MAX_FIELDS],
        scratch: &mut Scratch,
    ) -> Viable {
        let fields = kind.fields();
        let n = fields.len();
        let bytes = source.as_bytes();
        let len = bytes.len();
        let words = len / 64 + 1;
        // Each byte's kind (`BYTE_KINDS`) once, then the classes from them.
        let mut kinds = zeroed(std::mem::take(&mut scratch.kinds), KINDS * words);
        for (w, chunk) in bytes.chunks(64).enumerate() {
            let mut word = [0u64; KINDS];
            for (bit, &b) in chunk.iter().enumerate() {
                word[usize::from(BYTE_KINDS[usize::from(b)])] |= 1 << bit;
            }
            for (k, &bits) in word.iter().enumerate() {
                kinds[k * words + w] = bits;
            }
        }
        let kind_set = |k: usize, w: usize| kinds[k * words + w];
        let mut classes = zeroed(std::mem::take(&mut scratch.classes), CLASSES * words);
        let mut shapes = zeroed(std::mem::take(&mut scratch.shapes), SHAPES * words);
        for w in 0..words {
            let up_to_1 = kind_set(KIND_0, w) | kind_set(KIND_1, w);
            let up_to_2 = up_to_1 | kind_set(KIND_2, w);
            let up_to_3 = up_to_2 | kind_set(KIND_3, w);
            let up_to_5 = up_to_3 | kind_set(KIND_4_5, w);
            let digit = up_to_5 | kind_set(KIND_6_9, w);
            let upper = kind_set(KIND_UPPER, w);
            let (dot, star) = (kind_set(KIND_DOT, w), kind_set(KIND_STAR, w));
            classes[ALNUM * words + w] = digit | upper | kind_set(KIND_LOWER, w);
            classes[UPPER_DIGIT * words + w] = digit | upper;
            classes[DIGIT_DOT * words + w] = digit | dot;
            classes[DIGIT * words + w] = digit;
            classes[DIGIT_STAR * words + w] = digit | star;
            classes[UPPER_UNDERSCORE * words + w] = upper | kind_set(KIND_UNDERSCORE, w);
            for (shape, set) in [
                (UP_TO_1, up_to_1),
                (UP_TO_2, up_to_2),
                (UP_TO_3, up_to_3),
                (UP_TO_5, up_to_5),
                (NOT_0, digit & !kind_set(KIND_0, w)),
                (STAR, star),
                (DOT, dot),
                (DIGITS, digit),
            ] {
                shapes[shape * words + w] = set;
            }
        }
        let cont = &kinds[KIND_CONTINUATION * words..][..words];
        let continuations = cont.iter().map(|w| w.count_ones() as usize).sum();
        let mut boundary = zeroed(std::mem::take(&mut scratch.boundary), words);
        for (w, b) in boundary.iter_mut().enumerate() {
            // bits 0..=len of the set
            let valid = if w < len / 64 {
                u64::MAX
            } else {
                u64::MAX >> (63 - len % 64)
            };
            *b = !cont[w] & valid;
        }
        let layout = received::layout(kind);
        let mut back = Back {
            layout,
            pinned,
            source,
            bytes,
            words,
            boundary,
            continuations,
            shapes,
            started: {
                let mut started = std::mem::take(&mut scratch.started);
                started.clear();
                started
            },
            starts: zeroed(std::mem::take(&mut scratch.starts), 0),
            run: zeroed(std::mem::take(&mut scratch.run), words),
            grow: zeroed(std::mem::take(&mut scratch.grow), words),
        };
        let mut viable = Viable {
            words,
            sets: zeroed(std::mem::take(&mut scratch.sets), (n + 1) * 2 * words),
            classes,
        };
        for mode in [OTHER, PAID] {
            viable.sets[(n * 2 + mode) * words + len / 64] |= 1 << (len % 64);
        }
        // Pinned fields that are no key fields could change the runs of
        // free text the plans were made with.
        let plans: Vec<[Plan; 2]>;
        let plans = if pinned
            .iter()
            .all(|&(i, _)| kind_keys(kind).slot[i] != NOT_KEY)
        {
            self::plans(kind)
        } else {
            plans = (0..n)
                .map(|k| [OTHER, PAID].map(|mode| plan(kind, k, mode, free)))
                .collect();
            &plans
        };
        // With field 0 pinned, field 1 begins only where its value ends:
        // its set would filter one end, so it is every position (a
        // superset), not worked out.
        let first = if pinned.iter().any(|&(i, _)| i == 0) {
            for mode in [OTHER, PAID] {
                viable.sets[(2 + mode) * words..][..words].copy_from_slice(&back.boundary);
            }
            2
        } else {
            1
        };
        for k in (first..n).rev() {
            let next = free[k].map_or(k + 1, |(end, _)| end);
            let (left, right) = viable.sets.split_at_mut(next * 2 * words);
            for mode in [OTHER, PAID] {
                let plan = plans[k][mode];
                let rest = &right[mode * words..][..words];
                if matches!(plan, Plan::Skip) || rest.iter().all(|&w| w == 0) {
                    continue;
                }
                let out = &mut left[(k * 2 + mode) * words..][..words];
                back.mark(&viable.classes, k, mode, plan, rest, out);
            }
        }
        scratch.kinds = kinds;
        scratch.shapes = back.shapes;
        scratch.boundary = back.boundary;
        scratch.started = back.started;
        scratch.starts = back.starts;
        scratch.run = back.run;
        scratch.grow = back.grow;
        viable
    }

    /// Returns the buffers for the next search.
    pub(super) fn give_back(self, scratch: &mut Scratch) {
        scratch.sets = self.sets;
        scratch.classes = self.classes;
    }

    fn set(&self, k: usize, mode: usize) -> &[u64] {
        &self.sets[(k * 2 + mode) * self.words..][..self.words]
    }

    /// Whether fields `k..` may begin at `p`, for a rest of `mode`.
    pub(super) fn has(&self, k: usize, mode: usize, p: usize) -> bool {
        has(self.set(k, mode), p)
    }

    /// How many bytes of `class` follow from `p` on, at most `cap`.
    pub(super) fn run(&self, class: usize, p: usize, cap: usize) -> usize {
        let set = &self.classes[class * self.words..][..self.words];
        let mut count = 0;
        let mut w = p / 64;
        let mut bits = set[w] >> (p % 64);
        let mut width = 64 - p % 64;
        loop {
            let ones = (!bits).trailing_zeros() as usize;
            count += ones.min(width);
            if ones < width || count >= cap || w + 1 == self.words {
                return count.min(cap);
            }
            w += 1;
            bits = set[w];
            width = 64;
        }
    }

    /// Calls `f` for every `p` in `from..=to`, increasing, where fields
    /// `k..` may begin for either mode, while it returns true.
    pub(super) fn each(&self, k: usize, from: usize, to: usize, mut f: impl FnMut(usize) -> bool) {
        let (other, paid) = (self.set(k, OTHER), self.set(k, PAID));
        let to = to.min(self.words * 64 - 1);
        if from > to {
            return;
        }
        for w in from / 64..=to / 64 {
            let mut bits = other[w] | paid[w];
            if w == from / 64 {
                bits &= u64::MAX << (from % 64);
            }
            if w == to / 64 {
                bits &= u64::MAX >> (63 - to % 64);
            }
            while bits != 0 {
                if !f(w * 64 + bits.trailing_zeros() as usize) {
                    return;
                }
                bits &= bits - 1;
            }
        }
    }
}

// Bit sets are walked word by word over several sets at once.
#[allow(clippy::needless_range_loop)]
impl Back<'_> {
    /// Marks in `out` the positions `p` where field `k` may take a value
    /// `source[p..q]` with `q` in `rest` (where fields after it may begin),
    /// for a rest of `mode` (`plan`).
    fn mark(
        &mut self,
        classes: &[u64],
        k: usize,
        mode: usize,
        plan: Plan,
        rest: &[u64],
        out: &mut [u64],
    ) {
        if let Some(&(_, value)) = self.pinned.iter().find(|(i, _)| *i == k) {
            return self.pinned(k, mode, value, rest, out);
        }
        match plan {
            Plan::Skip => {}
            Plan::Values {
                values,
                not_success,
                empty,
            } => {
                if empty {
                    or(out, rest);
                }
                for value in values {
                    if !(not_success && *value == "SUCCESS") {
                        self.literal(value, rest, out);
                    }
                }
            }
            Plan::Text { max, empty } => self.text(max, empty, rest, out),
            Plan::AmtItem { max, empty } => {
                if empty {
                    or(out, rest);
                }
                let first = AMT_ITEM_NAMES[0].as_bytes()[0];
                for p in memchr::memchr_iter(first, self.bytes) {
                    let mut hit = false;
                    amt_item_ends(&self.bytes[p..], max, |len| hit |= has(rest, p + len));
                    if hit {
                        out[p / 64] |= 1 << (p % 64);
                    }
                }
            }
            Plan::Class {
                class,
                shortest,
                longest,
                shape,
                empty,
                success_code,
            } => {
                if empty {
                    or(out, rest);
                }
                let longest = longest.min(self.bytes.len());
                if longest >= shortest {
                    self.class(
                        classes,
                        class,
                        shortest,
                        longest,
                        shape,
                        success_code,
                        rest,
                        out,
                    );
                }
            }
        }
    }

    /// A pinned field: its value, if the mode allows it.
    fn pinned(&mut self, k: usize, mode: usize, value: &str, rest: &[u64], out: &mut [u64]) {
        let at = self.layout;
        let paid = mode == PAID && at.status.is_some();
        let before_status = at.status.is_some_and(|s| k < s);
        let says_success = at.return_code.is_some() && at.message.is_some();
        let must_fill = paid && at.paid_requires & (1 << k) != 0;
        let ok = if Some(k) == at.status {
            (value == "SUCCESS") == paid
        } else if paid && before_status && says_success && Some(k) == at.return_code {
            crate::codes::is_success(value)
        } else if paid && before_status && says_success && Some(k) == at.message {
            value == "SUCCESS"
        } else {
            !(must_fill && value.is_empty())
        };
        if ok {
            self.literal(value, rest, out);
        }
    }

    /// `value` at `p`, followed by a rest.
    fn literal(&self, value: &str, rest: &[u64], out: &mut [u64]) {
        let v = value.as_bytes();
        let Some(&first) = v.first() else {
            return or(out, rest);
        };
        let mut mark = |p: usize| {
            if self.bytes[p..].starts_with(v) {
                out[p / 64] |= 1 << (p % 64);
            }
        };
        if rest.iter().map(|w| w.count_ones()).sum::<u32>() <= 8 {
            // Few rests: try the value before each.
            for (w, &bits) in rest.iter().enumerate() {
                let mut bits = bits;
                while bits != 0 {
                    let q = w * 64 + bits.trailing_zeros() as usize;
                    if let Some(p) = q.checked_sub(v.len()) {
                        mark(p);
                    }
                    bits &= bits - 1;
                }
            }
        } else {
            for p in memchr::memchr_iter(first, self.bytes) {
                if has(rest, p + v.len()) {
                    mark(p);
                }
            }
        }
    }

    /// Text of at most `max` characters (0: unlimited), empty if `empty`,
    /// followed by a rest: every char boundary `p` with a rest in
    /// `p..=p + max bytes` (`p + 1..` when it may not be empty).
    fn text(&mut self, max: usize, empty: bool, rest: &[u64], out: &mut [u64]) {
        let from = usize::from(!empty);
        let len = self.bytes.len();
        let bytes = if max == 0 {
            len
        } else {
            max + self.continuations
        };
        let Some(width) = bytes.checked_sub(from) else {
            return;
        };
        let grow = &mut self.grow;
        for (w, g) in grow.iter_mut().enumerate() {
            *g = shifted(rest, from, w);
        }
        // grow[p] = any of rest[p + from ..= p + from + width], by doubling.
        let mut covered = 1;
        while covered <= width.min(len) {
            let step = covered.min(width + 1 - covered);
            for w in 0..self.words {
                let moved = shifted(grow, step, w);
                grow[w] |= moved;
            }
            covered += step;
        }
        for w in 0..self.words {
            out[w] |= grow[w] & self.boundary[w];
        }
    }

    /// The positions where a value of `len` characters of `class` begins,
    /// in the shape of `format` when it has one length (cached: the same
    /// for both modes and for fields of one format).
    fn start(&mut self, classes: &[u64], class: usize, len: usize, format: Format) -> usize {
        let words = self.words;
        if let Some(at) = self.started.iter().position(|&s| s == (class, len, format)) {
            return at * words;
        }
        let offset = self.starts.len();
        self.started.push((class, len, format));
        self.starts.resize(offset + words, u64::MAX);
        let (start, run) = (&mut self.starts[offset..], &mut self.run);
        // By the binary digits of `len`: run = 1, 2, 4, ... characters.
        let class = &classes[class * words..][..words];
        run.copy_from_slice(class);
        let (mut done, mut bit) = (0, 1);
        loop {
            let (take, more) = (len & bit != 0, bit * 2 <= len);
            for w in 0..words {
                if take {
                    start[w] &= shifted(run, done, w);
                }
                if more {
                    let doubled = shifted(run, bit, w);
                    run[w] &= doubled;
                }
            }
            if take {
                done += bit;
            }
            if !more {
                break;
            }
            bit *= 2;
        }
        // A value of one length has the format's shape (a superset of
        // `judge`): a date's year from 1000, month tens 0-1, day tens 0-3;
        // a time's hour tens 0-2, minute and second tens 0-5; a mobile
        // number's `ddd****dddd`; a version's `d.d.d`.
        let shape = |set: usize| &self.shapes[set * words..][..words];
        let shapes: &[(&[u64], usize)] = match format {
            Format::Date => &[(shape(NOT_0), 0), (shape(UP_TO_1), 4), (shape(UP_TO_3), 6)],
            Format::DateTime => &[
                (shape(NOT_0), 0),
                (shape(UP_TO_1), 4),
                (shape(UP_TO_3), 6),
                (shape(UP_TO_2), 8),
                (shape(UP_TO_5), 10),
                (shape(UP_TO_5), 12),
            ],
            Format::Mobile => &[
                (shape(STAR), 3),
                (shape(STAR), 4),
                (shape(STAR), 5),
                (shape(STAR), 6),
                (shape(DIGITS), 0),
                (shape(DIGITS), 1),
                (shape(DIGITS), 2),
            ],
            Format::Version => &[
                (shape(DIGITS), 0),
                (shape(DOT), 1),
                (shape(DIGITS), 2),
                (shape(DOT), 3),
            ],
            _ => &[],
        };
        let start = &mut self.starts[offset..][..words];
        for w in 0..words {
            for &(set, at) in shapes {
                start[w] &= shifted(set, at, w);
            }
        }
        offset
    }

    /// `shortest..=longest` characters of `class`, in the shape of
    /// `format` when it has one length, followed by a rest; a success code
    /// only, if `success_code`.
    #[allow(clippy::too_many_arguments)]
    fn class(
        &mut self,
        classes: &[u64],
        class: usize,
        shortest: usize,
        longest: usize,
        format: Format,
        success_code: bool,
        rest: &[u64],
        out: &mut [u64],
    ) {
        let words = self.words;
        let len = self.bytes.len();
        let start = self.start(classes, class, shortest, format);
        let (starts, run, grow) = (&self.starts, &mut self.run, &mut self.grow);
        // grow = a rest within `window - 1` class characters, by doubling
        // (run = `window` class characters); `window` is a power of two,
        // so longer values than the format allows count too: a superset.
        let mut window = 1;
        if longest > shortest {
            grow.copy_from_slice(rest);
            run.copy_from_slice(&classes[class * words..][..words]);
            while window <= longest - shortest {
                for w in 0..words {
                    let reach = run[w] & shifted(grow, window, w);
                    grow[w] |= reach;
                    let doubled = run[w] & shifted(run, window, w);
                    run[w] = doubled;
                }
                window *= 2;
            }
        }
        let grown: &[u64] = if window > 1 { grow } else { rest };
        for w in 0..words {
            let mut hits = starts[start + w] & shifted(grown, shortest, w);
            if success_code {
                // Only a success code, exactly.
                let mut keep = 0;
                while hits != 0 {
                    let bit = hits.trailing_zeros() as usize;
                    let p = w * 64 + bit;
                    // Class characters are ASCII: char boundaries.
                    let code = (shortest..=longest.min(len - p)).any(|n| {
                        has(rest, p + n) && crate::codes::is_success(&self.source[p..p + n])
                    });
                    keep |= u64::from(code) << bit;
                    hits &= hits - 1;
                }
                hits = keep;
            }
            out[w] |= hits;
        }
    }
}
