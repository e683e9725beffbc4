//! What a received message must look like once its signature has held
//! (protocol.md §8, "Field boundaries"). The gateway signs its values joined
//! with no separator, so a boundary between two adjacent fields can be moved
//! without breaking the hmac (`note: SUCCESS` + `FAILED` + `20261130` reads
//! as `note: ` + `SUCCESS` + `FAILED20261130`). Every field is therefore
//! held to its format from the table in `fields`, which pins each boundary
//! next to a free-text field; amtItem must add up to amount. Then only the
//! signed fields are kept as the message's fields: anything else that
//! travelled with it is set apart as unsigned.
//!
//! This runs after verification and after any decoding choice, as a step of
//! its own, so that how bytes are decoded and what the decoded text must
//! look like can change independently.

use crate::error::{Error, Result};
use crate::fields::{AMT_ITEM_NAMES, Field, Format, MessageKind};
use crate::params::Params;
use crate::validate::is_date;

/// Received fields that travel with a message outside its signature and are
/// still reported with it: they say what they are (the hmac itself, and a
/// certificate that is never trusted).
const CARRIED: &[&str] = &["hmac", "serverCert"];

/// The final states of a payment; no field that follows `status` may begin
/// with one (it could have been moved there from `status`).
const FINAL_STATUSES: &[&str] = &["SUCCESS", "FAILED"];

/// Checks every signed field of a verified message of `kind` against its
/// format, then the rules between fields (`cross_rule`); the error names the
/// field and the refused value (FIELD_INVALID).
pub fn check(kind: MessageKind, params: &Params) -> Result<()> {
    walk(kind, params).map(|_| ())
}

/// The most fields any received kind has (the notification's 19).
pub(crate) const MAX_FIELDS: usize = 24;

/// One pass over the fields as received (usually in table order, so each
/// is found with one comparison): each signed field checked, the absent ones
/// checked as empty, then the rules between fields in table order. Ok(true)
/// when every field is signed or carried (nothing to set apart).
fn walk(kind: MessageKind, params: &Params) -> Result<bool> {
    let fields = kind.fields();
    debug_assert!(fields.len() <= MAX_FIELDS);
    let mut values = [""; MAX_FIELDS];
    let (mut seen, mut hint, mut all_reported) = (0u64, 0usize, true);
    for (name, value) in params.iter() {
        match field_index(fields, name, &mut hint) {
            Some(i) => {
                seen |= 1 << i;
                values[i] = value;
                judge(&fields[i], value).map_err(|r| r.error(&fields[i], value))?;
            }
            None => all_reported &= CARRIED.contains(&name),
        }
    }
    for (i, field) in fields.iter().enumerate() {
        if seen & (1 << i) == 0 {
            judge(field, "").map_err(|r| r.error(field, ""))?;
        }
    }
    let values = &values[..fields.len()];
    for i in 0..fields.len() {
        if let Err(why) = cross_rule(kind, i, values) {
            return Err(refused(fields[i].name, values[i], &why));
        }
    }
    Ok(all_reported)
}

/// The rules between the fields of a received message, each decided at the
/// later of the fields it reads, `values[i]`, from `values[..=i]` only (and
/// `values[status]` for a field after status): so `check` and the re-split
/// search of `readings` apply the same rules, the search as it goes.
///
/// - amtItem's parts add up to amount;
/// - a message that says SUCCESS (its status; the order answer, which has
///   none, by its success code) has a success returnCode and the message
///   exactly `SUCCESS` (the gateway's success message: protocol.md §8 and
///   the seed's samples);
/// - a notification with status SUCCESS has payDate, accountDate, amtItem
///   and orderDate (the seed marks them "not empty"), and so has a query
///   answer saying SUCCESS its payNo and amount.
pub(crate) fn cross_rule(
    kind: MessageKind,
    i: usize,
    values: &[&str],
) -> std::result::Result<(), String> {
    let at = layout(kind);
    let value = values[i];
    if Some(i) == at.amt_item && !value.is_empty() {
        let total = amt_item_scan(value).unwrap_or(u64::MAX);
        let amount = at.amount.map_or("", |a| values[a]);
        if parse_amount(amount) != Some(total) {
            return Err(format!(
                "its parts add up to {total} fen, amount says {amount:?}"
            ));
        }
    }
    // A kind without status (the order answer) says SUCCESS by its code.
    if Some(i) == at.message && at.status.is_none() {
        success_message(at, values)?;
    }
    if let Some(s) = at.status {
        if s < i && at.paid_requires & (1 << i) != 0 && values[s] == "SUCCESS" && value.is_empty() {
            return Err("status is SUCCESS, so it must not be empty".into());
        }
        if s == i && value == "SUCCESS" {
            success_message(at, values)?;
            let fields = kind.fields();
            if let Some(j) =
                (0..i).find(|&j| at.paid_requires & (1 << j) != 0 && values[j].is_empty())
            {
                return Err(format!("status is SUCCESS but {} is empty", fields[j].name));
            }
        }
    }
    Ok(())
}

/// The fields `i` (bit `i`) at which `cross_rule(kind, i, ..)` may refuse:
/// at any other it passes whatever the values, so the re-split search
/// skips it there. Kept next to `cross_rule`: a rule added there at
/// another field belongs here too.
pub(crate) fn cross_rule_fields(kind: MessageKind) -> u64 {
    let at = layout(kind);
    let mut fields = at.amt_item.map_or(0, |t| 1 << t);
    match (at.message, at.status) {
        (Some(m), None) => fields |= 1 << m,
        (_, Some(s)) => fields |= 1 << s | (at.paid_requires & !((2 << s) - 1)),
        (None, None) => {}
    }
    fields
}

/// A message that says SUCCESS carries a success returnCode and the
/// message `SUCCESS`, exactly.
fn success_message(at: &Layout, values: &[&str]) -> std::result::Result<(), String> {
    let (Some(c), Some(m)) = (at.return_code, at.message) else {
        return Ok(());
    };
    if !crate::codes::is_success(values[c]) || values[m] != "SUCCESS" {
        return Err(format!(
            "it says SUCCESS, so returnCode must be a success code and message exactly SUCCESS, not {:?} and {:?}",
            values[c], values[m]
        ));
    }
    Ok(())
}

/// Where the fields `cross_rule` reads sit in a kind's table.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Layout {
    pub amount: Option<usize>,
    pub amt_item: Option<usize>,
    pub return_code: Option<usize>,
    pub message: Option<usize>,
    pub status: Option<usize>,
    /// Bit i: field i must not be empty when status is SUCCESS.
    pub paid_requires: u64,
}

pub(crate) fn layout(kind: MessageKind) -> &'static Layout {
    static LAYOUTS: std::sync::OnceLock<Vec<Layout>> = std::sync::OnceLock::new();
    let all = LAYOUTS.get_or_init(|| {
        MessageKind::ALL
            .iter()
            .map(|&k| {
                let at = |n: &str| k.fields().iter().position(|f| f.name == n);
                Layout {
                    amount: at("amount"),
                    amt_item: at("amtItem"),
                    return_code: at("returnCode"),
                    message: at("message"),
                    status: at("status"),
                    paid_requires: paid_requires(k)
                        .iter()
                        .filter_map(|n| at(n))
                        .fold(0, |m, i| m | 1 << i),
                }
            })
            .collect()
    });
    let k = MessageKind::ALL
        .iter()
        .position(|&k| k == kind)
        .unwrap_or(0);
    &all[k]
}

/// The fields a message saying status SUCCESS must carry.
pub(crate) fn paid_requires(kind: MessageKind) -> &'static [&'static str] {
    match kind {
        MessageKind::Notify => &["amtItem", "payDate", "accountDate", "orderDate"],
        MessageKind::QueryResponse => &["payNo", "amount"],
        _ => &[],
    }
}

/// The table row of `name`; `hint` is the row expected next.
fn field_index(fields: &[Field], name: &str, hint: &mut usize) -> Option<usize> {
    let i = match fields.get(*hint) {
        Some(f) if f.name == name => *hint,
        _ => fields.iter().position(|f| f.name == name)?,
    };
    *hint = i + 1;
    Some(i)
}

/// Splits a verified message's fields into those of `kind`'s signature (in
/// the order received, with `hmac` and `serverCert`) and the rest (unsigned,
/// never to be trusted).
pub(crate) fn split_signed(kind: MessageKind, params: Params) -> (Params, Params) {
    let mut signed = Params::with_capacity(params.len());
    let mut unsigned = Params::new();
    for (name, value) in params.iter() {
        if kind.field(name).is_some() || CARRIED.contains(&name) {
            signed.push(name, value);
        } else {
            unsigned.push(name, value);
        }
    }
    (signed, unsigned)
}

/// `check`, then `split_signed`: the one step every received kind goes
/// through once its signature held. A message with nothing unsigned (every
/// genuine one) is returned as it is, without a copy.
pub fn accept(kind: MessageKind, params: Params) -> Result<(Params, Params)> {
    if walk(kind, &params)? {
        return Ok((params, Params::new()));
    }
    Ok(split_signed(kind, params))
}

fn refused(name: &str, value: &str, why: &str) -> Error {
    // Long values are cut in the message only; the check saw all of it.
    let shown: String = value.chars().take(80).collect();
    Error::field(
        name,
        format!("received value {shown:?} refused: {why}"),
        None,
    )
}

/// One field against its table entry (received side).
pub fn check_field(field: &Field, value: &str) -> Result<()> {
    judge(field, value)
        .map(|_| ())
        .map_err(|r| r.error(field, value))
}

/// Why `judge` refused a value; turned into an error's text only when
/// reported (the re-split search judges many values and reports none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    Empty,
    TooLong,
    NotListed,
    Format,
    AmtItem,
}

impl Refusal {
    fn error(self, field: &Field, value: &str) -> Error {
        let why = match self {
            Refusal::Empty => "must not be empty".to_string(),
            Refusal::TooLong => format!("longer than {} characters", field.max),
            Refusal::NotListed => format!("not one of {}", field.values.join(", ")),
            Refusal::Format => describe(field.format).to_string(),
            Refusal::AmtItem => {
                return amt_item_total(value)
                    .err()
                    .unwrap_or_else(|| refused(field.name, value, "not an amtItem"));
            }
        };
        refused(field.name, value, &why)
    }
}

/// One field's value against its table row, without the rules between
/// fields: Ok(amtItem's total) or why not, allocating nothing.
pub(crate) fn judge(field: &Field, value: &str) -> std::result::Result<Option<u64>, Refusal> {
    if value.is_empty() {
        return if field.may_be_empty {
            Ok(None)
        } else {
            Err(Refusal::Empty)
        };
    }
    // Characters are never more than bytes: count them only when it matters.
    if field.max > 0 && value.len() > field.max && value.chars().count() > field.max {
        return Err(Refusal::TooLong);
    }
    if !field.values.is_empty() && !field.values.contains(&value) {
        return Err(Refusal::NotListed);
    }
    let ok = match field.format {
        Format::Text => true,
        Format::Alnum => value.bytes().all(|b| b.is_ascii_alphanumeric()),
        Format::Code => is_return_code(value),
        Format::Version => is_version(value),
        Format::Amount => parse_amount(value).is_some(),
        Format::AmtItem => {
            return amt_item_scan(value).map(Some).map_err(|_| Refusal::AmtItem);
        }
        Format::BankAbbr => crate::codes::bank(value).is_some(),
        Format::Mobile => is_masked_mobile(value),
        Format::Date => is_date(value),
        Format::DateTime => is_date_time(value),
        Format::Fee => crate::money::is_yuan(value),
        Format::Word => value.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'),
        Format::PayType => {
            value.bytes().all(|b| b.is_ascii_alphanumeric())
                && !FINAL_STATUSES.iter().any(|s| value.starts_with(s))
        }
    };
    if ok { Ok(None) } else { Err(Refusal::Format) }
}

/// A return code as the gateway writes them (protocol.md §7): `000000`, or
/// an upper-case letter followed by upper-case letters and digits, 6 to 10
/// characters in all (MCG01033, RPM22208, IPS0008, E22160). No code but
/// 000000 begins with a digit, so the digits of payNo before it cannot move
/// into it.
fn is_return_code(v: &str) -> bool {
    let b = v.as_bytes();
    v == "000000"
        || ((6..=10).contains(&b.len())
            && b[0].is_ascii_uppercase()
            && b.iter()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()))
}

fn describe(format: Format) -> &'static str {
    match format {
        Format::Text => "not text",
        Format::Alnum => "not ASCII letters and digits",
        Format::Code => {
            "not a return code (000000, or an upper-case letter then [A-Z0-9], 6 to 10 characters)"
        }
        Format::Version => "not a version d.d.d",
        Format::Amount => {
            "not an amount in fen (digits, no sign, no leading zero, at most 10 digits)"
        }
        Format::AmtItem => "not an amtItem",
        Format::BankAbbr => "not a bank code of appendix A (docs/protocol.md)",
        Format::Mobile => "not a masked mobile number ddd****dddd",
        Format::Date => "not a date YYYYMMDD",
        Format::DateTime => "not a date and time YYYYMMDDHHmmSS",
        Format::Fee => "not a fee in yuan (a decimal of at most two places, no leading zero)",
        Format::Word => "not an upper-case word [A-Z_]",
        Format::PayType => {
            "not a pay type (ASCII letters and digits, not beginning with SUCCESS or FAILED)"
        }
    }
}

/// A received amount in fen, strictly: 1 to 10 digits, no sign, no spaces,
/// no leading zero (0 itself is "0"). None for anything else.
pub fn parse_amount(text: &str) -> Option<u64> {
    let b = text.as_bytes();
    let plain = !b.is_empty()
        && b.len() <= 10
        && b.iter().all(u8::is_ascii_digit)
        && (b[0] != b'0' || b.len() == 1);
    // At most 10 digits, checked above: plain arithmetic cannot overflow
    // (no `str::parse` and its sign and overflow code on every notification).
    plain.then(|| b.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0')))
}

/// The total of an amtItem `NAME=fen#...` in fen (`amt_item_scan`).
pub(crate) fn amt_item_total(text: &str) -> Result<u64> {
    amt_item_scan(text).map_err(|fault| {
        let why = match fault {
            AmtFault::NoEq(part) => format!("part {part:?} is not NAME=fen"),
            AmtFault::Unknown(name) => format!("unknown part {name:?}"),
            AmtFault::Order(name) => format!(
                "{name} is out of place: the parts are {} in that order",
                AMT_ITEM_NAMES.join(", ")
            ),
            AmtFault::Missing(name) => format!("{name} is missing"),
            AmtFault::NotAmount(name, value) => {
                format!("{name} {value:?} is not an amount in fen")
            }
        };
        refused("amtItem", text, &why)
    })
}

/// Why an amtItem was refused (slices of it: nothing allocated).
enum AmtFault<'a> {
    NoEq(&'a str),
    Unknown(&'a str),
    Order(&'a str),
    Missing(&'static str),
    NotAmount(&'a str, &'a str),
}

/// `amt_item_total`'s grammar, the one place it is written: the five parts
/// of `AMT_ITEM_NAMES`, each once, in that order (as the seed's table and
/// samples and the gateway's answers write it), each value an amount. A
/// part left out would let the rest of amtItem slide into the next
/// free-text field.
fn amt_item_scan(text: &str) -> std::result::Result<u64, AmtFault<'_>> {
    let mut next = 0;
    let mut total: u64 = 0;
    // '#' and '=' are ASCII: every piece is a str slice of `text`.
    for part in text.split('#') {
        let Some((name, value)) = part.split_once('=') else {
            return Err(AmtFault::NoEq(part));
        };
        match AMT_ITEM_NAMES.iter().position(|n| *n == name) {
            None => return Err(AmtFault::Unknown(name)),
            Some(slot) if slot != next => return Err(AmtFault::Order(name)),
            Some(_) => next += 1,
        }
        let Some(fen) = parse_amount(value) else {
            return Err(AmtFault::NotAmount(name, value));
        };
        total = total.saturating_add(fen);
    }
    if next < AMT_ITEM_NAMES.len() {
        return Err(AmtFault::Missing(AMT_ITEM_NAMES[next]));
    }
    Ok(total)
}

fn is_version(v: &str) -> bool {
    matches!(v.as_bytes(), [a, b'.', b, b'.', c] if a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_digit())
}

fn is_masked_mobile(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 11
        && b[..3].iter().all(u8::is_ascii_digit)
        && &b[3..7] == b"****"
        && b[7..].iter().all(u8::is_ascii_digit)
}

fn is_date_time(v: &str) -> bool {
    let Some((date, time)) = v.split_at_checked(8) else {
        return false;
    };
    let t = time.as_bytes();
    // Digits checked first: two of them are plain arithmetic.
    let two = |i: usize| (t[i] - b'0') * 10 + (t[i + 1] - b'0');
    t.len() == 6
        && t.iter().all(u8::is_ascii_digit)
        && is_date(date)
        && two(0) < 24
        && two(2) < 60
        && two(4) < 60
}

/// An integer-fen field, strictly (`parse_amount`: no sign, no
/// spaces, no leading zero); empty is None, anything else a parse error.
pub fn fen_field(params: &Params, name: &str) -> Result<Option<u64>> {
    match params.value(name) {
        "" => Ok(None),
        v => parse_amount(v)
            .map(Some)
            .ok_or_else(|| Error::Parse(format!("{name} {v:?} is not an integer number of fen"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notify_field(name: &str) -> &'static Field {
        MessageKind::Notify.field(name).unwrap()
    }

    #[test]
    fn formats_accept_the_gateways_values_and_refuse_moved_boundaries() {
        let ok = |name: &str, v: &str| check_field(notify_field(name), v).is_ok();
        for (name, good, bad) in [
            (
                "version",
                "2.0.0",
                &["2.0.", "2.0.01", "2.0.0.", "12.0.0"][..],
            ),
            (
                "amount",
                "12800",
                &["012800", "+12800", " 12800", "12800 ", "12345678901"],
            ),
            (
                "payDate",
                "20261125103055",
                &["0261125103055", "202611251030551", "20261125246055"],
            ),
            (
                "orderDate",
                "20261125",
                &["FAILED20261130", "2026112", "20261125X"],
            ),
            ("accountDate", "20261125", &["202611250"]),
            (
                "mobile",
                "138****8000",
                &["138****800", "138****80000", "13800138000"],
            ),
            (
                "bankAbbr",
                "ICBC",
                &["0ICBC", "ICBC1*", "icbc", "ICBCBANK1"],
            ),
            ("returnCode", "000000", &["00000", "0000000000X", "000000a"]),
            ("status", "SUCCESS", &["SUCCESSFAILED", "FAILEDX", ""]),
            (
                "fee",
                "0.12",
                &["00.12", "0.123", ".12", "1.", "-1", "0.12X"],
            ),
            ("signType", "MD5", &["MD", "MD5P"]),
            ("type", "OfflineNotify", &["OfflineNotify2", "PageNotif"]),
            ("payNo", "201911250005378468", &["20191125 0005", ""]),
        ] {
            assert!(ok(name, good), "{name} {good}");
            for b in bad {
                let Err(e) = check_field(notify_field(name), b) else {
                    panic!("{name} {b:?} accepted")
                };
                assert_eq!(e.code(), crate::ErrorCode::FieldInvalid, "{name} {b}");
                assert!(e.to_string().contains(name), "{e}");
            }
        }
        for fee in ["0", "3", "10.05", "0.5", "0.00"] {
            assert!(ok("fee", fee), "{fee}");
        }
        assert!(ok("amount", "0"));
        assert!(ok("mobile", ""));
    }

    #[test]
    fn amt_item_is_strict_and_adds_up() {
        let item = "CNY_AMT=12000#CMY_AMT=0#RED_AMT=800#VCH_AMT=0#POT_CHG_AMT=0";
        assert_eq!(amt_item_total(item).unwrap(), 12800);
        for bad in [
            "CNY_AMT=+1",
            "CNY_AMT= 1",
            "CNY_AMT=01",
            "CNY_AMT=1#CNY_AMT=1",
            "CNY_AMT=1#",
            "FOO=1",
            "CNY_AMT=1.5",
            "CNY_AMT=",
            "CNY_AMT=0ICBC",
            // Every part, once, in the gateway's order: a part left out lets
            // the rest slide into the next free-text field.
            "CNY_AMT=12800",
            "CNY_AMT=12000#CMY_AMT=0#RED_AMT=800#VCH_AMT=0",
            "CMY_AMT=0#CNY_AMT=12000#RED_AMT=800#VCH_AMT=0#POT_CHG_AMT=0",
            "CNY_AMT=12000#CMY_AMT=0#RED_AMT=800#VCH_AMT=0#POT_CHG_AMT=0#POT_CHG_AMT=0",
        ] {
            assert!(amt_item_total(bad).is_err(), "{bad}");
        }
    }
}
